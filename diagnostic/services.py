"""Every write of the diagnostic, one function per use case.

- Answers are written under the response's row lock (``select_for_update``), one row per
  question (a unique constraint): two tabs saving the same step update the same answers, a
  second "finish" finds the response completed and changes nothing.
- Completing freezes the scores (dimension results, overall score and band) and the path
  (path steps chosen by the rules, ``diagnostic.paths``): later edits of bands, rules or
  content never change a past result.
- Anonymous answers live in the session (``draft_*``); the first log-in attaches them to
  the account (``response_attach_from_session``), re-checked against the version.
- The barometer is computed once per closed quarter (``snapshot_closed_quarters``,
  idempotent) and stored; the page never reads responses.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from diagnostic import barometer as bm
from diagnostic import paths, rules, scoring, selectors
from diagnostic.models import (
    Answer,
    Band,
    ContactRequest,
    ContactStatus,
    Dimension,
    DimensionResult,
    Option,
    PathItem,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    SizeBand,
    Snapshot,
    SnapshotCell,
    VersionStatus,
)
from portal.models import NafSection, Profile, Region

log = logging.getLogger(__name__)

SESSION_KEY = "diagnostic_draft"


# Fields only these services (and the barometer job) write (portal.ownership): read-only in the
# admin (a contact request's status is closed through ``contact_request_close``), never imported.
SERVICE_OWNED_FIELDS = {
    "diagnostic.QuestionnaireVersion": {"status", "published_at"},
    "diagnostic.Response": {
        "user", "version", "status", "step", "sector", "size_band", "region", "overall_score", "overall_band",
        "is_demo", "started_at", "completed_at",
    },
    "diagnostic.ContactRequest": {"response", "user", "region", "consent_to_share", "status", "closed_at"},
    "diagnostic.Snapshot": {"quarter", "starts_on", "ends_on", "respondents", "published", "threshold", "computed_at"},
}


class DiagnosticError(Exception):
    """A refusal with a message for the person (translated)."""

    def __init__(self, message: str, *, step: int | None = None):
        super().__init__(message)
        self.message = message
        self.step = step


# --- Versions (staff) ---------------------------------------------------------------------------


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Publish a draft after checking its structure; the version published before is retired
    (its responses keep it). Serialised on the questionnaire row."""
    from diagnostic.validators import version_problems

    Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise DiagnosticError(_("Only a draft can be published."))
    problems = version_problems(version)
    if problems:
        raise DiagnosticError(" ".join(problems))
    QuestionnaireVersion.objects.filter(questionnaire_id=version.questionnaire_id, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED
    )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


def _copy(instance, **changes):
    instance.pk = None
    instance.id = None
    instance._state.adding = True
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()
    return instance


@transaction.atomic
def version_duplicate(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A new draft with the same dimensions, questions, options and bands (both languages),
    numbered after the questionnaire's last version."""
    Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    number = (
        QuestionnaireVersion.objects.filter(questionnaire_id=version.questionnaire_id).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    source_pk = version.pk
    draft = _copy(
        QuestionnaireVersion.objects.get(pk=source_pk),
        number=number, status=VersionStatus.DRAFT, published_at=None, created_at=timezone.now(),
        notes=_("Copy of version %(number)s.") % {"number": version.number},
    )
    for band in Band.objects.filter(version_id=source_pk):
        _copy(band, version=draft)
    for dimension in Dimension.objects.filter(version_id=source_pk).prefetch_related("questions__options"):
        questions = list(dimension.questions.all())
        new_dimension = _copy(dimension, version=draft)
        for question in questions:
            options = list(question.options.all())
            new_question = _copy(question, dimension=new_dimension)
            for option in options:
                _copy(option, question=new_question)
    return draft


# --- Company context ----------------------------------------------------------------------------


def context_from_profile(user) -> dict[str, Any]:
    """What the profile already says (sector, headcount, region): asked once, then reused."""
    profile = Profile.objects.select_related("region").filter(user=user).first()
    if profile is None:
        return {}
    return {
        "sector": profile.sector if profile.sector in NafSection.values else "",
        "size_band": profile.company_size if profile.company_size in SizeBand.values else "",
        "region": profile.region,
    }


def _profile_fill_blanks(user, *, sector: str, size_band: str, region: Region) -> None:
    """The answers complete the profile where it was silent; they never overwrite it."""
    profile, _created = Profile.objects.get_or_create(user=user)
    changed = []
    if not profile.sector:
        profile.sector = sector
        changed.append("sector")
    if not profile.company_size:
        profile.company_size = size_band
        changed.append("company_size")
    if profile.region_id is None:
        profile.region = region
        changed.append("region")
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])


# --- Answering (an account) -----------------------------------------------------------------------


@transaction.atomic
def response_start(*, user, version: QuestionnaireVersion) -> Response:
    """The person's diagnostic in progress (on whatever version it started), else a new one
    on ``version``, which must be the published one."""
    existing = Response.objects.filter(user=user, status=ResponseStatus.IN_PROGRESS).first()
    if existing is not None:
        return existing
    if not rules.version_can_be_answered(version):
        raise DiagnosticError(_("This questionnaire is not open at the moment."))
    try:
        with transaction.atomic():
            return Response.objects.create(user=user, version=version, **context_from_profile(user))
    except IntegrityError:  # another tab started one at the same instant
        return Response.objects.get(user=user, status=ResponseStatus.IN_PROGRESS)


def _locked_in_progress(response_id: int, user) -> Response:
    response = Response.objects.select_for_update().select_related("version").filter(pk=response_id, user=user).first()
    if response is None:
        raise DiagnosticError(_("This diagnostic is not yours."))
    return response


@transaction.atomic
def response_save_context(*, response_id: int, user, sector: str, size_band: str, region: Region) -> Response:
    response = _locked_in_progress(response_id, user)
    if response.status != ResponseStatus.IN_PROGRESS:
        return response
    response.sector, response.size_band, response.region = sector, size_band, region
    response.step = max(response.step, 1)
    response.save(update_fields=["sector", "size_band", "region", "step", "updated_at"])
    _profile_fill_blanks(user, sector=sector, size_band=size_band, region=region)
    return response


def _check_answers(version_id: int, answers: Mapping[int, Iterable[int]]) -> dict[int, set[int]]:
    """Refuse options of another question and questions of another version (one query)."""
    answers = {int(q): {int(o) for o in opts} for q, opts in answers.items()}
    valid = {}
    for question_id, option_id in Option.objects.filter(
        question_id__in=list(answers), question__dimension__version_id=version_id
    ).values_list("question_id", "pk"):
        valid.setdefault(question_id, set()).add(option_id)
    questions = set(
        Question.objects.filter(pk__in=list(answers), dimension__version_id=version_id).values_list("pk", flat=True)
    )
    for question_id, option_ids in answers.items():
        if question_id not in questions or not option_ids <= valid.get(question_id, set()):
            raise DiagnosticError(_("These answers do not belong to this questionnaire."))
    return answers


@transaction.atomic
def response_save_answers(*, response_id: int, user, answers: Mapping[int, Iterable[int]], step: int) -> Response:
    """Save a step's answers (validated by the step form; checked again here)."""
    response = _locked_in_progress(response_id, user)
    if response.status != ResponseStatus.IN_PROGRESS:
        return response  # finished in another tab: nothing to change
    answers = _check_answers(response.version_id, answers)
    now = timezone.now()
    existing = {a.question_id: a for a in Answer.objects.filter(response=response, question_id__in=list(answers))}
    for question_id, option_ids in answers.items():
        answer = existing.get(question_id)
        if answer is None:
            answer = Answer.objects.create(response=response, question_id=question_id, answered_at=now)
        else:
            answer.answered_at = now
            answer.save(update_fields=["answered_at"])
        answer.options.set(option_ids)
    response.step = max(response.step, step + 1)
    response.save(update_fields=["step", "updated_at"])
    return response


def first_incomplete_step(spec: scoring.VersionSpec, *, context: Mapping[str, Any], answers: Mapping[int, Any]) -> int | None:
    if not (context.get("sector") and context.get("size_band") and context.get("region")):
        return 0
    for index, dimension in enumerate(spec.dimensions, start=1):
        if scoring.missing_required(dimension, answers):
            return index
    return None


def _record_result(response: Response, spec: scoring.VersionSpec, answers: Mapping[int, set[int]], *, completed_at: datetime) -> None:
    card = scoring.score_card(spec, answers)
    DimensionResult.objects.bulk_create(
        DimensionResult(response=response, code=d.code, score=d.score, band=d.band, position=d.position)
        for d in card.dimensions
    )
    planned = paths.plan(spec=spec, card=card, answers=answers, rules=selectors.active_rules())
    PathItem.objects.bulk_create(
        PathItem(
            response=response, rule_id=p.rule_id, dimension=p.dimension, kind=p.kind, key=p.key, url=p.url,
            title_fr=p.title_fr, title_en=p.title_en, text_fr=p.text_fr, text_en=p.text_en, position=i,
        )
        for i, p in enumerate(planned)
    )
    response.status = ResponseStatus.COMPLETED
    response.overall_score = card.overall
    response.overall_band = card.band
    response.completed_at = completed_at
    response.step = spec.step_count
    response.save(update_fields=["status", "overall_score", "overall_band", "completed_at", "step", "updated_at"])


@transaction.atomic
def response_complete(*, response_id: int, user) -> Response:
    """Score and freeze. A response already completed (another tab) is returned unchanged; a
    missing answer raises DiagnosticError with the step to go back to."""
    response = _locked_in_progress(response_id, user)
    if response.status == ResponseStatus.COMPLETED:
        return response
    spec = selectors.version_spec(response.version)
    answers = selectors.response_answers(response)
    context = {"sector": response.sector, "size_band": response.size_band, "region": response.region_id}
    missing = first_incomplete_step(spec, context=context, answers=answers)
    if missing is not None:
        raise DiagnosticError(_("Some questions are not answered yet."), step=missing)
    _record_result(response, spec, answers, completed_at=timezone.now())
    return response


# --- Answering without an account: the session -------------------------------------------------


def draft_get(session) -> dict[str, Any] | None:
    draft = session.get(SESSION_KEY)
    return draft if isinstance(draft, dict) and isinstance(draft.get("version"), int) else None


def draft_start(session, *, version: QuestionnaireVersion) -> dict[str, Any]:
    draft = draft_get(session)
    if draft is not None and not draft.get("completed_at"):
        return draft
    if not rules.version_can_be_answered(version):
        raise DiagnosticError(_("This questionnaire is not open at the moment."))
    draft = {
        "version": version.pk,
        "public_id": str(uuid.uuid4()),
        "step": 0,
        "context": {},
        "answers": {},
        "started_at": timezone.now().isoformat(),
        "completed_at": None,
    }
    session[SESSION_KEY] = draft
    return draft


def draft_save_context(session, *, sector: str, size_band: str, region: Region) -> None:
    draft = draft_get(session)
    if draft is None or draft.get("completed_at"):
        return
    draft["context"] = {"sector": sector, "size_band": size_band, "region": region.code}
    draft["step"] = max(draft.get("step", 0), 1)
    session[SESSION_KEY] = draft


def draft_save_answers(session, *, answers: Mapping[int, Iterable[int]], step: int) -> None:
    draft = draft_get(session)
    if draft is None or draft.get("completed_at"):
        return
    stored = dict(draft.get("answers") or {})
    stored.update({str(q): sorted(int(o) for o in opts) for q, opts in _check_answers(draft["version"], answers).items()})
    draft["answers"] = stored
    draft["step"] = max(draft.get("step", 0), step + 1)
    session[SESSION_KEY] = draft


def draft_answers(draft: Mapping[str, Any]) -> dict[int, set[int]]:
    out = {}
    for q, opts in (draft.get("answers") or {}).items():
        try:
            out[int(q)] = {int(o) for o in opts}
        except (TypeError, ValueError):
            continue
    return out


def draft_context(draft: Mapping[str, Any]) -> dict[str, str]:
    context = draft.get("context") or {}
    return {k: str(context.get(k, "")) for k in ("sector", "size_band", "region")}


def draft_complete(session, *, spec: scoring.VersionSpec) -> scoring.ScoreCard:
    draft = draft_get(session)
    if draft is None:
        raise DiagnosticError(_("Start the diagnostic first."), step=0)
    answers = draft_answers(draft)
    missing = first_incomplete_step(spec, context=draft_context(draft), answers=answers)
    if missing is not None:
        raise DiagnosticError(_("Some questions are not answered yet."), step=missing)
    if not draft.get("completed_at"):
        draft["completed_at"] = timezone.now().isoformat()
        draft["step"] = spec.step_count
        session[SESSION_KEY] = draft
    return scoring.score_card(spec, answers)


@transaction.atomic
def response_attach_from_session(*, user, session) -> Response | None:
    """At log-in: the session's answers become the account's response (re-checked against the
    version: anything that does not belong to it is dropped). A finished diagnostic becomes a
    result; one in progress replaces the account's own unfinished one (the person just worked
    on it). The session forgets them either way."""
    draft = draft_get(session)
    session.pop(SESSION_KEY, None)
    if draft is None:
        return None
    version = QuestionnaireVersion.objects.select_related("questionnaire").filter(pk=draft["version"]).first()
    if version is None:
        return None
    spec = selectors.version_spec(version)
    answers = {q: opts for q, opts in draft_answers(draft).items() if (question := spec.question(q)) and opts <= question.option_ids()}
    for question_id, opts in answers.items():
        question = spec.question(question_id)
        if question.kind != "multi" and len(opts) > 1:
            answers[question_id] = set()
    answers = {q: o for q, o in answers.items() if o or spec.question(q).kind == "multi"}
    context = draft_context(draft)
    region = Region.objects.filter(code=context["region"]).first() if context["region"] else None
    sector = context["sector"] if context["sector"] in NafSection.values else ""
    size_band = context["size_band"] if context["size_band"] in SizeBand.values else ""
    completed_at = parse_datetime(draft.get("completed_at") or "") if draft.get("completed_at") else None
    complete = completed_at is not None and first_incomplete_step(
        spec, context={"sector": sector, "size_band": size_band, "region": region}, answers=answers
    ) is None
    try:
        public_id = uuid.UUID(str(draft.get("public_id")))
    except ValueError:
        public_id = uuid.uuid4()
    if Response.objects.filter(public_id=public_id).exists():
        public_id = uuid.uuid4()
    started_at = parse_datetime(draft.get("started_at") or "") or timezone.now()
    response = Response(
        user=user, version=version, public_id=public_id, sector=sector, size_band=size_band, region=region,
        started_at=min(started_at, timezone.now()), step=min(int(draft.get("step") or 0), spec.step_count),
    )
    if complete:
        # inserted as completed (the check constraint wants a score: _record_result sets the real one)
        response.status, response.overall_score, response.completed_at = ResponseStatus.COMPLETED, 0, timezone.now()
    else:
        Response.objects.filter(user=user, status=ResponseStatus.IN_PROGRESS).delete()
    response.save()
    for question_id, option_ids in answers.items():
        answer = Answer.objects.create(response=response, question_id=question_id)
        answer.options.set(option_ids)
    if complete:
        _record_result(response, spec, answers, completed_at=min(completed_at, timezone.now()))
    if region is not None:
        _profile_fill_blanks(user, sector=sector, size_band=size_band, region=region)
    return response


# --- Contact with an expert ---------------------------------------------------------------------


@transaction.atomic
def contact_request_create(*, response: Response, user, consent: bool, phone: str = "", message: str = "") -> ContactRequest:
    if not rules.can_request_contact(user, response):
        raise DiagnosticError(_("You can ask to be contacted about your own completed diagnostic."))
    if not consent:
        raise DiagnosticError(_("Tick the box to agree that the expert sees your result: without it we cannot pass on your request."))
    Response.objects.select_for_update().get(pk=response.pk)
    if ContactRequest.objects.filter(response=response, status__in=[ContactStatus.NEW, ContactStatus.IN_PROGRESS]).exists():
        raise DiagnosticError(_("Your request is already with us: an expert will contact you."))
    if response.region_id is None:
        raise DiagnosticError(_("Tell us your region first."))
    return ContactRequest.objects.create(
        response=response, user=user, region_id=response.region_id, consent_to_share=True,
        phone=phone.strip()[:40], message=message.strip()[:2000],
    )


@transaction.atomic
def contact_request_close(*, request_id: int) -> ContactRequest:
    contact = ContactRequest.objects.select_for_update().get(pk=request_id)
    if contact.status != ContactStatus.CLOSED:
        contact.status = ContactStatus.CLOSED
        contact.closed_at = timezone.now()
        contact.save(update_fields=["status", "closed_at"])
    return contact


# --- The barometer ------------------------------------------------------------------------------


def quarter_bounds(day: date) -> tuple[date, date, str]:
    """(first day, first day of the next quarter, "YYYY-Qn") of the quarter holding ``day``."""
    index = (day.month - 1) // 3
    start = date(day.year, 3 * index + 1, 1)
    end = date(day.year + (index == 3), (3 * index + 3) % 12 + 1, 1)
    return start, end, f"{day.year}-Q{index + 1}"


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def snapshot_compute(*, start: date, end: date, quarter: str) -> Snapshot:
    """Freeze one closed quarter (fails on the unique quarter if it exists)."""
    rows = list(
        Response.objects.filter(rules.counts_in_barometer(), completed_at__gte=_aware(start), completed_at__lt=_aware(end))
        .order_by("user_id", "-completed_at", "-pk")
        .values_list("pk", "user_id", "region__code", "sector", "size_band", "overall_score")
    )
    latest: dict[int, tuple] = {}
    for row in rows:  # one per organisation (distinct accounts until organisations exist): its latest
        latest.setdefault(row[1], row)
    scores: dict[int, dict[str, int]] = {pk: {bm.OVERALL: overall} for pk, _u, _r, _s, _z, overall in latest.values()}
    ids = list(scores)
    for start_index in range(0, len(ids), 1000):
        for response_id, code, score in DimensionResult.objects.filter(response_id__in=ids[start_index : start_index + 1000]).values_list(
            "response_id", "code", "score"
        ):
            scores[response_id][code] = score
    respondents = [
        bm.Respondent(region=region, sector=sector, size=size, scores={m: scores[pk].get(m, 0) for m in selectors.MEASURES})
        for pk, _u, region, sector, size, _o in latest.values()
    ]
    barometer = bm.build(
        quarter=quarter, respondents=respondents, categories=selectors.category_codes(), measures=selectors.MEASURES
    )
    snapshot = Snapshot.objects.create(
        quarter=quarter, starts_on=start, ends_on=end - timedelta(days=1), respondents=barometer.respondents,
        published=barometer.published, threshold=barometer.threshold,
    )
    SnapshotCell.objects.bulk_create(
        SnapshotCell(
            snapshot=snapshot, variable=table.variable, category=cell.category, measure=measure,
            respondents=cell.respondents, score_sum=cell.sums.get(measure), position=position,
        )
        for table in barometer.tables
        for position, cell in enumerate([*table.cells, table.total])
        for measure in barometer.measures
    )
    return snapshot


def snapshot_closed_quarters(*, now: datetime | None = None) -> list[Snapshot]:
    """Freeze every closed quarter since the first counted response that has no snapshot yet.
    Idempotent: a quarter already frozen is left as it is (run twice, same rows); an open
    quarter is never computed."""
    today = timezone.localdate(now)
    current_start, _end, _label = quarter_bounds(today)
    first = Response.objects.filter(rules.counts_in_barometer()).aggregate(first=Min("completed_at"))["first"]
    if first is None:
        return []
    start, end, label = quarter_bounds(timezone.localdate(first))
    created = []
    frozen = set(Snapshot.objects.values_list("quarter", flat=True))
    while start < current_start:
        if label not in frozen:
            try:
                with transaction.atomic():
                    created.append(snapshot_compute(start=start, end=end, quarter=label))
            except IntegrityError:  # another run froze it at the same moment
                log.info("barometer %s already frozen by a concurrent run", label)
        start, end, label = quarter_bounds(end)
    if created:
        cache.delete(selectors.FROZEN_LIST_KEY)  # the page's list of quarters (and its cache keys)
    return created


# --- Personal data ------------------------------------------------------------------------------


def personal_data_export(user) -> dict[str, Any]:
    responses = (
        Response.objects.filter(user=user)
        .select_related("version__questionnaire", "region")
        .prefetch_related("dimension_results", "answers__question", "answers__options", "path_items")
        .order_by("started_at")
    )
    return {
        "responses": [
            {
                "questionnaire": r.version.questionnaire.slug,
                "version": r.version.number,
                "status": r.status,
                "started_at": r.started_at,
                "completed_at": r.completed_at,
                "sector": r.sector,
                "size_band": r.size_band,
                "region": r.region.code if r.region_id else None,
                "overall_score": r.overall_score,
                "overall_band": r.overall_band,
                "dimensions": {d.code: {"score": d.score, "band": d.band} for d in r.dimension_results.all()},
                "answers": {a.question.code: sorted(o.code for o in a.options.all()) for a in r.answers.all()},
                "path": [{"kind": p.kind, "reference": p.key or p.url, "title": p.title} for p in r.path_items.all()],
            }
            for r in responses
        ],
        "contact_requests": list(
            ContactRequest.objects.filter(user=user)
            .order_by("created_at")
            .values("created_at", "region__code", "phone", "message", "consent_to_share", "status", "closed_at")
        ),
    }


def personal_data_erase(user) -> None:
    """Results, answers, paths and contact requests go. The barometer's frozen quarters keep
    the anonymous contribution (counts and sums, no row about the person)."""
    ContactRequest.objects.filter(user=user).delete()
    Response.objects.filter(user=user).delete()
