"""Which recommendation rules make a person's path: a pure function of the score card, the
answers and the rules (data staff edit in the admin).

- The path starts with the weakest dimensions (``PATH_DIMENSIONS`` of them, lowest score
  first, those already in the top band left out).
- For each, the active rules of that dimension whose band is empty or the dimension's band,
  and whose answer condition (if any) holds, in the rules' order.
- Then the rules for any dimension, which always carry an answer condition ("the contest,
  when the company works on connected objects").
- A content recommended twice appears once, where it first came.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from diagnostic.scoring import ScoreCard, VersionSpec, weakest

PATH_DIMENSIONS = 3
TOP_BAND = "leader"


@dataclass(frozen=True)
class PlannedStep:
    rule_id: int | None
    dimension: str
    kind: str
    key: str
    url: str
    title_fr: str
    title_en: str
    text_fr: str
    text_en: str


def chosen_codes(spec: VersionSpec, answers: Mapping[int, Iterable[int]]) -> set[str]:
    """"question code=option code" for every option chosen."""
    codes = set()
    for question_id, option_ids in answers.items():
        question = spec.question(question_id)
        if question is None:
            continue
        ids = set(option_ids)
        codes.update(f"{question.code}={o.code}" for o in question.options if o.id in ids)
    return codes


def _applies(rule, codes: set[str]) -> bool:
    return not rule.when_answer or rule.when_answer in codes


def plan(*, spec: VersionSpec, card: ScoreCard, answers: Mapping[int, Iterable[int]], rules: Iterable) -> list[PlannedStep]:
    rules = list(rules)
    codes = chosen_codes(spec, answers)
    picked = []
    for dimension in weakest(card, count=PATH_DIMENSIONS, top_band=TOP_BAND):
        picked += [
            (dimension.code, r)
            for r in rules
            if r.dimension == dimension.code and (not r.band or r.band == dimension.band) and _applies(r, codes)
        ]
    picked += [("", r) for r in rules if not r.dimension and _applies(r, codes)]
    steps: list[PlannedStep] = []
    seen: set[tuple[str, str, str]] = set()
    for dimension_code, rule in picked:
        identity = (rule.kind, rule.key, rule.url)
        if rule.kind != "advice" and identity in seen:
            continue
        seen.add(identity)
        steps.append(
            PlannedStep(
                rule_id=rule.pk,
                dimension=dimension_code,
                kind=rule.kind,
                key=rule.key,
                url=rule.url,
                title_fr=getattr(rule, "title_fr", None) or rule.title or "",
                title_en=getattr(rule, "title_en", None) or "",
                text_fr=getattr(rule, "text_fr", None) or rule.text or "",
                text_en=getattr(rule, "text_en", None) or "",
            )
        )
    return steps
