from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from mooc import selectors, services
from mooc.models import Enrollment, LessonCompletion
from portal.models import Notification
from tests.factories import UserFactory
from tests.mooc.factories import QuizFactory, course_with_lessons, single_choice_question
from tests.mooc.test_grading import _post

pytestmark = pytest.mark.django_db


def test_progress_weighs_completed_lessons_as_the_course_defines():
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=2, weights=[1, 3])
    enrollment = services.enrollment_create(user=UserFactory(), run=run)
    services.lesson_complete(enrollment=enrollment, lesson=lessons[1])
    progress = selectors.enrollment_progress(enrollment=enrollment)
    # weights 1 + 3 + quiz 1 = 5; the weight-3 lesson is done.
    assert (progress.done_weight, progress.total_weight, progress.percent) == (3, 5, Decimal("60.00"))
    assert [m.percent for m in progress.modules] == [Decimal("60.00")]


def test_a_quiz_lesson_counts_only_when_passed():
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    question, good, bad = single_choice_question(quiz)
    enrollment = services.enrollment_create(user=UserFactory(), run=run)
    with pytest.raises(services.MoocError):
        services.lesson_complete(enrollment=enrollment, lesson=quiz.lesson)
    services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": bad.pk}))
    assert selectors.enrollment_progress(enrollment=enrollment).percent == Decimal("0.00")
    services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk}))
    assert selectors.enrollment_progress(enrollment=enrollment).percent == Decimal("50.00")


def test_completing_twice_counts_once():
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1, quiz=False)
    enrollment = services.enrollment_create(user=UserFactory(), run=run)
    assert services.lesson_complete(enrollment=enrollment, lesson=lessons[0]) is True
    assert services.lesson_complete(enrollment=enrollment, lesson=lessons[0]) is False
    assert LessonCompletion.objects.count() == 1
    assert selectors.enrollment_progress(enrollment=enrollment).percent == Decimal("100.00")


def test_course_grade_is_the_weighted_mean_of_best_quiz_scores():
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=0)
    quiz2 = QuizFactory(lesson__module=module, weight=3)
    q1, good1, _ = single_choice_question(quiz)
    q2a, good2a, _ = single_choice_question(quiz2)
    q2b, _, bad2b = single_choice_question(quiz2)
    enrollment = services.enrollment_create(user=UserFactory(), run=run)
    services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{q1.pk}": good1.pk}))
    services.quiz_submit(enrollment=enrollment, quiz=quiz2, data=_post(**{f"q{q2a.pk}": good2a.pk, f"q{q2b.pk}": bad2b.pk}))
    # (100 × 1 + 50 × 3) / 4 = 62.5
    assert selectors.enrollment_progress(enrollment=enrollment).grade == Decimal("62.50")


def test_enrolling_twice_keeps_one_active_enrollment_and_one_confirmation():
    course, run, *_ = course_with_lessons()
    user = UserFactory()
    first = services.enrollment_create(user=user, run=run)
    second = services.enrollment_create(user=user, run=run)
    assert first.pk == second.pk
    assert Notification.objects.filter(kind="mooc.enrollment_confirmed", user=user).count() == 1


def test_database_refuses_a_second_active_enrollment():
    course, run, *_ = course_with_lessons()
    user = UserFactory()
    Enrollment.objects.create(user=user, run=run)
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(user=user, run=run)


def test_reenrolling_reactivates_the_same_row_and_keeps_progress():
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=3, quiz=False)
    user = UserFactory()
    enrollment = services.enrollment_create(user=user, run=run)
    services.lesson_complete(enrollment=enrollment, lesson=lessons[0])
    services.enrollment_cancel(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert (enrollment.is_active, enrollment.unenrolled_at is not None) == (False, True)
    assert selectors.enrollment_active(user=user, run=run) is None
    again = services.enrollment_create(user=user, run=run)
    assert again.pk == enrollment.pk
    assert Enrollment.objects.filter(user=user, run=run).count() == 1
    assert selectors.enrollment_progress(enrollment=again).percent == Decimal("33.33")


def test_enrollment_outside_the_window_is_refused():
    course, run, *_ = course_with_lessons()
    run.enrollment_start = timezone.now() + timezone.timedelta(days=2)
    run.save()
    with pytest.raises(services.MoocError):
        services.enrollment_create(user=UserFactory(), run=run)
    assert Enrollment.objects.count() == 0


def test_resume_goes_to_the_first_unfinished_lesson_after_the_last_visited():
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=3, quiz=False)
    enrollment = services.enrollment_create(user=UserFactory(), run=run)
    services.lesson_complete(enrollment=enrollment, lesson=lessons[0])
    services.lesson_complete(enrollment=enrollment, lesson=lessons[1])
    enrollment.refresh_from_db()
    modules = selectors.course_modules(course)
    progress = selectors.enrollment_progress(enrollment=enrollment, modules=modules)
    assert selectors.next_lesson_to_resume(modules=modules, enrollment=enrollment, completed_ids=progress.completed_ids) == lessons[2]


def test_run_start_notification_is_sent_once():
    course, run, *_ = course_with_lessons()
    run.start = timezone.now() + timezone.timedelta(hours=5)
    run.end = timezone.now() + timezone.timedelta(days=30)
    run.save()
    services.enrollment_create(user=UserFactory(), run=run)
    services.enrollment_create(user=UserFactory(), run=run)
    assert services.run_start_notify() == 2
    assert services.run_start_notify() == 0
    assert Notification.objects.filter(kind="mooc.run_starts").count() == 2


def test_inactivity_reminder_is_optional_and_sent_once_per_idle_period():
    course, run, *_ = course_with_lessons()
    enrollment = services.enrollment_create(user=UserFactory(), run=run)
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=timezone.now() - timezone.timedelta(days=20))
    assert services.inactivity_remind() == 1
    assert services.inactivity_remind() == 0
    reminder = Notification.objects.get(kind="mooc.inactivity_reminder")
    assert "List-Unsubscribe" in reminder.headers


def test_no_run_start_e_mail_to_a_learner_who_enrolled_after_the_start():
    course, run, *_ = course_with_lessons()
    run.start = timezone.now() - timezone.timedelta(days=2)
    run.save()
    services.enrollment_create(user=UserFactory(), run=run)
    assert services.run_start_notify() == 0
    assert Notification.objects.filter(kind="mooc.run_starts").count() == 0


def test_deactivated_accounts_get_no_run_start_or_inactivity_e_mails():
    course, run, *_ = course_with_lessons()
    run.start = timezone.now() + timezone.timedelta(hours=5)
    run.save()
    user = UserFactory()
    enrollment = services.enrollment_create(user=user, run=run)
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=timezone.now() - timezone.timedelta(days=20))
    user.is_active = False
    user.save()
    assert services.run_start_notify() == 0
    with time_machine.travel(timezone.now() + timezone.timedelta(days=1)):
        assert services.inactivity_remind() == 0
    assert Notification.objects.filter(kind__in=["mooc.run_starts", "mooc.inactivity_reminder"]).count() == 0


def test_notifications_are_written_in_the_learners_language():
    course, run, *_ = course_with_lessons()
    course.title_en = "Digital basics"
    course.save()
    user = UserFactory(language="en")
    services.enrollment_create(user=user, run=run)
    notification = Notification.objects.get(kind="mooc.enrollment_confirmed", user=user)
    assert notification.subject == "You are enrolled in “Digital basics”"
    assert notification.link == f"/en/mooc/{course.slug}/runs/{run.pk}/learn/"


def test_my_space_progress_follows_a_lesson_s_new_weight_through_the_kept_course_structure(client):
    """The course's structure is kept in the page cache for Mon espace; a lesson's new weight
    (a write on the course) reaches the progress bar at once."""
    from django.urls import reverse

    from tests.expeditions.factories import participant

    course, run, module, lessons, quiz = course_with_lessons(text_lessons=2)
    person = participant()
    enrollment = services.enrollment_create(user=person, run=run)
    services.lesson_complete(enrollment=enrollment, lesson=lessons[0])
    client.force_login(person)
    before = client.get(reverse("me:dashboard")).content.decode()
    assert '<progress value="1" max="3"' in before
    lessons[1].weight = 5
    lessons[1].save()
    after = client.get(reverse("me:dashboard")).content.decode()
    assert '<progress value="1" max="7"' in after
