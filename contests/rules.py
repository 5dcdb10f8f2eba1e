"""Who may see or do what in the contest: the one place views, services and templates ask."""

from __future__ import annotations

from django.db.models import QuerySet

from contests.models import Assignment, Attachment, CompanyMember, Conflict, Juror, Submission, SubmissionState

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


def can_edit_submission(user, submission: Submission) -> bool:
    return is_company_member(user, submission.company_id)


def juror_visible_assignments(juror: Juror) -> QuerySet:
    """A juror's assignments, minus drafts/withdrawn projects and every conflicted company
    (declared conflicts and companies the juror belongs to) — whoever wrote the assignment."""
    declared = Conflict.objects.filter(juror=juror).values("company_id")
    qs = Assignment.objects.filter(juror=juror, submission__state__in=JURY_VISIBLE_STATES).exclude(
        submission__company_id__in=declared
    )
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
    if user.is_staff:
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

