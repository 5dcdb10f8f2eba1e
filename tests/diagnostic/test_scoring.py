"""What answers are worth: arithmetic per question kind, rounding, bands and their edges."""

import pytest

from diagnostic.scoring import (
    BandSpec,
    DimensionSpec,
    OptionSpec,
    QuestionSpec,
    VersionSpec,
    band_for,
    round_half_up,
    score_card,
    weakest,
)

BANDS = (
    BandSpec("beginner", "beginner", 0),
    BandSpec("progressing", "progressing", 26),
    BandSpec("advanced", "advanced", 51),
    BandSpec("leader", "leader", 76),
)


def single(qid, points, required=True):
    return QuestionSpec(id=qid, code=f"q{qid}", text="?", kind="single", required=required,
                        options=tuple(OptionSpec(id=qid * 100 + i, code=f"o{i}", label="", points=p) for i, p in enumerate(points)))


def scale(qid):
    return QuestionSpec(id=qid, code=f"q{qid}", text="?", kind="scale",
                        options=tuple(OptionSpec(id=qid * 100 + i, code=f"level-{i}", label=str(i), points=i) for i in range(6)))


def checklist(qid, points, none=True):
    options = [OptionSpec(id=qid * 100 + i, code=f"o{i}", label="", points=p) for i, p in enumerate(points)]
    if none:
        options.append(OptionSpec(id=qid * 100 + 99, code="none", label="none", points=0, exclusive=True))
    return QuestionSpec(id=qid, code=f"q{qid}", text="?", kind="multi", options=tuple(options))


def version(*dimensions):
    return VersionSpec(id=1, number=1, status="published", title="t", bands=BANDS, dimensions=tuple(
        DimensionSpec(id=i, code=code, title=code, questions=tuple(questions)) for i, (code, questions) in enumerate(dimensions)
    ))


def test_single_choice_is_worth_its_option_out_of_the_best_option():
    q = single(1, [0, 1, 2, 3])
    card = score_card(version(("strategy", [q])), {1: {102}})
    assert (card.dimensions[0].earned, card.dimensions[0].possible, card.dimensions[0].score) == (2, 3, 67)


def test_scale_is_worth_its_level_out_of_five():
    q = scale(1)
    assert [score_card(version(("data", [q])), {1: {100 + level}}).dimensions[0].score for level in range(6)] == [0, 20, 40, 60, 80, 100]


def test_checklist_adds_the_ticked_options_out_of_all_of_them():
    q = checklist(1, [1, 1, 2])
    assert q.max_points == 4
    card = score_card(version(("green", [q])), {1: {100, 102}})
    assert (card.dimensions[0].earned, card.dimensions[0].score) == (3, 75)


def test_checklist_answered_none_of_these_is_worth_zero_and_ticking_nothing_too():
    q = checklist(1, [1, 1])
    assert score_card(version(("green", [q])), {1: {199}}).dimensions[0].score == 0
    assert score_card(version(("green", [q])), {1: set()}).dimensions[0].score == 0


def test_a_dimension_sums_its_questions_before_dividing():
    questions = [single(1, [0, 3]), scale(2), checklist(3, [1, 1])]
    # earned 3 + 2 + 1 = 6 out of 3 + 5 + 2 = 10
    card = score_card(version(("human", questions)), {1: {101}, 2: {202}, 3: {300}})
    assert (card.dimensions[0].earned, card.dimensions[0].possible, card.dimensions[0].score) == (6, 10, 60)


def test_an_optional_question_left_unanswered_counts_neither_way():
    questions = [single(1, [0, 4]), single(2, [0, 4], required=False)]
    assert score_card(version(("data", questions)), {1: {101}}).dimensions[0].score == 100


def test_the_overall_score_is_the_rounded_mean_of_the_dimensions():
    dims = [(code, [scale(i)]) for i, code in enumerate(["a", "b", "c", "d", "e", "f"], start=1)]
    # 20 + 40 + 40 + 60 + 80 + 100 = 340 / 6 = 56.67 → 57
    answers = {1: {101}, 2: {202}, 3: {302}, 4: {403}, 5: {504}, 6: {605}}
    card = score_card(version(*dims), answers)
    assert [d.score for d in card.dimensions] == [20, 40, 40, 60, 80, 100]
    assert card.overall == 57
    assert card.band == "advanced"


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [(1, 2, 1), (5, 2, 3), (2, 3, 1), (1, 3, 0), (200, 3, 67), (250, 1000, 0)])
def test_rounding_is_half_up_in_integers(numerator, denominator, expected):
    assert round_half_up(numerator, denominator) == expected


def test_one_in_eight_rounds_half_up_to_thirteen():
    # 12.5 % exactly: half up gives 13 (Python's round() would give 12)
    q = QuestionSpec(id=1, code="q", text="?", kind="single", options=(OptionSpec(1, "a", "", 0), OptionSpec(2, "b", "", 1), OptionSpec(3, "c", "", 8)))
    assert score_card(version(("x", [q])), {1: {2}}).dimensions[0].score == 13


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "beginner"), (25, "beginner"), (26, "progressing"), (50, "progressing"), (51, "advanced"), (75, "advanced"), (76, "leader"), (100, "leader")],
)
def test_band_edges(score, band):
    assert band_for(score, BANDS) == band


def test_bands_follow_the_thresholds_staff_set():
    bands = (BandSpec("beginner", "", 0), BandSpec("progressing", "", 40), BandSpec("advanced", "", 60), BandSpec("leader", "", 90))
    assert [band_for(s, bands) for s in (39, 40, 89, 90)] == ["beginner", "progressing", "advanced", "leader"]


def test_weakest_dimensions_lowest_first_questionnaire_order_on_ties_top_band_left_out():
    dims = [(code, [scale(i)]) for i, code in enumerate(["a", "b", "c", "d"], start=1)]
    card = score_card(version(*dims), {1: {103}, 2: {201}, 3: {301}, 4: {405}})  # 60, 20, 20, 100
    assert [d.code for d in weakest(card, count=3, top_band="leader")] == ["b", "c", "a"]
