"""Who may see or do what in the contest, and what each phase allows: the one place views,
services, templates and the admin ask ("may this happen now?").

Predicates are ``rules`` predicates (composable with ``&``, ``|`` and ``~``), registered as named
rules (``contests.<name>``) for templates (``{% test_rule %}``); services enforce them and raise
with the reason, views and templates only ask. They read models only, never services.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from contests.models import (
    Assignment,
    Attachment,
    Conflict,
    Juror,
    ResultsPublication,
    Review,
    Submission,
    SubmissionState,
)
from organisations import rules as organisation_rules
from organisations.models import Invitation, Membership

S = SubmissionState

# A juror only ever sees projects the jury works on: never a draft, never a withdrawn one.
JURY_VISIBLE_STATES = [
    SubmissionState.SUBMITTED,
    SubmissionState.UNDER_REVIEW,
    SubmissionState.SHORTLISTED,
    SubmissionState.NOT_RETAINED,
    SubmissionState.LAUREATE,
]


def is_company_member(user, company_id: int) -> bool:
    return organisation_rules.is_member(user, company_id)


def is_invitee(user, invitation: Invitation | Juror) -> bool:
    """The person an invitation was sent to: logged in, with that address verified on the account.

    The one door for every invitation by e-mail of the contest — a colleague's
    (``Invitation``) and a juror's (``Juror``): the secret link alone is not enough.
    """
    return organisation_rules.is_invitee(user, invitation)


def can_edit_submission(user, submission: Submission) -> bool:
    return is_company_member(user, submission.company_id)


# --- Phases and states (named checks; ``now`` defaults to the present) ----------------------------
# ``rules`` hands a predicate the user first, then the object: predicates about an object alone
# take ``_user`` and ignore it (``project_is_editable(None, submission)`` from a service).

# A project in one of these states still waits for the final decision (laureate or not retained).
AWAITING_FINAL_DECISION = [S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED]
FINAL_DECISIONS = [S.LAUREATE, S.NOT_RETAINED]


@rules.predicate
def is_project_member(user, submission: Submission) -> bool:
    return can_edit_submission(user, submission)


@rules.predicate
def project_is_editable(_user, submission: Submission, *, now=None) -> bool:
    """Drafts and submitted projects change until the deadline, to the second."""
    now = now or timezone.now()
    return submission.state in (S.DRAFT, S.SUBMITTED) and submission.edition.accepts_drafts_at(now)


@rules.predicate
def project_can_be_withdrawn(_user, submission: Submission) -> bool:
    """A project leaves the contest at its company's wish until the results are published —
    every project still in play alike, so the answer tells nothing of a decision not yet public."""
    return (submission.state in (S.DRAFT, S.SUBMITTED, *AWAITING_FINAL_DECISION, *FINAL_DECISIONS)
            and not submission.edition.results_are_published)


@rules.predicate
def result_is_public(_user, submission: Submission) -> bool:
    """A decision is told to the company only once the results are published."""
    return submission.edition.results_are_published


def publication_prepared(edition) -> ResultsPublication | None:
    return ResultsPublication.objects.filter(edition=edition, status=ResultsPublication.Status.PREPARED).first()


_UNKNOWN = object()


def decisions_refusal(edition, now=None, *, prepared=_UNKNOWN) -> str | None:
    """Why staff may not take or change a decision now (a translated message), or None.
    ``prepared``: the edition's prepared publication when the caller has read it already."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    if not edition.decisions_open_at(now):
        return _("Decisions are taken after the deadline and before the results are published.")
    if (publication_prepared(edition) if prepared is _UNKNOWN else prepared) is not None:
        return _("The publication of the results is prepared: cancel it before changing a decision.")
    return None


@rules.predicate
def decisions_are_open(_user, edition) -> bool:
    return decisions_refusal(edition) is None


def publication_refusal(edition, now=None, *, prepared=_UNKNOWN) -> str | None:
    """Why the results may not be prepared now, or None."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    if edition.results_are_published:
        return _("The results of this edition are already published.")
    if not edition.results_can_be_prepared_at(now):
        return _("Results are published from the deliberation only: start the deliberation once the jury has finished.")
    if (publication_prepared(edition) if prepared is _UNKNOWN else prepared) is not None:
        return _("A publication is already prepared: release it or cancel it.")
    return None


@rules.predicate
def results_can_be_prepared(_user, edition) -> bool:
    return publication_refusal(edition) is None


@rules.predicate
def reviews_are_final(_user, edition) -> bool:
    return edition.reviews_are_final


@rules.predicate
def can_recuse(_user, juror: Juror) -> bool:
    """A juror recuses from a project until the deliberation starts (the reviews are then final)."""
    return not juror.edition.reviews_are_final


@rules.predicate
def is_results_publisher(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff and user.has_perm("contests.publish_results"))


def state_for_company(submission: Submission) -> str:
    """What the company is told of its project's state: a decision (shortlisted, not retained,
    laureate) reads "under review" until the results are published."""
    if submission.state in (S.SHORTLISTED, S.NOT_RETAINED, S.LAUREATE) and not submission.edition.results_are_published:
        return S.UNDER_REVIEW
    return submission.state


def state_label_for_company(submission: Submission) -> str:
    return S(state_for_company(submission)).label


rules.add_rule("contests.prepare_results", is_results_publisher & results_can_be_prepared)
rules.add_rule("contests.edit_project", is_project_member & project_is_editable)
rules.add_rule("contests.withdraw_project", is_project_member & project_can_be_withdrawn)
rules.add_rule("contests.see_result", is_project_member & result_is_public)


def juror_visible_assignments(juror: Juror) -> QuerySet:
    """A juror's assignments, minus drafts/withdrawn projects and every conflicted company
    (declared conflicts and companies the juror belongs to) — whoever wrote the assignment.

    In an anonymised review nothing is visible until the juror has closed the declaration of
    conflicts (see :func:`can_declare_company_conflict`): a project can then never vanish from
    the list because the juror named a company, which would tell who is behind it.
    """
    declared = Conflict.objects.filter(juror=juror).values("company_id")
    qs = Assignment.objects.filter(juror=juror, submission__state__in=JURY_VISIBLE_STATES)
    if juror.conflicts_declared_at is None:
        # A closed declaration is never reopened (set once, by juror_conflicts_close): with it in
        # hand the anonymity condition holds; without, the database says (it may have just been closed).
        qs = qs.filter(Q(juror__edition__anonymised_review=False) | Q(juror__conflicts_declared_at__isnull=False))
    qs = qs.exclude(submission__company_id__in=declared)
    if juror.user_id is not None:
        # A subquery, not a join: the planner of the jury list has fewer tables to order.
        qs = qs.exclude(submission__company_id__in=Membership.objects.filter(user_id=juror.user_id).values("organisation_id"))
    return qs


def juror_for(user, edition) -> Juror | None:
    """The accepted juror record of this person for this edition (never staff status)."""
    if not (user and user.is_authenticated):
        return None
    return _accepted_jurors(user).filter(edition=edition).first()


def juror_for_edition_slug(user, slug: str) -> Juror | None:
    """:func:`juror_for` of the edition with this slug, read with its edition in one query."""
    if not (user and user.is_authenticated):
        return None
    return _accepted_jurors(user).select_related("edition").filter(edition__slug=slug).first()


def _accepted_jurors(user) -> QuerySet:
    return Juror.objects.filter(user=user, accepted_at__isnull=False)


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
    return juror.user_id is not None and Membership.objects.filter(user_id=juror.user_id, organisation_id=company_id).exists()



def can_declare_company_conflict(juror: Juror) -> bool:
    """Naming a company is possible while it cannot link that company to a project the juror
    has seen: always when the review is not anonymised (the company is shown anyway), and in
    an anonymised review only until the juror closes the declaration and sees the projects.
    After that, the juror recuses himself or herself from a project instead."""
    return not juror.edition.anonymised_review or juror.conflicts_declared_at is None


def must_declare_conflicts_first(juror: Juror) -> bool:
    return juror.edition.anonymised_review and juror.conflicts_declared_at is None


def unassign_refusal(assignment: Assignment) -> str | None:
    """Why staff may not take this project back from this juror, or None."""
    from django.utils.translation import gettext as _

    if assignment.submission.edition.reviews_are_final:
        return _("The reviews are final: a juror's assignment can no longer be removed.")
    review = Review.objects.filter(assignment=assignment, submitted_at__isnull=False).first()
    if review is not None:
        return _("This juror has submitted a review of this project: removing the assignment would delete it.")
    return None


def can_assign(juror: Juror, submission: Submission) -> str | None:
    """Why this juror may not be given this project (a translated message), or None: the one
    rule the automatic balancing, the admin inline and the service share."""
    from django.utils.translation import gettext as _

    if juror.edition_id != submission.edition_id:
        return _("The juror and the project belong to different editions.")
    if submission.state not in JURY_VISIBLE_STATES:
        return _("Only submitted projects can be given to the jury.")
    if is_conflicted(juror, submission.company_id):
        return _("This juror has a conflict of interest with this company.")
    return None
