"""Writes of the jury: invitations, conflicts, assignments, reviews, reminders."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import rules
from contests.models import (
    Assignment,
    Company,
    Conflict,
    Criterion,
    Edition,
    Juror,
    Review,
    Score,
    Submission,
    SubmissionState,
)
from organisations.models import Membership
from portal.locking import lock_row, lock_rows
from portal.notifications.services import notify, route


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
        link=route("contests:jury_accept", juror.token),
    )
    return juror


@transaction.atomic
def juror_add(*, edition: Edition, email: str, name: str = "", themes=(), invite: bool = True, by=None) -> Juror:
    """Staff add a person to an edition's jury (the admin's add form, an import): the row, its
    themes, and — unless staff choose to invite later — the invitation e-mail at once."""
    email = email.strip().lower()
    juror = Juror.objects.filter(edition=edition, email__iexact=email).first()
    if juror is None:
        juror = Juror.objects.create(edition=edition, email=email, name=name.strip())
    if themes:
        juror.themes.set(themes)
    if invite:
        juror = juror_invite(edition=edition, email=email, name=name, by=by)
    return juror


@transaction.atomic
def juror_accept(*, token: str, user) -> Juror:
    """The invitee accepts: logged in with the invited address, verified (``rules.is_invitee``,
    as for a colleague's invitation — the secret link alone is not enough). The invitation is
    then linked to this account, once; accepting again is harmless."""
    juror = lock_rows(Juror.objects.filter(token=token).select_related("edition")).first()
    if juror is None:
        raise ValidationError(_("This invitation link is not valid."))
    if not rules.is_invitee(user, juror):
        # The same words whether or not an account uses the invited address.
        raise ValidationError(
            _("This invitation was sent to another address. Log in with the account that uses it (its address must be confirmed).")
        )
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


# How conflicts keep an anonymised review anonymous
# --------------------------------------------------
# If a juror could name a company after seeing anonymised projects, the project that then
# left the list would be that company's: the conflict feature would de-anonymise it. So, as
# juried calls do, an anonymised review works in two steps:
#
# 1. Declaration: the juror names the companies he or she is linked to (from the list of
#    applicants) and then closes the declaration (``conflicts_close``). Until then no
#    assigned project is visible — not in the list, not by URL, not its files — so what the
#    declaration removes was never seen.
# 2. Review: naming a company is refused. A juror who recognises a project recuses himself or
#    herself from *that project* (``conflict_recuse``): the conflict is recorded against the
#    company behind it, the company's projects leave the juror's list, and staff hand them to
#    other jurors (the automatic assignment fills the gap, never with this juror). The juror
#    is never shown the company's name — not on the conflicts page, not in the data export.
#    The juror does learn one thing: the other projects that leave the list with the one
#    recognised come from the same company. That is the accepted trade-off: anonymity is
#    there to keep scores unbiased, and a conflicted juror scores none of that company's
#    projects, so what is learnt can no longer bias any score of his or hers.
#
# When the review is not anonymised the company is on every page, so conflicts can be
# declared at any time.


@transaction.atomic
def conflict_declare(*, juror: Juror, company: Company, reason: str = "") -> Conflict:
    """A juror names a company he or she is linked to; any assignment to its projects is removed.

    Refused in an anonymised review once the juror has seen the projects (see above).
    """
    juror = lock_row(Juror.objects.select_related("edition"), juror.pk)
    if not rules.can_declare_company_conflict(juror):
        raise ValidationError(
            _("Your projects are already shown to you: if you recognise one, recuse yourself from it on its page.")
        )
    conflict, _created = Conflict.objects.get_or_create(juror=juror, company=company, defaults={"reason": reason[:300]})
    Assignment.objects.filter(juror=juror, submission__company=company).delete()
    return conflict


@transaction.atomic
def conflicts_close(*, juror: Juror, user) -> Juror:
    """The juror says the declaration of conflicts is complete; an anonymised review then shows the projects."""
    juror = lock_row(Juror.objects.select_related("edition"), juror.pk)
    if juror.user_id != user.pk or not juror.accepted_at:
        raise PermissionDenied
    if juror.conflicts_declared_at is None:
        juror.conflicts_declared_at = timezone.now()
        juror.save(update_fields=["conflicts_declared_at"])
    return juror


@transaction.atomic
def conflict_recuse(*, assignment: Assignment, user, reason: str = "") -> Conflict:
    """A juror recognises an assigned project and withdraws from it (and from its company's
    other projects), without ever being told the company's name; his or her reviews of them are
    dropped. The sibling projects leaving the list tell the juror they share the company: a
    conflicted juror must score none of them, so this cannot bias a score (see above)."""
    juror = lock_row(Juror, assignment.juror_id)
    if juror.user_id != user.pk or not juror.accepted_at:
        raise PermissionDenied
    if not rules.juror_visible_assignments(juror).filter(pk=assignment.pk).exists():
        raise PermissionDenied
    submission = assignment.submission
    if not rules.can_recuse(user, juror):
        # The reviews are final: dropping one now would change a ranking staff already use.
        raise ValidationError(_("The deliberation has started: tell the contest team about your conflict of interest."))
    conflict, _created = Conflict.objects.get_or_create(
        juror=juror, company_id=submission.company_id,
        defaults={"reason": reason[:300], "via_project": True, "submission": submission},
    )
    Assignment.objects.filter(juror=juror, submission__company_id=submission.company_id).delete()
    return conflict


@transaction.atomic
def conflict_add_by_staff(*, juror: Juror, company: Company, reason: str = "", by=None) -> Conflict:
    """Staff record a juror's conflict with a company (from the admin); the juror's assignments
    to its projects are removed, except once the deliberation has started (the reviews are
    final and stay for staff to weigh; the juror no longer sees them).

    In an anonymised review whose declaration the juror has closed, the juror has seen the
    projects: the conflict is stored like a recusal (``via_project``, on the juror's own
    project of that company if there is one), so the juror is never shown the company's name.
    """
    juror = lock_row(Juror.objects.select_related("edition"), juror.pk)
    edition = juror.edition
    hide_company = edition.anonymised_review and juror.conflicts_declared_at is not None
    seen = (
        Assignment.objects.filter(juror=juror, submission__company=company, submission__edition=edition)
        .order_by("submission_id").values_list("submission_id", flat=True).first()
    ) if hide_company else None
    conflict, _created = Conflict.objects.get_or_create(
        juror=juror, company=company,
        defaults={"reason": reason[:300], "via_project": hide_company, "submission_id": seen},
    )
    if not edition.reviews_are_final:
        Assignment.objects.filter(juror=juror, submission__company=company).delete()
    return conflict


def conflict_label(conflict: Conflict) -> str:
    """What the juror is shown of a conflict: the company named, or only the project recognised."""
    if not conflict.via_project:
        return conflict.company.legal_name
    if conflict.submission_id is None:
        return _("A project whose company is not shown to you")
    return _("The project “%(title)s”") % {"title": conflict.submission.title}


@transaction.atomic
def juror_conflicts_from_membership(*, user, company: Company) -> int:
    """A juror who joins a company is in conflict with it, for good: the conflict is recorded
    (it outlives the membership) and the juror's assignments to its projects are removed —
    except in editions whose deliberation has started, where the reviews are final and stay
    for staff to weigh (the juror no longer sees them). As a member the juror sees the
    company's projects anyway, so nothing is revealed."""
    created = 0
    for juror in lock_rows(Juror.objects.filter(user=user)):
        _conflict, made = Conflict.objects.get_or_create(
            juror=juror, company=company, defaults={"reason": _("Member of the company")[:300]}
        )
        created += int(made)
        Assignment.objects.filter(
            Edition.q_reviews_not_final("submission__edition__"), juror=juror, submission__company=company,
        ).delete()
    return created


def assignment_create(*, juror: Juror, submission: Submission, by=None) -> Assignment:
    """Staff give a submission to a juror of the same edition, never to a conflicted one nor a draft
    (``rules.can_assign``: the admin inline asks the same rule)."""
    reason = rules.can_assign(juror, submission)
    if reason:
        raise ValidationError(reason)
    assignment, _created = Assignment.objects.get_or_create(juror=juror, submission=submission)
    return assignment


def assignment_remove(*, assignment: Assignment, by=None) -> None:
    """Staff take a project back from a juror: refused once the reviews are final, or when the
    juror has submitted a review of it (``rules.unassign_refusal``): it would be lost."""
    reason = rules.unassign_refusal(assignment)
    if reason:
        raise ValidationError(reason)
    assignment.delete()


def assignments_auto_balance(*, edition: Edition, per_submission: int | None = None) -> int:
    """Give each submitted project N jurors of its theme, least-loaded jurors first, never a conflicted one.

    Only jurors who accepted their invitation count: an unanswered invitation gets no work.
    """
    n = per_submission or edition.jurors_per_submission
    created = 0
    with transaction.atomic():
        lock_row(Edition, edition.pk)
        jurors = list(
            Juror.objects.filter(edition=edition, accepted_at__isnull=False)
            .prefetch_related("themes")
            .annotate(load=Count("assignments"))
        )
        conflicts: dict[int, set[int]] = defaultdict(set)
        for juror_id, company_id in Conflict.objects.filter(juror__edition=edition).values_list("juror_id", "company_id"):
            conflicts[juror_id].add(company_id)
        user_ids = [j.user_id for j in jurors if j.user_id]
        for user_id, company_id in Membership.objects.filter(user_id__in=user_ids).values_list("user_id", "organisation_id"):
            for j in jurors:
                if j.user_id == user_id:
                    conflicts[j.pk].add(company_id)
        load = {j.pk: j.load for j in jurors}
        theme_ids = {j.pk: {t.pk for t in j.themes.all()} for j in jurors}
        existing: dict[int, set[int]] = defaultdict(set)
        for sub_id, juror_id in Assignment.objects.filter(submission__edition=edition).values_list("submission_id", "juror_id"):
            existing[sub_id].add(juror_id)
        submissions = Submission.objects.filter(
            edition=edition, state__in=[SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW]
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
    """A juror scores an assigned, non-conflicted project on every criterion (0–10) after the
    submission deadline, until the reviewing deadline (to the second) and the start of the deliberation."""
    juror = assignment.juror
    if juror.user_id != user.pk or not juror.accepted_at:
        raise PermissionDenied
    submission = assignment.submission
    if not rules.juror_visible_assignments(juror).filter(pk=assignment.pk).exists():
        raise PermissionDenied
    edition = submission.edition
    now = timezone.now()
    if not edition.is_past_deadline_at(now) or edition.results_are_published:
        raise ValidationError(_("Reviews are written between the deadline and the publication of the results."))
    if not edition.reviews_open_at(now):
        raise ValidationError(_("Reviews are closed: they can no longer be written or changed."))
    criteria = list(Criterion.objects.filter(edition=edition))
    for criterion in criteria:
        value = scores.get(criterion.pk, (None, ""))[0]
        if value is not None and not (0 <= value <= 10):
            raise ValidationError(_("Each score is between 0 and 10."))
        if submit and value is None:
            raise ValidationError(_("Score every criterion before submitting your review."))
    with transaction.atomic():
        review, _created = lock_rows(Review.objects.all()).get_or_create(assignment=assignment)
        review.comment = comment
        if submit and not review.submitted_at:
            review.submitted_at = now
        review.save()
        for criterion in criteria:
            value, text = scores.get(criterion.pk, (None, ""))
            if value is None:
                Score.objects.filter(review=review, criterion=criterion).delete()
                continue
            Score.objects.update_or_create(review=review, criterion=criterion, defaults={"value": value, "comment": text})
    return review


def review_reminders_send(*, now=None) -> int:
    """Remind jurors with reviews to finish 3 days before the reviewing deadline, once each."""
    now = now or timezone.now()
    sent = 0
    jurors = Juror.objects.filter(
        Edition.q_results_not_published("edition__"),
        user__isnull=False, edition__review_deadline__gt=now, edition__review_deadline__lte=now + timedelta(days=3),
    ).select_related("edition", "user")
    for juror in jurors:
        if rules.must_declare_conflicts_first(juror):
            # Anonymised review, declaration not closed: the projects are hidden, the work is not.
            assigned = Assignment.objects.filter(juror=juror, submission__state__in=rules.JURY_VISIBLE_STATES)
        else:
            assigned = rules.juror_visible_assignments(juror)
        pending = assigned.filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True)).count()
        if not pending:
            continue
        with transaction.atomic():
            row = notify(
                kind="contests.review_reminder",
                user=juror.user,
                context={"juror": juror, "edition": juror.edition, "pending": pending},
                link=route("contests:jury", juror.edition.slug),
                dedup_key=f"contests.review_reminder:{juror.pk}",
            )
        sent += int(row is not None)
    return sent
