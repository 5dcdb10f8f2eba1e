"""Erasing a person from the contest (account deletion), one function per kind of record.

- A project the person created is deleted with its files and its whole history, unless it is
  a laureate (the public record keeps it, anonymised: no creator, no team list, in its versions
  and its history too) or the company still has other members (they keep it, unlinked).
- A company left with neither members nor projects is deleted with its history; a company
  that stays keeps its legal name and SIRET in its history (the company's record, not the person's).
- A juror record stays (its scores keep the ranking honest), anonymised, in its history too.
- Invitations sent to the person's verified addresses are deleted; those the person sent stay
  with the company, unlinked from the sender.

Files are deleted once the transaction commits: a later failure of the erasure loses nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone

from contests.models import (
    Company,
    Juror,
    Submission,
    SubmissionState,
    SubmissionVersion,
)
from contests.services.submissions import _attachment_remove
from organisations.models import Invitation, Membership
from portal.personal_data import delete_with_history


def submission_anonymise(*, submission: Submission) -> None:
    """A laureate whose creator leaves: the project stays public, without creator nor team list."""
    Submission.objects.filter(pk=submission.pk).update(created_by=None, team_members="", anonymised_at=timezone.now())
    Submission.history.filter(id=submission.pk).update(created_by=None, team_members="")
    for version in SubmissionVersion.objects.filter(submission_id=submission.pk):
        version.data["team_members"] = ""
        version.created_by = None
        version.save(update_fields=["data", "created_by"])


def submission_unlink_creator(*, submission: Submission) -> None:
    """Colleagues keep the project: only the link to its creator goes (in its history too)."""
    Submission.objects.filter(pk=submission.pk).update(created_by=None)
    Submission.history.filter(id=submission.pk).update(created_by=None)
    SubmissionVersion.objects.filter(submission_id=submission.pk).update(created_by=None)


def submission_erase(*, submission: Submission) -> None:
    """The project goes, with its files (once committed), versions, reviews and every history row."""
    with transaction.atomic():
        for attachment in submission.attachments.all():
            _attachment_remove(attachment)
        delete_with_history(submission)


def company_membership_erase(*, user) -> None:
    """The person leaves every company; companies left empty (no member, no project) go with their history."""
    company_ids = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    Membership.objects.filter(user=user).delete()
    empty = Company.objects.filter(pk__in=company_ids).annotate(m=Count("memberships"), s=Count("submissions")).filter(m=0, s=0)
    for company in empty:
        try:
            with transaction.atomic():
                delete_with_history(company)
        except ProtectedError:
            pass  # another programme still refers to it (a group registered for a trip): it stays


def juror_anonymise(*, juror: Juror) -> None:
    juror.user = None
    juror.email = f"erased-juror-{juror.pk}@invalid.example"
    juror.name = ""
    juror.save(update_fields=["user", "email", "name"])
    Juror.history.filter(id=juror.pk).update(user=None, email=juror.email, name="")


def contest_data_erase(*, user) -> None:
    """Everything the contest holds about the person (see the module's docstring)."""
    with transaction.atomic():
        for submission in Submission.objects.filter(created_by=user).select_related("edition"):
            colleagues = Membership.objects.filter(organisation_id=submission.company_id).exclude(user=user).exists()
            if submission.state == SubmissionState.LAUREATE:
                submission_anonymise(submission=submission)
            elif colleagues:
                submission_unlink_creator(submission=submission)
            else:
                submission_erase(submission=submission)
        # What the person touched without creating it: no trace of their account in the history.
        Submission.history.filter(created_by_id=user.pk).update(created_by=None)
        company_membership_erase(user=user)
        for juror in Juror.objects.filter(user=user):
            juror_anonymise(juror=juror)


def invitations_erase(*, addressed_to: Q, user) -> None:
    """Invitations sent to the person go; those the person sent stay, unlinked from the sender."""
    Invitation.objects.filter(addressed_to).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Invitation.objects.filter(accepted_by=user).update(accepted_by=None)
