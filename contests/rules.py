"""Who may see or do what in the contest: the one place views, services and templates ask."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet

from contests.models import (
    Assignment,
    Attachment,
    CompanyInvitation,
    CompanyMember,
    Conflict,
    Juror,
    Submission,
    SubmissionState,
)

# A juror only ever sees projects the jury works on: never a draft, never a withdrawn one.
JURY_VISIBLE_STATES = [
    SubmissionState.SUBMITTED,
    SubmissionState.UNDER_REVIEW,
    SubmissionState.SHORTLISTED,
    SubmissionState.NOT_RETAINED,
    SubmissionState.LAUREATE,
]


def is_company_member(user, company_id: int) -> bool:
    return bool(user and user.is_authenticated) and CompanyMember.objects.filter(user=user, company_id=company_id).exists()


def is_invitee(user, invitation: CompanyInvitation | Juror) -> bool:
    """The person an invitation was sent to: logged in, with that address verified on the account.

    The one door for every invitation by e-mail of the contest — a colleague's
    (``CompanyInvitation``) and a juror's (``Juror``): the secret link alone is not enough.
    """
    return bool(user and user.is_authenticated) and EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


def can_edit_submission(user, submission: Submission) -> bool:
    return is_company_member(user, submission.company_id)


def juror_visible_assignments(juror: Juror) -> QuerySet:
    """A juror's assignments, minus drafts/withdrawn projects and every conflicted company
    (declared conflicts and companies the juror belongs to) — whoever wrote the assignment.

    In an anonymised review nothing is visible until the juror has closed the declaration of
    conflicts (see :func:`can_declare_company_conflict`): a project can then never vanish from
    the list because the juror named a company, which would tell who is behind it.
    """
    declared = Conflict.objects.filter(juror=juror).values("company_id")
    qs = Assignment.objects.filter(
        Q(juror__edition__anonymised_review=False) | Q(juror__conflicts_declared_at__isnull=False),
        juror=juror, submission__state__in=JURY_VISIBLE_STATES,
    ).exclude(submission__company_id__in=declared)
    if juror.user_id is not None:
        qs = qs.exclude(submission__company__memberships__user_id=juror.user_id)
    return qs


def juror_for(user, edition) -> Juror | None:
    """The accepted juror record of this person for this edition (never staff status)."""
    if not (user and user.is_authenticated):
        return None
    return Juror.objects.filter(edition=edition, user=user, accepted_at__isnull=False).first()


def can_download_attachment(user, attachment: Attachment) -> bool:
    if not (user and user.is_authenticated):
        return False
    if user.is_staff and user.has_perm("contests.view_submission"):  # the permission, never staff status alone
        return True
    submission = attachment.submission
    if is_company_member(user, submission.company_id):
        return True
    juror = juror_for(user, submission.edition)
    return juror is not None and juror_visible_assignments(juror).filter(submission_id=submission.pk).exists()


def is_conflicted(juror: Juror, company_id: int) -> bool:
    if Conflict.objects.filter(juror=juror, company_id=company_id).exists():
        return True
    return juror.user_id is not None and CompanyMember.objects.filter(user_id=juror.user_id, company_id=company_id).exists()



def can_declare_company_conflict(juror: Juror) -> bool:
    """Naming a company is possible while it cannot link that company to a project the juror
    has seen: always when the review is not anonymised (the company is shown anyway), and in
    an anonymised review only until the juror closes the declaration and sees the projects.
    After that, the juror recuses himself or herself from a project instead."""
    return not juror.edition.anonymised_review or juror.conflicts_declared_at is None


def must_declare_conflicts_first(juror: Juror) -> bool:
    return juror.edition.anonymised_review and juror.conflicts_declared_at is None
