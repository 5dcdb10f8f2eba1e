"""Staff actions that move an edition through its phases; publication notifies every submitter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import (
    CompanyMember,
    Edition,
    Phase,
    Submission,
)
from contests.services.submissions import S, submission_transition
from portal.locking import lock_row
from portal.notifications.services import notify, route


@transaction.atomic
def edition_start_deliberation(*, edition: Edition, by) -> Edition:
    """After the deadline, staff open the deliberation (the jury's reviews are then final)."""
    locked = lock_row(Edition, edition.pk)
    if locked.phase != Phase.REVIEWING:
        raise ValidationError(_("Deliberation starts after the deadline, once."))
    locked.deliberation_started_at = timezone.now()
    locked.save(update_fields=["deliberation_started_at"])
    return locked


def edition_publish(*, edition: Edition, by) -> int:
    """Publish the results: every project still in play and not a laureate becomes not retained,
    then every submitter is told (laureate / not retained, with feedback if the edition allows)."""
    with transaction.atomic():
        locked = lock_row(Edition, edition.pk)
        if locked.phase not in (Phase.REVIEWING, Phase.DELIBERATION):
            raise ValidationError(_("Results can be published once, after the deadline."))
        for sub in Submission.objects.filter(edition=locked, state__in=[S.SUBMITTED, S.UNDER_REVIEW]):
            sub = submission_transition(submission=sub, to_state=S.UNDER_REVIEW, by=by) if sub.state == S.SUBMITTED else sub
            submission_transition(submission=sub, to_state=S.NOT_RETAINED, by=by, note="publication")
        for sub in Submission.objects.filter(edition=locked, state=S.SHORTLISTED):
            submission_transition(submission=sub, to_state=S.NOT_RETAINED, by=by, note="publication")
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at"])
        decided = (
            Submission.objects.filter(edition=locked, state__in=[S.LAUREATE, S.NOT_RETAINED])
            .select_related("created_by", "theme", "company")
            .prefetch_related(Prefetch("company__memberships", queryset=CompanyMember.objects.select_related("user")))
        )
        count = 0
        for sub in decided:
            # The person who submitted; if that account was erased, the company's remaining members.
            recipients = [sub.created_by] if sub.created_by_id else [m.user for m in sub.company.memberships.all()]
            laureate = sub.state == S.LAUREATE
            for person in recipients:
                notify(
                    kind="contests.result_laureate" if laureate else "contests.result_not_retained",
                    user=person,
                    context={
                        "submission": sub, "edition": locked,
                        "feedback": sub.feedback if locked.feedback_to_submitters else "",
                    },
                    link=route("contests:laureates", locked.slug) if laureate
                    else route("contests:submission_detail", sub.pk),
                    dedup_key=f"contests.result:{sub.pk}:{person.pk}",
                )
                count += 1
    return count


@transaction.atomic
def edition_archive(*, edition: Edition, by) -> Edition:
    locked = lock_row(Edition, edition.pk)
    if not locked.published_at:
        raise ValidationError(_("Only an edition whose results are published can be archived."))
    locked.archived_at = locked.archived_at or timezone.now()
    locked.save(update_fields=["archived_at"])
    return locked
