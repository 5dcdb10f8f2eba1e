"""Which rules make a path: weakest dimensions first, band and answer conditions, no repeats."""

from types import SimpleNamespace

from diagnostic.paths import plan
from diagnostic.scoring import BandSpec, DimensionSpec, OptionSpec, QuestionSpec, VersionSpec, score_card

BANDS = (BandSpec("beginner", "", 0), BandSpec("progressing", "", 26), BandSpec("advanced", "", 51), BandSpec("leader", "", 76))
CODES = ["strategy", "readiness", "human", "data", "automation", "green"]


def _version():
    dimensions = []
    for i, code in enumerate(CODES, start=1):
        options = tuple(OptionSpec(id=i * 10 + level, code=f"level-{level}", label="", points=level) for level in range(6))
        questions = [QuestionSpec(id=i, code=f"{code}-q", text="?", kind="scale", options=options)]
        if code == "automation":
            questions.append(QuestionSpec(id=99, code="connected-objects", text="?", kind="single", options=(
                OptionSpec(id=990, code="no", label="", points=0), OptionSpec(id=991, code="develops", label="", points=0))))
        dimensions.append(DimensionSpec(id=i, code=code, title=code, questions=tuple(questions)))
    return VersionSpec(id=1, number=1, status="published", title="t", dimensions=tuple(dimensions), bands=BANDS)


def _rule(pk, dimension="", band="", kind="advice", key="", when=""):
    return SimpleNamespace(pk=pk, dimension=dimension, band=band, kind=kind, key=key, url="", when_answer=when,
                           title="", text=f"rule {pk}", title_fr="", title_en="", text_fr=f"rule {pk}", text_en="")


def _levels(**levels):
    """Scale answers per dimension (0–5 → 0, 20, … 100), connected objects answered."""
    answers = {i: {i * 10 + levels.get(code, 5)} for i, code in enumerate(CODES, start=1)}
    answers[99] = {991 if levels.get("develops") else 990}
    return answers


def test_the_three_weakest_dimensions_lowest_first_with_rules_of_their_band():
    spec = _version()
    answers = _levels(green=0, data=1, human=2, strategy=3)  # 0, 20, 40, 60; others 100
    card = score_card(spec, answers)
    rules = [
        _rule(1, "green", "beginner"), _rule(2, "green", "advanced"), _rule(3, "data"), _rule(4, "human", "progressing"),
        _rule(5, "strategy"),  # fourth weakest: left out
        _rule(6, "readiness"),  # leader: left out
    ]
    assert [s.rule_id for s in plan(spec=spec, card=card, answers=answers, rules=rules)] == [1, 3, 4]


def test_an_answer_condition_adds_the_contest_for_companies_making_connected_objects():
    spec = _version()
    contest = _rule(7, kind="contests.current", when="connected-objects=develops")
    no = _levels(green=0)
    yes = _levels(green=0, develops=True)
    assert [s.kind for s in plan(spec=spec, card=score_card(spec, no), answers=no, rules=[contest])] == []
    assert [s.kind for s in plan(spec=spec, card=score_card(spec, yes), answers=yes, rules=[contest])] == ["contests.current"]


def test_a_content_recommended_for_two_dimensions_appears_once_where_it_first_came():
    spec = _version()
    answers = _levels(green=0, data=1)
    rules = [_rule(1, "green", kind="mooc.module", key="12"), _rule(2, "data", kind="mooc.module", key="12"), _rule(3, "data", kind="mooc.module", key="13")]
    steps = plan(spec=spec, card=score_card(spec, answers), answers=answers, rules=rules)
    assert [(s.dimension, s.key) for s in steps] == [("green", "12"), ("data", "13")]


def test_a_company_leading_everywhere_gets_only_the_rules_for_any_dimension():
    spec = _version()
    answers = _levels(develops=True)
    rules = [_rule(1, "green"), _rule(2, kind="contests.current", when="connected-objects=develops")]
    assert [s.rule_id for s in plan(spec=spec, card=score_card(spec, answers), answers=answers, rules=rules)] == [2]
