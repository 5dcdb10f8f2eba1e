"""Writes of a project: drafts, edits (versioned once submitted), attachments, and the one
door for every state change, :func:`submission_transition`: it locks the row, checks the
transition and its conditions (the deadline to the second, eligibility, completeness, the
edition's phase), saves, logs who/when/from → to and queues the notification in the same
transaction. Also the periodic deadline sweep and the draft reminders."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import rules
from contests.eligibility import company_eligibility
from contests.models import (
    Attachment,
    Company,
    Edition,
    Submission,
    SubmissionState,
    SubmissionStateChange,
    SubmissionVersion,
)
from contests.uploads import IMAGES_MAX_COUNT, check_deck, check_image
from portal.locking import lock_row, race_window
from portal.notifications.services import notify, route

S = SubmissionState

# The state machine. Staff corrections before publication are allowed between decisions; a
# company may withdraw any project still in play until the results are published (decided or not:
# the same answer for all, so the button tells nothing of the jury's decision).
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.SHORTLISTED, S.NOT_RETAINED, S.WITHDRAWN},
    S.SHORTLISTED: {S.LAUREATE, S.NOT_RETAINED, S.UNDER_REVIEW, S.WITHDRAWN},
    S.NOT_RETAINED: {S.SHORTLISTED, S.UNDER_REVIEW, S.WITHDRAWN},
    S.LAUREATE: {S.SHORTLISTED, S.NOT_RETAINED, S.WITHDRAWN},
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


# --- Submissions: content ---------------------------------------------------------------------


def _check_theme(edition: Edition, theme_id: int) -> None:
    if not edition.edition_themes.filter(theme_id=theme_id).exists():
        raise ValidationError({"theme": _("Choose one of this edition's themes.")})


def _check_editable(submission: Submission, now) -> None:
    """Enforces ``rules.project_is_editable``, with the reason."""
    if rules.project_is_editable(None, submission, now=now):
        return
    if submission.state not in (S.DRAFT, S.SUBMITTED):
        raise ValidationError(_("This project can no longer be changed."))
    if submission.edition.is_past_deadline_at(now):
        raise ValidationError(_("The deadline has passed: projects can no longer be changed."))
    raise ValidationError(_("The call for projects is closed."))


def _check_lengths(fields: dict[str, Any]) -> None:
    """Every text the model bounds stays within its bound (text columns have none in the
    database: without this an import or a script could store 100 KB, snapshotted on every save)."""
    errors = {}
    for name, value in fields.items():
        limit = getattr(Submission._meta.get_field(name), "max_length", None) if name != "theme_id" else None
        if limit and isinstance(value, str) and len(value) > limit:
            errors[name] = _("At most %(max)s characters (this text has %(n)s).") % {"max": limit, "n": len(value)}
    if errors:
        raise ValidationError(errors)


def submission_create_draft(*, edition: Edition, company: Company, user, **fields: Any) -> Submission:
    """A member of a company opens a draft while the call is upcoming or open; title unique per company and edition."""
    now = timezone.now()
    if not rules.is_company_member(user, company.pk):
        raise PermissionDenied
    _check_lengths(fields)
    if not edition.accepts_drafts_at(now):
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
    _check_lengths(fields)
    try:
        with transaction.atomic():
            locked = lock_row(Submission.objects.select_related("edition"), submission.pk)
            _check_editable(locked, timezone.now())
            if "theme_id" in fields:
                _check_theme(locked.edition, fields["theme_id"])
            changed = False
            for name, value in fields.items():
                if getattr(locked, name) != value:
                    setattr(locked, name, value)
                    changed = True
            if changed and locked.state == S.SUBMITTED:
                # A submitted project stays complete: the jury never gets one emptied after its receipt.
                missing = _missing_to_submit(locked)
                if missing:
                    raise ValidationError(
                        _("A submitted project keeps these fields filled in: %(fields)s.") % {"fields": ", ".join(missing)}
                    )
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
                          fields: dict[str, Any] | None = None, now=None, releasing=None, silent: bool = False) -> Submission:
    """The one door for every state change: check, save, log who/when/from → to, notify.

    Conditions: → submitted only while the edition is open (to the second), for an eligible
    company and a complete project; → under review only after the deadline; decisions only
    while ``rules.decisions_refusal`` allows them (after the deadline, before the results are
    published, and not while a publication is prepared — except by the release of that very
    publication, ``releasing``); a laureate has a rank.

    Recording the decision a project already has (same state) only updates the decision's
    fields (rank, prize, feedback), under the same conditions; it is not logged as a change.
    ``silent``: logged, but nobody is told (a step the result e-mail already covers).
    """
    now = now or timezone.now()
    with transaction.atomic():
        if to_state != S.SUBMITTED:
            # Decisions, reviews and withdrawals are weighed against the edition's phase and its
            # prepared publication: the edition row first (as prepare and release take it), then
            # the project — never the other way round. Submitting before the deadline does not
            # need it, so a rush of submissions is not serialised on the edition.
            edition_id = Submission.objects.filter(pk=submission.pk).values_list("edition_id", flat=True).get()
            lock_row(Edition, edition_id)
        locked = lock_row(
            Submission.objects.select_related("edition", "company", "theme", "created_by"), submission.pk, of=("self",)
        )
        from_state = locked.state
        race_window("contests.submission_state_read")
        same_decision = to_state == from_state and to_state in DECISION_STATES
        if not same_decision and to_state not in TRANSITIONS.get(from_state, set()):
            raise TransitionError(
                _("A project cannot go from “%(from)s” to “%(to)s”.") % {"from": S(from_state).label, "to": S(to_state).label}
            )
        edition = locked.edition
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
        if to_state == S.SUBMITTED:
            if not edition.accepts_projects_at(now):
                raise TransitionError(_("The deadline has passed: the project stays a draft and can no longer be submitted."))
            eligibility = company_eligibility(locked.company)
            if not eligibility.eligible:
                raise TransitionError(eligibility.reasons)
            missing = _missing_to_submit(locked)
            if missing:
                raise TransitionError(_("Complete these fields before submitting: %(fields)s.") % {"fields": ", ".join(missing)})
            locked.submitted_at = now
        if to_state == S.UNDER_REVIEW and not edition.is_past_deadline_at(now):
            raise TransitionError(_("Projects go under review only after the deadline."))
        if to_state == S.WITHDRAWN:
            # The company's own choice, the same for every project still in play whatever the
            # jury decided (asking the decision rules would tell it what they are).
            if edition.results_are_published:
                raise TransitionError(_("The results are published: a project can no longer be withdrawn."))
        elif to_state in DECISION_STATES or from_state in DECISION_STATES:
            if releasing is not None and releasing.edition_id == edition.pk:
                refusal = None if edition.decisions_open_at(now) else _("The results are already published.")
            else:
                refusal = rules.decisions_refusal(edition, now)
            if refusal:
                raise TransitionError(refusal)
        if to_state == S.LAUREATE and not locked.rank:
            raise TransitionError(_("A laureate needs a rank in its theme."))
        if to_state != S.LAUREATE:
            locked.rank = None
            locked.prize = ""
        locked.state = to_state
        locked.save()
        if same_decision:
            return locked
        SubmissionStateChange.objects.create(submission=locked, from_state=from_state, to_state=to_state, by=by, note=note[:300], at=now)
        if to_state == S.SUBMITTED:
            _record_version(locked, by)
        kind = None if silent else TRANSITION_KINDS.get(to_state)
        if kind and locked.created_by_id:
            notify(
                kind=kind,
                user=locked.created_by,
                context={"submission": locked, "edition": edition, "snapshot": snapshot(locked)},
                link=route("contests:submission_detail", locked.pk),
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
    the same decision again only updates rank, prize and feedback (the same door and checks).
    """
    fields: dict[str, Any] = {}
    if feedback is not None:
        fields["feedback"] = feedback
    if decision == S.LAUREATE:
        fields.update(rank=rank, prize=prize)
    with transaction.atomic():
        locked = lock_row(Submission, submission.pk)
        if decision == S.LAUREATE and locked.state == S.UNDER_REVIEW:
            locked = submission_transition(submission=locked, to_state=S.SHORTLISTED, by=by)
        return submission_transition(submission=locked, to_state=decision, by=by, fields=fields)


# --- Attachments ----------------------------------------------------------------------------


def clean_file_name(name: str) -> str:
    """The uploader's file name as members see it: no path, no control or odd characters, at most
    120 characters (the extension kept)."""
    name = PurePosixPath(str(name).replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/\\|?*').strip(" .")
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return stem[: 119 - len(ext)].strip() + "." + ext if stem else name[:120]
    return name[:120]


def attachment_add(*, submission: Submission, user, kind: str, upload) -> Attachment:
    """Add a pitch deck (replacing the previous one) or an image (5 at most), checked by content."""
    if not rules.can_edit_submission(user, submission):
        raise PermissionDenied
    checked = check_deck(upload) if kind == Attachment.Kind.DECK else check_image(upload)
    with transaction.atomic():
        locked = lock_row(Submission.objects.select_related("edition"), submission.pk)
        _check_editable(locked, timezone.now())
        if kind == Attachment.Kind.IMAGE and locked.attachments.filter(kind=kind).count() >= IMAGES_MAX_COUNT:
            raise ValidationError(_("A project has at most %(n)s images: remove one first.") % {"n": IMAGES_MAX_COUNT})
        old = list(locked.attachments.filter(kind=Attachment.Kind.DECK)) if kind == Attachment.Kind.DECK else []
        attachment = Attachment(submission=locked, kind=kind, content_type=checked.content_type, size=checked.size,
                                original_name=clean_file_name(getattr(upload, "name", "")))
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
        locked = lock_row(Submission.objects.select_related("edition"), submission.pk)
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
                link=route("contests:submission_edit", submission.pk),
                dedup_key=f"contests.draft_reminder:{submission.pk}:{label}",
            )
        sent += int(row is not None)
    return sent
