"""What answers are worth: pure functions on a version's structure, no database.

- A question is worth what its chosen options carry: one option for a single choice or a
  0–5 scale, the sum of the ticked options for a checklist (an exclusive "none of these"
  carries its own points, usually 0).
- Its maximum: the best option (single, scale), the sum of the non-exclusive options or the
  best exclusive one, whichever is larger (checklist).
- A dimension scores round(100 × earned / possible) over its questions; an optional
  question left unanswered counts neither way. The overall score is the rounded mean of
  the dimension scores. Rounding is half up, in integers (no float drift at the edges).
- The band of a score is the band with the highest threshold not above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OptionSpec:
    id: int
    code: str
    label: str
    points: int
    exclusive: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    code: str
    text: str
    kind: str
    options: tuple[OptionSpec, ...]
    hint: str = ""
    required: bool = True

    @property
    def max_points(self) -> int:
        if not self.options:
            return 0
        if self.kind == "multi":
            additive = sum(o.points for o in self.options if not o.exclusive)
            exclusive = max((o.points for o in self.options if o.exclusive), default=0)
            return max(additive, exclusive)
        return max(o.points for o in self.options)

    def points_for(self, chosen: Iterable[int]) -> int:
        chosen = set(chosen)
        earned = sum(o.points for o in self.options if o.id in chosen)
        return min(earned, self.max_points)

    def option_ids(self) -> set[int]:
        return {o.id for o in self.options}


@dataclass(frozen=True)
class DimensionSpec:
    id: int
    code: str
    title: str
    questions: tuple[QuestionSpec, ...]
    description: str = ""


@dataclass(frozen=True)
class BandSpec:
    code: str
    label: str
    min_score: int
    meaning: str = ""


@dataclass(frozen=True)
class VersionSpec:
    id: int
    number: int
    status: str
    title: str
    dimensions: tuple[DimensionSpec, ...]
    bands: tuple[BandSpec, ...]
    estimated_minutes: int = 12
    _questions: dict[int, QuestionSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._questions.update({q.id: q for d in self.dimensions for q in d.questions})

    @property
    def step_count(self) -> int:
        """Step 0 asks the company context, then one step per dimension."""
        return 1 + len(self.dimensions)

    def question(self, question_id: int) -> QuestionSpec | None:
        return self._questions.get(question_id)

    def band(self, code: str) -> BandSpec | None:
        return next((b for b in self.bands if b.code == code), None)


@dataclass(frozen=True)
class DimensionScore:
    code: str
    title: str
    score: int
    band: str
    earned: int
    possible: int
    position: int


@dataclass(frozen=True)
class ScoreCard:
    dimensions: tuple[DimensionScore, ...]
    overall: int
    band: str


def round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half up (numerator, denominator ≥ 0, denominator > 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def band_for(score: int, bands: Iterable[BandSpec]) -> str:
    eligible = [b for b in bands if b.min_score <= score]
    if not eligible:
        return ""
    return max(eligible, key=lambda b: b.min_score).code


def missing_required(dimension: DimensionSpec, answers: Mapping[int, Iterable[int]]) -> list[QuestionSpec]:
    """Required questions of a dimension without an answer (a ticked-nothing checklist is an answer)."""
    return [q for q in dimension.questions if q.required and q.id not in answers]


def score_card(version: VersionSpec, answers: Mapping[int, Iterable[int]]) -> ScoreCard:
    """``answers`` maps question id → chosen option ids (already validated against the version)."""
    results: list[DimensionScore] = []
    for position, dimension in enumerate(version.dimensions):
        earned = possible = 0
        for question in dimension.questions:
            if question.id not in answers:
                if question.required:
                    possible += question.max_points  # never reached by a completed response
                continue
            earned += question.points_for(answers[question.id])
            possible += question.max_points
        score = round_half_up(100 * earned, possible) if possible else 0
        results.append(
            DimensionScore(
                code=dimension.code, title=dimension.title, score=score, band=band_for(score, version.bands),
                earned=earned, possible=possible, position=position,
            )
        )
    overall = round_half_up(sum(r.score for r in results), len(results)) if results else 0
    return ScoreCard(dimensions=tuple(results), overall=overall, band=band_for(overall, version.bands))


def weakest(card: ScoreCard, *, count: int, top_band: str) -> list[DimensionScore]:
    """The dimensions a path starts with: lowest scores first (questionnaire order on ties),
    leaving out those already in the top band."""
    candidates = [d for d in card.dimensions if d.band != top_band]
    return sorted(candidates, key=lambda d: (d.score, d.position))[:count]
