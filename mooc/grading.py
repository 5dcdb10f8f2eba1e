"""Server-side quiz grading: parse what the browser posted, refuse tampering, score it.

Pure functions on loaded questions (no queries): the service locks, counts attempts and
saves; this module only decides what an answer is worth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from mooc.models import Question, QuestionKind

NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
THOUSANDS_COMMA_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
SPACES = {" ", "\u00a0", "\u202f", "\t"}


class QuizInputError(ValueError):
    """The posted answers cannot be graded (tampered ids, a number that is not one)."""


def parse_decimal(text: str, *, thousands_comma: bool = False) -> Decimal | None:
    """ "3,5", "3.5", " 1 234,5 " → Decimal; anything else → None. French decimal comma accepted.

    With ``thousands_comma`` (an English-speaking learner), commas grouping exactly three
    digits are thousands separators: "1,560" is 1560 and "1,560.5" is 1560.5, while "3,5"
    stays 3.5."""
    cleaned = "".join(ch for ch in (text or "") if ch not in SPACES)
    if thousands_comma and THOUSANDS_COMMA_RE.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not cleaned or not NUMBER_RE.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex already excludes it
        return None


@dataclass
class QuestionResult:
    question_id: int
    correct: bool
    earned: int
    possible: int


@dataclass
class Grade:
    score: Decimal
    results: list[QuestionResult] = field(default_factory=list)
    answers: dict[str, object] = field(default_factory=dict)


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def parse_answers(questions: list[Question], data) -> dict[int, object]:
    """Map question id → the learner's answer, refusing ids that are not this quiz's.

    ``data`` is a QueryDict (``getlist``) or a dict of lists. Unanswered questions map to None.
    """
    known = {str(q.pk) for q in questions}
    for key in data.keys():
        # Compared as text: "q²" passes isdigit() but not int(), and a huge number fails int().
        if key.startswith("q") and key[1:].isdigit() and key[1:] not in known:
            raise QuizInputError(_("These answers do not belong to this quiz. Reload the page and try again."))

    def values(key: str) -> list[str]:
        if hasattr(data, "getlist"):
            return [v for v in data.getlist(key) if v != ""]
        raw = data.get(key, [])
        return [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw]) if str(v) != ""]

    english = (translation.get_language() or "").startswith("en")
    answers: dict[int, object] = {}
    for position, question in enumerate(questions, start=1):
        raw = values(field_name(question))
        if not raw:
            answers[question.pk] = None
            continue
        if question.kind == QuestionKind.NUMERIC:
            number = parse_decimal(raw[0], thousands_comma=english)
            if number is None:
                raise QuizInputError(
                    _("Question %(n)s: enter a number, for example 3,5.") % {"n": position}
                )
            answers[question.pk] = number
        elif question.kind == QuestionKind.TRUE_FALSE:
            if raw[0] not in ("true", "false") or len(raw) > 1:
                raise QuizInputError(_("These answers do not belong to this quiz. Reload the page and try again."))
            answers[question.pk] = raw[0] == "true"
        else:
            choice_ids = {c.pk for c in question.choices.all()}
            try:
                picked = {int(v) for v in raw}
            except ValueError:
                raise QuizInputError(_("These answers do not belong to this quiz. Reload the page and try again.")) from None
            if not picked <= choice_ids or (question.kind == QuestionKind.SINGLE and len(picked) > 1):
                raise QuizInputError(_("These answers do not belong to this quiz. Reload the page and try again."))
            answers[question.pk] = picked
    return answers


def is_correct(question: Question, answer) -> bool:
    if answer is None:
        return False
    if question.kind == QuestionKind.NUMERIC:
        if question.numeric_answer is None:
            return False
        return abs(answer - question.numeric_answer) <= question.tolerance
    if question.kind == QuestionKind.TRUE_FALSE:
        return question.correct_bool is not None and answer == question.correct_bool
    correct = {c.pk for c in question.choices.all() if c.is_correct}
    if question.kind == QuestionKind.SINGLE:
        return len(answer) == 1 and answer <= correct
    return answer == correct  # multiple choice: all and only the right ones


def grade(questions: list[Question], answers: dict[int, object]) -> Grade:
    results = []
    for question in questions:
        ok = is_correct(question, answers.get(question.pk))
        results.append(QuestionResult(question.pk, ok, question.points if ok else 0, question.points))
    possible = sum(r.possible for r in results)
    earned = sum(r.earned for r in results)
    score = (Decimal(earned) * 100 / Decimal(possible)) if possible else Decimal(0)
    stored = {
        str(qid): (sorted(a) if isinstance(a, set) else (str(a) if isinstance(a, Decimal) else a))
        for qid, a in answers.items()
    }
    return Grade(score=score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), results=results, answers=stored)
