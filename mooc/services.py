"""Every write of the MOOC: enrollment, completion, quiz attempts, certificates, reminders.

Locking: the learner's enrollment row is the lock for everything that depends on its state
(attempt numbers, certificate issue), taken with ``portal.locking``.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from mooc import grading, rules, selectors
from mooc.models import (
    Certificate,
    CourseRun,
    Enrollment,
    Lesson,
    LessonCompletion,
    LessonKind,
    Quiz,
    QuizAttempt,
)
from portal.locking import lock_row, lock_rows, race_window
from portal.notifications.services import notify, route

logger = logging.getLogger(__name__)


CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 12 × 5 bits = 60 random bits
INACTIVITY_DAYS = 14

# Fields only these services write (portal.ownership): read-only in the admin, never imported.
SERVICE_OWNED_FIELDS = {
    "mooc.Enrollment": {"user", "run", "is_active", "enrolled_at", "unenrolled_at", "last_lesson", "last_activity_at"},
    "mooc.Certificate": {"code", "user", "run", "learner_name", "grade", "issued_at", "revoked_at", "revoked_reason",
                         "status_list", "status_index"},
    "mooc.QuizAttempt": {"enrollment", "quiz", "number", "answers", "score", "passed", "submitted_at"},
}


class MoocError(ValueError):
    """A refused action, with a message for the person."""


# --- Enrollment ---------------------------------------------------------------------------


def enrollment_create(*, user, run: CourseRun) -> Enrollment:
    """Enroll a learner in a run whose enrollment is open.

    One active enrollment per learner and run: enrolling twice returns the active row;
    after unenrolling, the same row is reactivated (completions and attempts kept).
    """
    if not run.course.is_published and not rules.can_preview(user):
        raise MoocError(_("This course is not open."))
    if not run.enrollment_is_open():
        raise MoocError(_("Enrollment in this course run is closed."))
    with transaction.atomic():
        existing = lock_rows(Enrollment.objects.filter(user=user, run=run)).order_by("-is_active", "-id").first()
        if existing and existing.is_active:
            return existing
        now = timezone.now()
        if existing:
            enrollment = _reactivate(existing, now)
        else:
            try:
                with transaction.atomic():
                    enrollment = Enrollment.objects.create(user=user, run=run, enrolled_at=now, last_activity_at=now)
            except IntegrityError:  # a concurrent request created it first
                return Enrollment.objects.get(user=user, run=run, is_active=True)
        notify(
            kind="mooc.enrollment_confirmed",
            user=user,
            context={"course": run.course, "run": run},
            link=route("mooc:learn", run.course.slug, run.pk),
        )
        return enrollment


def _reactivate(enrollment: Enrollment, now) -> Enrollment:
    enrollment.is_active = True
    enrollment.unenrolled_at = None
    enrollment.enrolled_at = now
    enrollment.last_activity_at = now
    enrollment.save(update_fields=["is_active", "unenrolled_at", "enrolled_at", "last_activity_at"])
    return enrollment


def enrollment_reactivate(*, enrollment: Enrollment) -> Enrollment:
    """Staff put an unenrolled learner back in the run (progress and attempts kept), even after the
    enrollment window; refused if the learner has enrolled again meanwhile."""
    with transaction.atomic():
        enrollment = lock_row(Enrollment, enrollment.pk)
        if enrollment.is_active:
            return enrollment
        if Enrollment.objects.filter(user_id=enrollment.user_id, run_id=enrollment.run_id, is_active=True).exists():
            raise MoocError(_("This learner is already enrolled in this run again."))
        return _reactivate(enrollment, timezone.now())


def enrollment_cancel(*, enrollment: Enrollment) -> Enrollment:
    """Unenroll: the row is deactivated, never deleted (history kept for a re-enrollment)."""
    with transaction.atomic():
        enrollment = lock_row(Enrollment, enrollment.pk)
        if enrollment.is_active:
            enrollment.is_active = False
            enrollment.unenrolled_at = timezone.now()
            enrollment.save(update_fields=["is_active", "unenrolled_at"])
    return enrollment


VISIT_REFRESH = timedelta(minutes=5)


def lesson_visit(*, enrollment: Enrollment, lesson: Lesson) -> None:
    """Remember where the learner is ("continue where you left off"). Reading the same lesson
    again within a few minutes writes nothing: the place is already right, the activity recent."""
    now = timezone.now()
    if (enrollment.last_lesson_id == lesson.pk and enrollment.last_activity_at is not None
            and now - enrollment.last_activity_at < VISIT_REFRESH):
        return
    Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_activity_at=now)
    enrollment.last_lesson_id, enrollment.last_activity_at = lesson.pk, now


def lesson_complete(*, enrollment: Enrollment, lesson: Lesson) -> bool:
    """Mark a lesson done by explicit action. A quiz lesson completes only by passing its quiz.

    Returns True when it was newly completed. Idempotent (unique constraint).
    """
    if lesson.kind == LessonKind.QUIZ:
        raise MoocError(_("A quiz is completed by passing it."))
    return _completion_record(enrollment=enrollment, lesson=lesson)


def _completion_record(*, enrollment: Enrollment, lesson: Lesson) -> bool:
    with transaction.atomic():
        _, created = LessonCompletion.objects.get_or_create(enrollment=enrollment, lesson=lesson)
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_activity_at=timezone.now())
    return created


# --- Quizzes ------------------------------------------------------------------------------


@dataclass
class QuizOutcome:
    attempt: QuizAttempt
    certificate: Certificate | None


def quiz_submit(*, enrollment: Enrollment, quiz: Quiz, data) -> QuizOutcome:
    """Grade a submission on the server and record the attempt.

    Refused (MoocError, nothing written) when the run has ended or not started, the attempt
    limit is reached, or the answers reference another quiz's questions or choices. Passing
    completes the quiz lesson; reaching the course pass mark issues the certificate.
    """
    run = enrollment.run
    if not run.has_started():
        raise MoocError(_("This course run has not started yet."))
    if run.has_ended():
        raise MoocError(_("This course run has ended: quizzes are closed."))
    questions = selectors.quiz_questions(quiz)
    try:
        answers = grading.parse_answers(questions, data)
    except grading.QuizInputError as exc:
        raise MoocError(str(exc)) from None
    result = grading.grade(questions, answers)
    with transaction.atomic():
        locked = lock_rows(Enrollment.objects.filter(pk=enrollment.pk, is_active=True)).first()
        if locked is None:
            raise MoocError(_("You are not enrolled in this course run."))
        used = QuizAttempt.objects.filter(enrollment=locked, quiz=quiz).count()
        race_window("mooc.attempts_counted")
        if quiz.max_attempts and used >= quiz.max_attempts:
            raise MoocError(_("You have used all the attempts allowed for this quiz."))
        passed = result.score >= quiz.pass_threshold
        attempt = QuizAttempt.objects.create(
            enrollment=locked,
            quiz=quiz,
            number=used + 1,
            score=result.score,
            passed=passed,
            answers=result.answers,
            results={str(r.question_id): {"correct": r.correct, "earned": r.earned, "possible": r.possible} for r in result.results},
        )
        if passed:
            _completion_record(enrollment=locked, lesson=quiz.lesson)
        else:
            Enrollment.objects.filter(pk=locked.pk).update(last_lesson=quiz.lesson, last_activity_at=timezone.now())
        certificate = None
        if passed:
            certificate = _certificate_issue_locked(enrollment=locked, raise_if_not_eligible=False)
    return QuizOutcome(attempt=attempt, certificate=certificate)


# --- Certificates -------------------------------------------------------------------------


def certificate_code_generate() -> str:
    """12 characters of Crockford base32 from ``secrets``: 60 random bits."""
    return "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """Issue the learner's certificate for the run, once.

    Locks the enrollment row, then returns the existing certificate if there is one (double
    clicks, concurrent requests); otherwise checks the course grade against the pass mark and
    the name to print, writes the certificate (unique per learner and run) and notifies.
    """
    with transaction.atomic():
        locked = lock_rows(
            Enrollment.objects.filter(pk=enrollment.pk, is_active=True).select_related("run__course", "user"), of=("self",)
        ).first()
        if locked is None:
            raise MoocError(_("You are not enrolled in this course run."))
        return _certificate_issue_locked(enrollment=locked, raise_if_not_eligible=True)


def _certificate_issue_locked(*, enrollment: Enrollment, raise_if_not_eligible: bool) -> Certificate | None:
    existing = Certificate.objects.filter(user_id=enrollment.user_id, run_id=enrollment.run_id).first()
    if existing is not None:
        return existing
    run = enrollment.run
    course = run.course
    progress = selectors.enrollment_progress(enrollment=enrollment)
    user = enrollment.user
    name = user.get_full_name().strip()
    refusal = None
    if progress.grade < course.pass_mark:
        refusal = _("Your grade (%(grade)s %%) is below the pass mark (%(mark)s %%).") % {
            "grade": floatformat(progress.grade, -2), "mark": course.pass_mark,
        }
    elif not name:
        refusal = _("Add your first and last name to your profile: they are printed on the certificate.")
    if refusal:
        if raise_if_not_eligible:
            raise MoocError(refusal)
        return None
    race_window("mooc.certificate_checked")
    for _attempt in range(5):
        code = certificate_code_generate()
        if not Certificate.objects.filter(code=code).exists():
            break
    certificate = Certificate.objects.create(user=user, run=run, code=code, learner_name=name, grade=progress.grade)
    certificate_status_entry_ensure(certificate=certificate)
    notify(
        kind="mooc.certificate_issued",
        user=user,
        context={"course": course, "run": run, "certificate": certificate,
                 "verification_url": certificate.get_verification_url()},
        link=route("mooc:certificate_pdf", certificate.pk),
    )
    return certificate


def certificate_revoke(*, certificate: Certificate, reason: str = "") -> Certificate:
    """Staff revoke a certificate: the verification page then says it is revoked."""
    with transaction.atomic():
        certificate = lock_row(Certificate, certificate.pk)
        if certificate.revoked_at is None:
            certificate.revoked_at = timezone.now()
            certificate.revoked_reason = reason[:300]
            certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


STATUS_PICKS_PER_LIST = 16


def certificate_status_entry_ensure(*, certificate: Certificate) -> Certificate:
    """Give a certificate its entry in a revocation status list, once.

    The index is drawn at random in the list (so that neither the order of issue nor the number
    of certificates shows); the unique constraint on (list, index) is what keeps two certificates
    off the same entry, whoever draws at the same moment: a drawn index already taken fails in
    its own savepoint and another is drawn. A list where 16 draws in a row hit taken entries is
    considered full and the next list is used. Certificates issued before status lists existed
    get theirs here when their credential is first downloaded.
    """
    from portal.status_list import LIST_SIZE

    if certificate.status_index is not None:
        return certificate
    status_list = 1
    while True:
        for _pick in range(STATUS_PICKS_PER_LIST):
            index = secrets.randbelow(LIST_SIZE)
            race_window("mooc.status_index_drawn")
            try:
                with transaction.atomic():
                    updated = Certificate.objects.filter(pk=certificate.pk, status_index__isnull=True).update(
                        status_list=status_list, status_index=index)
            except IntegrityError:
                continue
            certificate.refresh_from_db(fields=["status_list", "status_index"])
            if updated:
                logger.info("certificate %s: status entry %s/%s", certificate.pk, status_list, index)
            return certificate  # ours, or the one a concurrent call allocated first
        status_list += 1


def certificate_credential(*, certificate: Certificate) -> str:
    """The certificate's Open Badges 3.0 credential, signed (VC-JWT). Refused once revoked or
    anonymised: its holder only downloads a credential that is valid when it is made."""
    from mooc import openbadges

    if certificate.is_revoked or certificate.user_id is None:
        raise MoocError(_("This certificate has been revoked: no credential is issued for it."))
    certificate_status_entry_ensure(certificate=certificate)
    return openbadges.credential_jwt(certificate)


# --- Periodic jobs ------------------------------------------------------------------------


def run_start_notify(*, now=None) -> int:
    """Tell active learners (active accounts) a dated run starts (within the next day, or started in the last
    week and not told yet). Idempotent: one dedup key per enrollment."""
    now = now or timezone.now()
    sent = 0
    enrollments = Enrollment.objects.filter(
        is_active=True, user__is_active=True, run__start__isnull=False, run__start__lte=now + timedelta(days=1), run__start__gte=now - timedelta(days=7)
    ).filter(enrolled_at__lt=F("run__start")).select_related("run__course", "user")  # not "it starts" after it started
    for enrollment in enrollments:
        run = enrollment.run
        with transaction.atomic():
            if notify(kind="mooc.run_starts", user=enrollment.user, context={"course": run.course, "run": run},
                      link=route("mooc:learn", run.course.slug, run.pk), dedup_key=f"mooc.run_starts:{enrollment.pk}"):
                sent += 1
    return sent


def inactivity_remind(*, now=None) -> int:
    """Optional reminder to learners inactive for INACTIVITY_DAYS in an open run, without a
    certificate. Once per period of inactivity (dedup key on the last activity date)."""
    now = now or timezone.now()
    sent = 0
    enrollments = (
        Enrollment.objects.filter(is_active=True, user__is_active=True, last_activity_at__lt=now - timedelta(days=INACTIVITY_DAYS))
        .exclude(run__end__lt=now)
        .exclude(run__start__gt=now)
        .select_related("run__course", "user")
    )
    certified = set(Certificate.objects.filter(user__in=[e.user_id for e in enrollments]).values_list("user_id", "run_id"))
    for enrollment in enrollments:
        if (enrollment.user_id, enrollment.run_id) in certified:
            continue
        run = enrollment.run
        with transaction.atomic():
            key = f"mooc.inactive:{enrollment.pk}:{enrollment.last_activity_at:%Y%m%d}"
            if notify(kind="mooc.inactivity_reminder", user=enrollment.user, context={"course": run.course, "run": run},
                      link=route("mooc:learn", run.course.slug, run.pk), dedup_key=key):
                sent += 1
    return sent


# --- Personal data ------------------------------------------------------------------------


def learner_data_export(user) -> dict:
    enrollments = Enrollment.objects.filter(user=user).select_related("run__course", "last_lesson")
    return {
        "enrollments": [
            {
                "course": e.run.course.title,
                "run": e.run.label,
                "active": e.is_active,
                "enrolled_at": e.enrolled_at,
                "unenrolled_at": e.unenrolled_at,
                "last_lesson": e.last_lesson.title if e.last_lesson else None,
                "last_activity_at": e.last_activity_at,
                "completed_lessons": list(e.completions.values_list("lesson__title", flat=True)),
                "quiz_attempts": list(e.attempts.values("quiz__lesson__title", "number", "score", "passed", "submitted_at", "answers")),
            }
            for e in enrollments
        ],
        "certificates": [
            {"code": c.code, "course": c.run.course.title, "name": c.learner_name, "grade": c.grade, "issued_at": c.issued_at,
             "revoked_at": c.revoked_at}
            for c in Certificate.objects.filter(user=user).select_related("run__course")
        ],
    }


def certificate_anonymise(*, certificate: Certificate) -> Certificate:
    """Its holder's account goes: the certificate keeps course, grade and date (the verification
    page still answers for it) but loses the name and the link to the person, in its history too."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        Certificate.history.filter(id=certificate.pk).update(learner_name="", user=None)
        certificate.user, certificate.learner_name = None, ""
        certificate.save(update_fields=["user", "learner_name"])
    return certificate


def learner_data_erase(user) -> None:
    """Account deletion: certificates are revoked (their credentials then show as revoked in the
    status list) and anonymised (:func:`certificate_anonymise`); enrollments, progress and quiz
    attempts are deleted."""
    with transaction.atomic():
        for certificate in Certificate.objects.filter(user=user):
            certificate_revoke(certificate=certificate, reason=_("The holder deleted their account."))
            certificate_anonymise(certificate=certificate)
        Enrollment.objects.filter(user=user).delete()
