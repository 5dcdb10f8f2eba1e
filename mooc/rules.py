"""Who may see or do what in the MOOC (one place; views and templates ask here)."""

from __future__ import annotations

import rules


@rules.predicate
def can_preview(user) -> bool:
    """Curators see every course, published or not, and every lesson "as a learner" without
    enrolling (nothing is recorded): the "view course" permission, never staff status alone."""
    # is_staff first: it costs no query, and nobody else works in the admin.
    return bool(user.is_authenticated and user.is_staff and user.has_perm("mooc.view_course"))


def can_follow_lessons(*, user, run, enrollment) -> bool:
    """Enrolled learners read lessons once the run has started; staff can always preview."""
    if can_preview(user):
        return True
    return enrollment is not None and enrollment.is_active and enrollment.user_id == user.pk and run.has_started()


def can_see_enrollment(*, user, enrollment) -> bool:
    """A learner sees only their own progress (others get a 404)."""
    return user.is_authenticated and enrollment.user_id == user.pk


def can_download_certificate(*, user, certificate) -> bool:
    """Its holder, and staff with the "view certificate" permission."""
    return user.is_authenticated and (
        certificate.user_id == user.pk or (user.is_staff and user.has_perm("mooc.view_certificate"))
    )


def can_download_credential(*, user, certificate) -> bool:
    """The Open Badges credential is its holder's alone (staff read the certificate elsewhere)."""
    return user.is_authenticated and certificate.user_id is not None and certificate.user_id == user.pk


def answers_visible(*, quiz, passed: bool, attempts_left: int | None) -> bool:
    """Whether an attempt's marks and the questions' feedback may be shown, by the quiz's rule:
    never, after passing, after the last attempt (none left), or either (the default)."""
    from mooc.models import AnswersShown

    last = attempts_left == 0
    return {
        AnswersShown.NEVER: False,
        AnswersShown.PASSED: passed,
        AnswersShown.LAST_ATTEMPT: last,
        AnswersShown.PASSED_OR_LAST: passed or last,
    }.get(quiz.show_answers, passed or last)
