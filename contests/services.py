"""Every write of the contest. One function per use case; the docstring says the rule.

The state of a submission changes in exactly one place, :func:`submission_transition`:
it locks the row, checks the transition and its conditions (the deadline to the second,
eligibility, completeness, the edition's phase), saves, logs who/when/from → to and queues
the notification in the same transaction.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import rules
from contests.eligibility import company_eligibility
from contests.models import (
    Assignment,
    Attachment,
    Company,
    CompanyMember,
    Conflict,
    Criterion,
    Edition,
    Juror,
    Phase,
    Review,
    Score,
    Submission,
    SubmissionState,
    SubmissionStateChange,
    SubmissionVersion,
)
from contests.uploads import IMAGES_MAX_COUNT, check_deck, check_image
from contests.validators import compact
from portal.notifications.services import notify

S = SubmissionState

# The state machine. Staff corrections before publication are allowed between decisions.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.SHORTLISTED, S.NOT_RETAINED, S.WITHDRAWN},
    S.SHORTLISTED: {S.LAUREATE, S.NOT_RETAINED, S.UNDER_REVIEW},
    S.NOT_RETAINED: {S.SHORTLISTED, S.UNDER_REVIEW},
    S.LAUREATE: {S.SHORTLISTED, S.NOT_RETAINED},
    S.WITHDRAWN: set(),
}
DECISION_STATES = {S.SHORTLISTED, S.NOT_RETAINED, S.LAUREATE}
# Fields a project must have before it can be submitted.
REQUIRED_TO_SUBMIT = ["title", "pitch", "description", "object_function", "connectivity", "target_market", "business_model"]
EDITABLE_FIELDS = [
    "title", "theme_id", "pitch", "description", "object_function", "connectivity", "data_handled", "stage",
    "target_market", "business_model", "team_members", "support_industrialisation", "support_export",
    "support_funding", "video_url",
]
# Notifications sent at the moment of the transition (decisions are told at publication).
TRANSITION_KINDS = {
    S.SUBMITTED: "contests.submission_received",
    S.WITHDRAWN: "contests.submission_withdrawn",
    S.UNDER_REVIEW: "contests.submission_under_review",
}


class TransitionError(ValidationError):
    pass


# Test-only hooks (tests/contests/test_concurrency.py): switch row locking off to prove the
# race exists, and pause a transition right after it has read the current state.
LOCKING = True
after_state_read: Callable[[], None] | None = None


def _for_update(qs):
    return qs.select_for_update() if LOCKING else qs


# --- Companies ------------------------------------------------------------------------------


def company_create(*, user, legal_name: str, siret: str, region, headcount: int, turnover_eur: int | None,
                   balance_sheet_eur: int | None, created_on, independence_declared: bool, is_demo: bool = False) -> Company:
    """Create a company and make the person its leader. A SIRET is registered once on the portal
    (the unique index decides between two people registering it at the same moment)."""
    number = compact(siret)
    taken = ValidationError(
        {"siret": _("A company with this SIRET is already registered: ask one of its members to add you to it.")}
    )
    if Company.objects.filter(siret=number).exists():
        raise taken
    try:
        with transaction.atomic():
            return _company_insert(
                user=user, legal_name=legal_name, siret=number, region=region, headcount=headcount,
                turnover_eur=turnover_eur, balance_sheet_eur=balance_sheet_eur, created_on=created_on,
                independence_declared=independence_declared, is_demo=is_demo,
            )
    except IntegrityError:
        raise taken from None


def _company_insert(*, user, legal_name, siret, region, headcount, turnover_eur, balance_sheet_eur, created_on,
                    independence_declared, is_demo) -> Company:
    company = Company(
        legal_name=legal_name.strip(), siret=siret, region=region, headcount=headcount, turnover_eur=turnover_eur,
        balance_sheet_eur=balance_sheet_eur, created_on=created_on, independence_declared=independence_declared,
        is_demo=is_demo,
    )
    company.full_clean(validate_unique=False)
    company.save()
    CompanyMember.objects.create(company=company, user=user, role=CompanyMember.Role.LEADER)
    return company


@transaction.atomic
def company_update(*, company: Company, user, **fields: Any) -> Company:
    """Only a member of the company may change it; the SIRET is checked again."""
    if not rules.is_company_member(user, company.pk):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(company, name, compact(value) if name == "siret" else value)
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def company_member_add(*, company: Company, by, email: str) -> CompanyMember:
    """A member adds a colleague who already has an account on the portal (found by e-mail)."""
    if not rules.is_company_member(by, company.pk):
        raise PermissionDenied
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {"email": _("No account uses this address: ask your colleague to create an account first, then add them.")}
        )
    membership, _created = CompanyMember.objects.get_or_create(
        company=company, user=user, defaults={"role": CompanyMember.Role.MEMBER}
    )
    # A juror who joins a company loses the assignments that now conflict.
    Assignment.objects.filter(juror__user=user, submission__company=company).delete()
    return membership


# --- Submissions: content ---------------------------------------------------------------------


def _check_theme(edition: Edition, theme_id: int) -> None:
    if not edition.edition_themes.filter(theme_id=theme_id).exists():
        raise ValidationError({"theme": _("Choose one of this edition's themes.")})


def _check_editable(submission: Submission, now) -> None:
    if submission.state not in (S.DRAFT, S.SUBMITTED):
        raise ValidationError(_("This project can no longer be changed."))
    if now >= submission.edition.closes_at:
        raise ValidationError(_("The deadline has passed: projects can no longer be changed."))
    if submission.edition.phase_at(now) not in (Phase.UPCOMING, Phase.OPEN):
        raise ValidationError(_("The call for projects is closed."))


def submission_create_draft(*, edition: Edition, company: Company, user, **fields: Any) -> Submission:
    """A member of a company opens a draft while the call is upcoming or open; title unique per company and edition."""
    now = timezone.now()
    if not rules.is_company_member(user, company.pk):
        raise PermissionDenied
    if now >= edition.closes_at or edition.phase_at(now) not in (Phase.UPCOMING, Phase.OPEN):
        raise ValidationError(_("The call for projects is closed."))
    _check_theme(edition, fields.get("theme_id") or getattr(fields.get("theme"), "pk", None))
    submission = Submission(edition=edition, company=company, created_by=user, state=S.DRAFT, **fields)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        raise ValidationError({"title": _("This company already has a project with this title in this edition.")}) from None
    return submission


def snapshot(submission: Submission) -> dict[str, Any]:
    data = {name: getattr(submission, name) for name in EDITABLE_FIELDS}
    data["theme"] = submission.theme.slug if submission.theme_id else None
    data["company"] = submission.company.legal_name
    data["attachments"] = [a.download_name for a in submission.attachments.all()]
    return data


def _record_version(submission: Submission, user) -> SubmissionVersion:
    last = submission.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return SubmissionVersion.objects.create(submission=submission, number=last + 1, data=snapshot(submission), created_by=user)


def submission_update(*, submission: Submission, user, **fields: Any) -> Submission:
    """A member edits a draft, or a submitted project until the deadline (each change of a submitted one is versioned)."""
    if not rules.can_edit_submission(user, submission):
        raise PermissionDenied
    try:
        with transaction.atomic():
            locked = Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
            _check_editable(locked, timezone.now())
            if "theme_id" in fields:
                _check_theme(locked.edition, fields["theme_id"])
            changed = False
            for name, value in fields.items():
                if getattr(locked, name) != value:
                    setattr(locked, name, value)
                    changed = True
            if changed:
                locked.save()
                if locked.state == S.SUBMITTED:
                    _record_version(locked, user)
    except IntegrityError:
        raise ValidationError({"title": _("This company already has a project with this title in this edition.")}) from None
    return locked


def _missing_to_submit(submission: Submission) -> list[str]:
    return [str(Submission._meta.get_field(n).verbose_name) for n in REQUIRED_TO_SUBMIT if not getattr(submission, n)]


def submission_transition(*, submission: Submission, to_state: str, by=None, note: str = "",
                          fields: dict[str, Any] | None = None, now=None) -> Submission:
    """The one door for every state change: check, save, log who/when/from → to, notify.

    Conditions: → submitted only while the edition is open (to the second), for an eligible
    company and a complete project; → under review only after the deadline; decisions only
    after the deadline and before the results are published; a laureate has a rank.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _for_update(Submission.objects).filter(pk=submission.pk).values_list("pk", flat=True).get()
        locked = Submission.objects.select_related("edition", "company", "theme", "created_by").get(pk=submission.pk)
        from_state = locked.state
        if after_state_read is not None:
            after_state_read()
        if to_state not in TRANSITIONS.get(from_state, set()):
            raise TransitionError(
                _("A project cannot go from “%(from)s” to “%(to)s”.") % {"from": S(from_state).label, "to": S(to_state).label}
            )
        edition = locked.edition
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
        if to_state == S.SUBMITTED:
            if not edition.is_open_at(now):
                raise TransitionError(_("The deadline has passed: the project stays a draft and can no longer be submitted."))
            eligibility = company_eligibility(locked.company)
            if not eligibility.eligible:
                raise TransitionError(eligibility.reasons)
            missing = _missing_to_submit(locked)
            if missing:
                raise TransitionError(_("Complete these fields before submitting: %(fields)s.") % {"fields": ", ".join(missing)})
            locked.submitted_at = now
        if to_state == S.UNDER_REVIEW and now < edition.closes_at:
            raise TransitionError(_("Projects go under review only after the deadline."))
        if to_state in DECISION_STATES or from_state in DECISION_STATES:
            if now < edition.closes_at or edition.phase_at(now) in (Phase.PUBLISHED, Phase.ARCHIVED):
                raise TransitionError(_("Decisions are taken after the deadline and before the results are published."))
        if to_state == S.LAUREATE and not locked.rank:
            raise TransitionError(_("A laureate needs a rank in its theme."))
        if to_state != S.LAUREATE:
            locked.rank = None
            locked.prize = ""
        locked.state = to_state
        locked.save()
        SubmissionStateChange.objects.create(submission=locked, from_state=from_state, to_state=to_state, by=by, note=note[:300], at=now)
        if to_state == S.SUBMITTED:
            _record_version(locked, by)
        kind = TRANSITION_KINDS.get(to_state)
        if kind and locked.created_by_id:
            notify(
                kind=kind,
                user=locked.created_by,
                context={"submission": locked, "edition": edition, "snapshot": snapshot(locked)},
                link=reverse("contests:submission_detail", args=[locked.pk]),
            )
    return locked


def submission_submit(*, submission: Submission, user) -> Submission:
    """The leader submits before the deadline; a refused submit leaves the draft untouched."""
    if not rules.can_edit_submission(user, submission):
        raise PermissionDenied
    return submission_transition(submission=submission, to_state=S.SUBMITTED, by=user)


def submission_withdraw(*, submission: Submission, user) -> Submission:
    """A member may withdraw a project until the jury decides."""
    if not rules.can_edit_submission(user, submission):
        raise PermissionDenied
    return submission_transition(submission=submission, to_state=S.WITHDRAWN, by=user)


def submission_decide(*, submission: Submission, decision: str, by, rank: int | None = None, prize: str = "",
                      feedback: str | None = None) -> Submission:
    """Staff deliberation: shortlist, not retain, or make a laureate (with rank and prize) — through the one door.

    A project under review made laureate is shortlisted first (both steps logged); recording
    the same decision again only updates rank, prize and feedback.
    """
    fields: dict[str, Any] = {}
    if feedback is not None:
        fields["feedback"] = feedback
    if decision == S.LAUREATE:
        fields.update(rank=rank, prize=prize)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
        if decision == locked.state:
            if locked.edition.phase in (Phase.PUBLISHED, Phase.ARCHIVED):
                raise TransitionError(_("Decisions are taken after the deadline and before the results are published."))
            for name, value in fields.items():
                setattr(locked, name, value)
            if decision == S.LAUREATE and not locked.rank:
                raise TransitionError(_("A laureate needs a rank in its theme."))
            locked.save()
            return locked
        if decision == S.LAUREATE and locked.state == S.UNDER_REVIEW:
            locked = submission_transition(submission=locked, to_state=S.SHORTLISTED, by=by)
        return submission_transition(submission=locked, to_state=decision, by=by, fields=fields)


# --- Attachments ----------------------------------------------------------------------------


def attachment_add(*, submission: Submission, user, kind: str, upload) -> Attachment:
    """Add a pitch deck (replacing the previous one) or an image (5 at most), checked by content."""
    if not rules.can_edit_submission(user, submission):
        raise PermissionDenied
    checked = check_deck(upload) if kind == Attachment.Kind.DECK else check_image(upload)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
        _check_editable(locked, timezone.now())
        if kind == Attachment.Kind.IMAGE and locked.attachments.filter(kind=kind).count() >= IMAGES_MAX_COUNT:
            raise ValidationError(_("A project has at most %(n)s images: remove one first.") % {"n": IMAGES_MAX_COUNT})
        old = list(locked.attachments.filter(kind=Attachment.Kind.DECK)) if kind == Attachment.Kind.DECK else []
        attachment = Attachment(submission=locked, kind=kind, content_type=checked.content_type, size=checked.size)
        attachment.file.save(checked.content.name, checked.content, save=False)
        stored = attachment.file.name
        try:
            attachment.save()
        except Exception:
            attachment.file.storage.delete(stored)  # no orphan file if the row cannot be written
            raise
        for previous in old:
            _attachment_remove(previous)
        if locked.state == S.SUBMITTED:
            _record_version(locked, user)
    return attachment


def _attachment_remove(attachment: Attachment) -> None:
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def attachment_delete(*, attachment: Attachment, user) -> None:
    submission = attachment.submission
    if not rules.can_edit_submission(user, submission):
        raise PermissionDenied
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
        _check_editable(locked, timezone.now())
        _attachment_remove(attachment)
        if locked.state == S.SUBMITTED:
            _record_version(locked, user)


# --- Deadlines (periodic, idempotent) ------------------------------------------------------


def deadline_sweep(*, now=None) -> int:
    """At the deadline, move submitted projects to under review; drafts stay drafts."""
    now = now or timezone.now()
    due = Submission.objects.filter(state=S.SUBMITTED, edition__closes_at__lte=now).values_list("pk", flat=True)
    moved = 0
    for pk in list(due):
        try:
            submission_transition(submission=Submission(pk=pk), to_state=S.UNDER_REVIEW, by=None, note="deadline sweep", now=now)
            moved += 1
        except TransitionError:
            continue  # changed meanwhile (withdrawn): nothing to do
    return moved


REMINDER_WINDOWS = [("7d", timedelta(days=7)), ("1d", timedelta(days=1))]


def draft_reminders_send(*, now=None) -> int:
    """Remind owners of drafts 7 days and 1 day before the deadline, once each (dedup_key)."""
    now = now or timezone.now()
    sent = 0
    drafts = Submission.objects.filter(
        state=S.DRAFT, edition__opens_at__lte=now, edition__closes_at__gt=now, created_by__isnull=False,
        edition__closes_at__lte=now + REMINDER_WINDOWS[0][1],
    ).select_related("edition", "created_by")
    for submission in drafts:
        left = submission.edition.closes_at - now
        label = "1d" if left <= timedelta(days=1) else "7d"
        days_left = max(1, math.ceil(left / timedelta(days=1)))  # a draft opened late is told the truth
        with transaction.atomic():
            row = notify(
                kind="contests.draft_reminder",
                user=submission.created_by,
                context={"submission": submission, "edition": submission.edition, "days": days_left},
                link=reverse("contests:submission_edit", args=[submission.pk]),
                dedup_key=f"contests.draft_reminder:{submission.pk}:{label}",
            )
        sent += int(row is not None)
    return sent


def review_reminders_send(*, now=None) -> int:
    """Remind jurors with reviews to finish 3 days before the reviewing deadline, once each."""
    now = now or timezone.now()
    sent = 0
    jurors = Juror.objects.filter(
        user__isnull=False, edition__review_deadline__gt=now, edition__review_deadline__lte=now + timedelta(days=3),
        edition__published_at__isnull=True,
    ).select_related("edition", "user")
    for juror in jurors:
        pending = rules.juror_visible_assignments(juror).filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True)).count()
        if not pending:
            continue
        with transaction.atomic():
            row = notify(
                kind="contests.review_reminder",
                user=juror.user,
                context={"juror": juror, "edition": juror.edition, "pending": pending},
                link=reverse("contests:jury", args=[juror.edition.slug]),
                dedup_key=f"contests.review_reminder:{juror.pk}",
            )
        sent += int(row is not None)
    return sent


# --- Jury -------------------------------------------------------------------------------------


@transaction.atomic
def juror_invite(*, edition: Edition, email: str, name: str = "", by=None) -> Juror:
    """Invite a person (who may have no account yet) to an edition's jury; re-inviting resends the e-mail."""
    email = email.strip().lower()
    juror = Juror.objects.filter(edition=edition, email__iexact=email).first()
    if juror is None:
        juror = Juror.objects.create(edition=edition, email=email, name=name.strip())
    juror.invited_at = timezone.now()
    juror.save(update_fields=["invited_at"])
    notify(
        kind="contests.jury_invitation",
        user=juror.user,
        recipient_email=juror.email,
        language=juror.user.language if juror.user_id else None,
        context={"juror": juror, "edition": edition},
        link=reverse("contests:jury_accept", args=[juror.token]),
    )
    return juror


@transaction.atomic
def juror_accept(*, token: str, user) -> Juror:
    """The logged-in person accepts an invitation: it is linked to this account (once)."""
    juror = Juror.objects.select_for_update().filter(token=token).select_related("edition").first()
    if juror is None:
        raise ValidationError(_("This invitation link is not valid."))
    if juror.user_id and juror.user_id != user.pk:
        raise ValidationError(_("This invitation has already been accepted by another account."))
    if Juror.objects.filter(edition=juror.edition, user=user).exclude(pk=juror.pk).exists():
        raise ValidationError(_("You are already a juror of this edition."))
    juror.user = user
    juror.accepted_at = juror.accepted_at or timezone.now()
    juror.save(update_fields=["user", "accepted_at"])
    # Assignments that the new link makes conflicted disappear.
    Assignment.objects.filter(juror=juror, submission__company__memberships__user=user).delete()
    return juror


@transaction.atomic
def conflict_declare(*, juror: Juror, company: Company, reason: str = "") -> Conflict:
    """A juror declares a conflict; any assignment to that company's projects is removed."""
    conflict, _created = Conflict.objects.get_or_create(juror=juror, company=company, defaults={"reason": reason[:300]})
    Assignment.objects.filter(juror=juror, submission__company=company).delete()
    return conflict


def assignment_create(*, juror: Juror, submission: Submission, by=None) -> Assignment:
    """Staff give a submission to a juror of the same edition, never to a conflicted one nor a draft."""
    if juror.edition_id != submission.edition_id:
        raise ValidationError(_("The juror and the project belong to different editions."))
    if submission.state not in rules.JURY_VISIBLE_STATES:
        raise ValidationError(_("Only submitted projects can be given to the jury."))
    if rules.is_conflicted(juror, submission.company_id):
        raise ValidationError(_("This juror has a conflict of interest with this company."))
    assignment, _created = Assignment.objects.get_or_create(juror=juror, submission=submission)
    return assignment


def assignments_auto_balance(*, edition: Edition, per_submission: int | None = None) -> int:
    """Give each submitted project N jurors of its theme, least-loaded jurors first, never a conflicted one.

    Only jurors who accepted their invitation count: an unanswered invitation gets no work.
    """
    n = per_submission or edition.jurors_per_submission
    created = 0
    with transaction.atomic():
        Edition.objects.select_for_update().get(pk=edition.pk)
        jurors = list(
            Juror.objects.filter(edition=edition, accepted_at__isnull=False)
            .prefetch_related("themes")
            .annotate(load=Count("assignments"))
        )
        conflicts: dict[int, set[int]] = defaultdict(set)
        for juror_id, company_id in Conflict.objects.filter(juror__edition=edition).values_list("juror_id", "company_id"):
            conflicts[juror_id].add(company_id)
        user_ids = [j.user_id for j in jurors if j.user_id]
        for user_id, company_id in CompanyMember.objects.filter(user_id__in=user_ids).values_list("user_id", "company_id"):
            for j in jurors:
                if j.user_id == user_id:
                    conflicts[j.pk].add(company_id)
        load = {j.pk: j.load for j in jurors}
        theme_ids = {j.pk: {t.pk for t in j.themes.all()} for j in jurors}
        existing: dict[int, set[int]] = defaultdict(set)
        for sub_id, juror_id in Assignment.objects.filter(submission__edition=edition).values_list("submission_id", "juror_id"):
            existing[sub_id].add(juror_id)
        submissions = Submission.objects.filter(
            edition=edition, state__in=[S.SUBMITTED, S.UNDER_REVIEW]
        ).order_by("theme_id", "pk")
        for submission in submissions:
            have = existing[submission.pk]
            candidates = [
                j for j in jurors
                if j.pk not in have
                and submission.company_id not in conflicts[j.pk]
                and (not theme_ids[j.pk] or submission.theme_id in theme_ids[j.pk])
            ]
            candidates.sort(key=lambda j: (load[j.pk], j.pk))
            for juror in candidates[: max(0, n - len(have))]:
                Assignment.objects.create(juror=juror, submission=submission)
                load[juror.pk] += 1
                have.add(juror.pk)
                created += 1
    return created


def review_save(*, assignment: Assignment, user, scores: dict[int, tuple[int, str]], comment: str, submit: bool) -> Review:
    """A juror scores an assigned, non-conflicted project on every criterion (0–10) until the results are published."""
    juror = assignment.juror
    if juror.user_id != user.pk or not juror.accepted_at:
        raise PermissionDenied
    submission = assignment.submission
    if not rules.juror_visible_assignments(juror).filter(pk=assignment.pk).exists():
        raise PermissionDenied
    edition = submission.edition
    if edition.phase in (Phase.PUBLISHED, Phase.ARCHIVED, Phase.UPCOMING, Phase.OPEN):
        raise ValidationError(_("Reviews are written between the deadline and the publication of the results."))
    criteria = list(Criterion.objects.filter(edition=edition))
    for criterion in criteria:
        value = scores.get(criterion.pk, (None, ""))[0]
        if value is not None and not (0 <= value <= 10):
            raise ValidationError(_("Each score is between 0 and 10."))
        if submit and value is None:
            raise ValidationError(_("Score every criterion before submitting your review."))
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
        review.comment = comment
        if submit and not review.submitted_at:
            review.submitted_at = timezone.now()
        review.save()
        for criterion in criteria:
            value, text = scores.get(criterion.pk, (None, ""))
            if value is None:
                Score.objects.filter(review=review, criterion=criterion).delete()
                continue
            Score.objects.update_or_create(review=review, criterion=criterion, defaults={"value": value, "comment": text})
    return review


# --- Edition phases (staff actions) -------------------------------------------------------------


@transaction.atomic
def edition_start_deliberation(*, edition: Edition, by) -> Edition:
    """After the deadline, staff open the deliberation (the jury's reviews are then final)."""
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.phase != Phase.REVIEWING:
        raise ValidationError(_("Deliberation starts after the deadline, once."))
    locked.deliberation_started_at = timezone.now()
    locked.save(update_fields=["deliberation_started_at"])
    return locked


def edition_publish(*, edition: Edition, by) -> int:
    """Publish the results: every project still in play and not a laureate becomes not retained,
    then every submitter is told (laureate / not retained, with feedback if the edition allows)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.phase not in (Phase.REVIEWING, Phase.DELIBERATION):
            raise ValidationError(_("Results can be published once, after the deadline."))
        for sub in Submission.objects.filter(edition=locked, state__in=[S.SUBMITTED, S.UNDER_REVIEW]):
            sub = submission_transition(submission=sub, to_state=S.UNDER_REVIEW, by=by) if sub.state == S.SUBMITTED else sub
            submission_transition(submission=sub, to_state=S.NOT_RETAINED, by=by, note="publication")
        for sub in Submission.objects.filter(edition=locked, state=S.SHORTLISTED):
            submission_transition(submission=sub, to_state=S.NOT_RETAINED, by=by, note="publication")
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at"])
        decided = Submission.objects.filter(edition=locked, state__in=[S.LAUREATE, S.NOT_RETAINED]).select_related(
            "created_by", "theme", "company"
        )
        count = 0
        for sub in decided:
            if not sub.created_by_id:
                continue
            laureate = sub.state == S.LAUREATE
            notify(
                kind="contests.result_laureate" if laureate else "contests.result_not_retained",
                user=sub.created_by,
                context={
                    "submission": sub, "edition": locked,
                    "feedback": sub.feedback if locked.feedback_to_submitters else "",
                },
                link=reverse("contests:laureates", args=[locked.slug]) if laureate else reverse("contests:submission_detail", args=[sub.pk]),
                dedup_key=f"contests.result:{sub.pk}",
            )
            count += 1
    return count


@transaction.atomic
def edition_archive(*, edition: Edition, by) -> Edition:
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if not locked.published_at:
        raise ValidationError(_("Only an edition whose results are published can be archived."))
    locked.archived_at = locked.archived_at or timezone.now()
    locked.save(update_fields=["archived_at"])
    return locked
