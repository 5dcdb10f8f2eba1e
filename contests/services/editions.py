"""Staff actions that move an edition through its phases, and the publication of its results.

Publishing results decides people's fate and cannot be undone, so it takes two deliberate steps
(pretalx's outbox is the model):

1. **Prepare** (:func:`results_prepare`), from the deliberation only. Refused while a project in
   play has no final decision, unless staff explicitly choose "not retained" for every remaining
   project; each theme needs a laureate or an explicit "no laureate in this theme". The choices
   and every project's decision are frozen in a :class:`ResultsPublication`, and each result
   e-mail is written as a *held* outbox row: no project changes state, nobody is told anything,
   and decisions can no longer change while it is prepared. Staff read every held e-mail.
2. **Release** (:func:`results_release`): the transitions (through the one door,
   ``submission_transition``), ``published_at`` and the release of the held e-mails, in one
   transaction. Or **cancel** (:func:`results_cancel`), only before release: the held e-mails
   and their dedup keys are deleted and the edition stays in deliberation, nothing lost.

Every step locks the edition row first, so two staff members acting at once are serialised and
the second one is refused with the reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import rules, selectors
from contests.models import Edition, ResultsPublication, Submission
from contests.services.submissions import S, submission_transition
from portal.locking import lock_row, race_window
from portal.notifications.services import (
    notification_batch_discard,
    notification_batch_release,
    notifications_held,
    notify,
    route,
)


@transaction.atomic
def edition_start_deliberation(*, edition: Edition, by) -> Edition:
    """After the deadline, staff open the deliberation (the jury's reviews are then final)."""
    locked = lock_row(Edition, edition.pk)
    if not locked.deliberation_can_start_at(timezone.now()):
        raise ValidationError(_("Deliberation starts after the deadline, once."))
    locked.deliberation_started_at = timezone.now()
    locked.save(update_fields=["deliberation_started_at"])
    return locked


def results_prepare(
    *, edition: Edition, by, not_retained_for_remaining: bool = False, themes_without_laureate=()
) -> ResultsPublication:
    """Check and freeze the decisions and write every result e-mail as a held notification.

    Changes no project's state. Refused (ValidationError, with every reason) outside the
    deliberation, while another publication is prepared, and when the plan has problems.
    """
    with transaction.atomic():
        locked = lock_row(Edition, edition.pk)
        reason = rules.publication_refusal(locked)
        race_window("contests.publication_checked")
        if reason:
            raise ValidationError(reason)
        plan = selectors.publication_plan(
            locked, not_retained_for_remaining=not_retained_for_remaining,
            themes_without_laureate=set(themes_without_laureate),
        )
        if plan.problems:
            raise ValidationError(plan.problems)
        publication = ResultsPublication.objects.create(
            edition=locked, prepared_by=by, not_retained_for_remaining=not_retained_for_remaining,
            decisions=selectors.decisions_snapshot(locked),
        )
        publication.themes_without_laureate.set([t.edition_theme.theme_id for t in plan.themes if t.no_laureate])
        prizes = {t.edition_theme.theme_id: t.prize for t in plan.themes}
        for email in plan.emails:
            sub, person = email.submission, email.person
            notify(
                kind="contests.result_laureate" if email.laureate else "contests.result_not_retained",
                user=person,
                context={
                    "submission": sub, "edition": locked,
                    "prize": sub.prize or prizes.get(sub.theme_id, ""),  # as the confirmation page shows it
                    "feedback": sub.feedback if locked.feedback_to_submitters else "",
                },
                link=route("contests:laureates", locked.slug) if email.laureate
                else route("contests:submission_detail", sub.pk),
                dedup_key=_result_key(sub, person),
                hold_in_batch=publication.batch,
            )
    return publication


def _result_key(submission, person) -> str:
    return f"contests.result:{submission.pk}:{person.pk}"


def _locked_prepared(publication: ResultsPublication) -> tuple[Edition, ResultsPublication]:
    edition = lock_row(Edition, publication.edition_id)
    locked = lock_row(ResultsPublication, publication.pk)
    if locked.status == ResultsPublication.Status.RELEASED:
        raise ValidationError(_("These results are already published: the e-mails have left."))
    if locked.status == ResultsPublication.Status.CANCELLED:
        raise ValidationError(_("This publication was cancelled: prepare it again."))
    return edition, locked


def results_release(*, publication: ResultsPublication, by) -> int:
    """Publish: apply the frozen decisions (projects still without one become not retained when
    staff chose so), set ``published_at`` and free the held e-mails, all or nothing. Returns the
    number of e-mails released."""
    with transaction.atomic():
        edition, locked = _locked_prepared(publication)
        if selectors.decisions_snapshot(edition) != locked.decisions:
            raise ValidationError(
                _("A project changed since the publication was prepared: cancel it and prepare it again.")
            )
        plan = selectors.publication_plan(
            edition, not_retained_for_remaining=locked.not_retained_for_remaining,
            themes_without_laureate={t.pk for t in locked.themes_without_laureate.all()},
        )
        held = set(notifications_held(batch=locked.batch).values_list("dedup_key", flat=True))
        if held != {_result_key(e.submission, e.person) for e in plan.emails}:
            # An account erased meanwhile (its held e-mail with it), a held row deleted by hand:
            # what would leave is no longer what staff read.
            raise ValidationError(
                _("The people to tell changed since the publication was prepared: cancel it and prepare it again.")
            )
        now = timezone.now()
        if locked.not_retained_for_remaining:
            remaining = Submission.objects.filter(edition=edition, state__in=rules.AWAITING_FINAL_DECISION).order_by("pk")
            for sub in remaining:
                if sub.state == S.SUBMITTED:
                    sub = submission_transition(submission=sub, to_state=S.UNDER_REVIEW, by=by, now=now, releasing=locked,
                                                silent=True)
                submission_transition(submission=sub, to_state=S.NOT_RETAINED, by=by, note="publication", now=now,
                                      releasing=locked)
        edition.published_at = now
        edition.save(update_fields=["published_at"])
        locked.status = ResultsPublication.Status.RELEASED
        locked.released_at, locked.released_by = now, by
        locked.save(update_fields=["status", "released_at", "released_by"])
        return notification_batch_release(batch=locked.batch)


def results_cancel(*, publication: ResultsPublication, by) -> int:
    """Before release only: delete the held e-mails (and their dedup keys); the edition stays in
    deliberation and decisions can change again. Returns the number of e-mails discarded."""
    with transaction.atomic():
        _edition, locked = _locked_prepared(publication)
        discarded = notification_batch_discard(batch=locked.batch)
        locked.status = ResultsPublication.Status.CANCELLED
        locked.cancelled_at, locked.cancelled_by = timezone.now(), by
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    return discarded


@transaction.atomic
def edition_archive(*, edition: Edition, by) -> Edition:
    locked = lock_row(Edition, edition.pk)
    if not locked.results_are_published:
        raise ValidationError(_("Only an edition whose results are published can be archived."))
    locked.archived_at = locked.archived_at or timezone.now()
    locked.save(update_fields=["archived_at"])
    return locked
