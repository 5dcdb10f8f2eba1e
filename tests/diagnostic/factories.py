"""Builders for the diagnostic's tests: the reference questionnaire, answered diagnostics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from diagnostic import selectors, services
from diagnostic.models import Questionnaire, QuestionnaireVersion, RecommendationRule, Response, ResponseStatus
from diagnostic.scoring import QuestionSpec, VersionSpec
from diagnostic.seed_content import QUESTIONNAIRE
from diagnostic.seeding import _create_version
from tests.factories import UserFactory, region


def reference_version() -> QuestionnaireVersion:
    """The seeded questionnaire, version 1 published (no rules)."""
    questionnaire, created = Questionnaire.objects.get_or_create(slug=QUESTIONNAIRE["slug"], defaults=QUESTIONNAIRE)
    version = questionnaire.versions.filter(number=1).first()
    return version or _create_version(questionnaire)


Picker = Callable[[QuestionSpec], set[int]]


def best(question: QuestionSpec) -> set[int]:
    if question.kind == "multi":
        return {o.id for o in question.options if not o.exclusive}
    return {max(question.options, key=lambda o: o.points).id}


def worst(question: QuestionSpec) -> set[int]:
    if question.kind == "multi":
        return {o.id for o in question.options if o.exclusive} or set()
    return {min(question.options, key=lambda o: o.points).id}


def answers_for(spec: VersionSpec, picker: Picker | dict[str, Picker]) -> dict[int, set[int]]:
    """Answers to every question; ``picker`` per dimension code when a dict."""
    out = {}
    for dimension in spec.dimensions:
        pick = picker[dimension.code] if isinstance(picker, dict) else picker
        for question in dimension.questions:
            out[question.id] = pick(question)
    return out


def completed_response(
    *, user=None, version: QuestionnaireVersion | None = None, picker: Picker | dict[str, Picker] = best,
    region_code: str = "bretagne", sector: str = "C", size_band: str = "small", completed_at: datetime | None = None,
    is_demo: bool = False,
) -> Response:
    user = user or UserFactory(password=None)  # no log-in needed: skip the slow password hash
    version = version or reference_version()
    response = services.response_start(user=user, version=version)
    services.response_save_context(response_id=response.pk, user=user, sector=sector, size_band=size_band, region=region(region_code))
    spec = selectors.version_spec(version)
    answers = answers_for(spec, picker)
    for number, dimension in enumerate(spec.dimensions, start=1):
        services.response_save_answers(
            response_id=response.pk, user=user, answers={q.id: answers[q.id] for q in dimension.questions}, step=number
        )
    response = services.response_complete(response_id=response.pk, user=user)
    changes = {}
    if completed_at is not None:
        changes["completed_at"] = completed_at
    if is_demo:
        changes["is_demo"] = True
    if changes:
        Response.objects.filter(pk=response.pk).update(**changes)
        response.refresh_from_db()
    assert response.status == ResponseStatus.COMPLETED
    return response


def rule(**fields) -> RecommendationRule:
    values = {"text_fr": fields.pop("text", "Un conseil."), **fields}
    return RecommendationRule.objects.create(**values)


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def stored_result(*, user=None, region_code="bretagne", sector="C", size_band="small", completed_at=None, score=100,
                  is_demo=False) -> Response:
    """A completed result written straight to the tables (what the barometer reads): for tests of
    the barometer that need many respondents, not of how a result is computed."""
    from diagnostic.models import DimensionCode, DimensionResult

    response = Response.objects.create(
        user=user or UserFactory(password=None), version=reference_version(), status=ResponseStatus.COMPLETED,
        sector=sector, size_band=size_band, region=region(region_code), overall_score=score,
        overall_band="leader" if score > 75 else "beginner", completed_at=completed_at or timezone.now(), is_demo=is_demo,
    )
    DimensionResult.objects.bulk_create(
        DimensionResult(response=response, code=code, score=score, band=response.overall_band, position=i)
        for i, code in enumerate(DimensionCode.values)
    )
    return response
