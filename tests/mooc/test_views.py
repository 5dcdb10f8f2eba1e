import pytest
from django.core import mail
from django.urls import reverse

from mooc import services
from mooc.models import Enrollment, LessonKind, QuizAttempt
from portal.links import ResolvedLink, resolve
from tests.factories import UserFactory
from tests.mooc.factories import (
    CourseFactory,
    LessonFactory,
    QuestionFactory,
    course_with_lessons,
    numeric_question,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


def _lesson_url(course, run, lesson):
    return reverse("mooc:lesson", args=[course.slug, run.pk, lesson.pk])


def test_catalogue_lists_published_courses_and_filters_them(client):
    CourseFactory(title_fr="Exporter en ligne", topic="export")
    CourseFactory(title_fr="Innover", topic="innovation")
    CourseFactory(title_fr="Brouillon", is_published=False)
    html = client.get(reverse("mooc:index")).content.decode()
    assert ("Exporter en ligne" in html, "Innover" in html, "Brouillon" in html) == (True, True, False)
    html = client.get(reverse("mooc:index"), {"topic": "export"}).content.decode()
    assert ("Exporter en ligne" in html, "Innover" in html) == (True, False)
    assert client.get(reverse("mooc:index"), {"topic": "nonsense"}).status_code == 200


def test_unpublished_course_is_404_for_the_public(client):
    course = CourseFactory(is_published=False)
    assert client.get(course.get_absolute_url()).status_code == 404


def test_course_page_asks_anonymous_visitors_to_log_in(client):
    course, run, *_ = course_with_lessons()
    html = client.get(course.get_absolute_url()).content.decode()
    assert "Se connecter pour s’inscrire" in html


def test_enrolling_sends_a_confirmation_and_opens_the_first_lesson(client, user, django_capture_on_commit_callbacks):
    course, run, module, lessons, quiz = course_with_lessons()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mooc:enroll", args=[course.slug, run.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mooc:learn", args=[course.slug, run.pk])
    response = client.get(response["Location"])
    assert response["Location"] == _lesson_url(course, run, lessons[0])
    assert [m.subject for m in mail.outbox] == [f"Vous êtes inscrit à « {course.title} »"]


def test_enrolling_in_a_run_that_starts_later_goes_back_to_the_course_page_not_a_refusal(client, user):
    from datetime import timedelta

    from django.utils import timezone

    course, run, module, lessons, quiz = course_with_lessons()
    run.start = timezone.now() + timedelta(days=7)
    run.save()
    client.force_login(user)
    response = client.post(reverse("mooc:enroll", args=[course.slug, run.pk]), follow=True)
    assert (response.status_code, response.redirect_chain) == (200, [(course.get_absolute_url(), 302)])
    html = response.content.decode()
    assert "Vous êtes inscrit. Le cours commence le" in html
    assert reverse("mooc:learn", args=[course.slug, run.pk]) not in html  # no "Continue" button into a refusal
    assert Enrollment.objects.filter(user=user, run=run, is_active=True).count() == 1
    html = client.get(reverse("me:dashboard")).content.decode()
    assert (f'<a href="{course.get_absolute_url()}">{course.title}</a>' in html, reverse("mooc:learn", args=[course.slug, run.pk]) in html) == (True, False)


def test_lessons_of_a_course_not_enrolled_are_refused(client, user):
    course, run, module, lessons, quiz = course_with_lessons()
    client.force_login(user)
    response = client.get(_lesson_url(course, run, lessons[0]))
    assert response.status_code == 403
    assert "Inscrivez-vous à cette session pour suivre ses leçons." in response.content.decode()
    assert client.post(reverse("mooc:lesson_complete", args=[course.slug, run.pk, lessons[0].pk])).status_code == 403


def test_a_lesson_of_another_course_is_404(client, user):
    course, run, *_ = course_with_lessons()
    _, _, _, other_lessons, _ = course_with_lessons()
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    assert client.get(_lesson_url(course, run, other_lessons[0])).status_code == 404


def test_another_learners_progress_is_404(client, user):
    course, run, *_ = course_with_lessons()
    other = services.enrollment_create(user=UserFactory(), run=run)
    mine = services.enrollment_create(user=user, run=run)
    client.force_login(user)
    assert client.get(reverse("mooc:progress", args=[other.pk])).status_code == 404
    assert client.get(reverse("mooc:progress", args=[mine.pk])).status_code == 200


def test_quiz_page_never_reveals_the_answers_before_submission(client, user):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=0)
    question, good, bad = single_choice_question(quiz, right="Réponse A", wrong="Réponse B")
    question.feedback_fr = "Parce que A est juste."
    question.save()
    numeric_question(quiz, answer="42.5")
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    html = client.get(_lesson_url(course, run, quiz.lesson)).content.decode()
    assert f'value="{good.pk}"> Réponse A' in html and f'value="{bad.pk}"> Réponse B' in html
    assert "Parce que A est juste." not in html
    form = html.split('class="quiz"', 1)[1].split("</form>")[0]
    assert "42.5" not in form and "42,5" not in form  # not "42": the CSRF token may hold it
    response = client.post(reverse("mooc:quiz_submit", args=[course.slug, run.pk, quiz.lesson.pk]), {f"q{question.pk}": good.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Score : 50 %. Le seuil de réussite est de 60 %." in html
    # a failed attempt with attempts left tells the score, not the answers (the next try would be trivial)
    assert "Parce que A est juste." not in html
    assert "Les bonnes réponses s’affichent une fois le quiz réussi ou après votre dernière tentative." in html


@pytest.mark.parametrize(
    ("show_answers", "max_attempts", "passing", "shown"),
    [
        ("passed_or_last", 3, False, False),
        ("passed_or_last", 3, True, True),
        ("passed_or_last", 1, False, True),  # the last attempt
        ("passed", 1, False, False),
        ("passed", 3, True, True),
        ("last_attempt", 3, True, False),
        ("last_attempt", 1, True, True),
        ("never", 1, True, False),
    ],
)
def test_quiz_feedback_follows_the_quizs_rule_for_showing_answers(client, user, show_answers, max_attempts, passing, shown):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=0)
    quiz.show_answers, quiz.max_attempts = show_answers, max_attempts
    quiz.save()
    question, good, bad = single_choice_question(quiz, right="Réponse A", wrong="Réponse B")
    question.feedback_fr = "Parce que A est juste."
    question.save()
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    response = client.post(reverse("mooc:quiz_submit", args=[course.slug, run.pk, quiz.lesson.pk]),
                           {f"q{question.pk}": (good if passing else bad).pk})
    html = response.content.decode()
    assert ("Parce que A est juste." in html) is shown
    assert ('class="feedback' in html) is shown


def test_tampered_quiz_post_is_refused_with_a_message(client, user):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=0)
    question, good, bad = single_choice_question(quiz)
    _, other_choice, _ = single_choice_question(QuestionFactory().quiz)
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    response = client.post(reverse("mooc:quiz_submit", args=[course.slug, run.pk, quiz.lesson.pk]), {f"q{question.pk}": other_choice.pk})
    assert response.status_code == 400
    assert "Ces réponses ne correspondent pas à ce quiz." in response.content.decode()
    assert QuizAttempt.objects.count() == 0


def test_exhausted_quiz_is_refused_with_a_message(client, user):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=0)
    quiz.max_attempts = 1
    quiz.save()
    question, good, bad = single_choice_question(quiz)
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    url = reverse("mooc:quiz_submit", args=[course.slug, run.pk, quiz.lesson.pk])
    assert client.post(url, {f"q{question.pk}": bad.pk}).status_code == 200
    response = client.post(url, {f"q{question.pk}": good.pk})
    assert response.status_code == 400
    assert "Vous avez utilisé toutes les tentatives autorisées pour ce quiz." in response.content.decode()


def test_numeric_answer_with_decimal_comma_through_the_form(client, user):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=0)
    question = numeric_question(quiz, answer="3.5")
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    client.post(reverse("mooc:quiz_submit", args=[course.slug, run.pk, quiz.lesson.pk]), {f"q{question.pk}": "3,5"})
    assert QuizAttempt.objects.get().passed is True


def test_lesson_markdown_is_sanitised(client, user):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1, quiz=False)
    lessons[0].body_fr = "Bonjour **PME** <script>alert(1)</script> [lien](javascript:alert(2))"
    lessons[0].save()
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    html = client.get(_lesson_url(course, run, lessons[0])).content.decode()
    assert "<strong>PME</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def test_external_video_is_a_link_never_an_embed(client, user):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=0, quiz=False)
    lesson = LessonFactory(module=module, kind=LessonKind.VIDEO, video_url="https://video.example.org/v/1", transcript_fr="Transcription intégrale.")
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    html = client.get(_lesson_url(course, run, lesson)).content.decode()
    assert 'href="https://video.example.org/v/1"' in html
    assert "<iframe" not in html
    assert "Transcription intégrale." in html


def test_uploaded_video_is_served_with_range_support_to_learners_only(client, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=0, quiz=False)
    data = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4
    (tmp_path / "mooc").mkdir()
    (tmp_path / "mooc" / "v.mp4").write_bytes(data)
    lesson = LessonFactory(module=module, kind=LessonKind.VIDEO, video_file="mooc/v.mp4", transcript_fr="Texte.")
    url = reverse("mooc:lesson_video", args=[course.slug, run.pk, lesson.pk])
    client.force_login(user)
    assert client.get(url).status_code == 403
    services.enrollment_create(user=user, run=run)
    response = client.get(url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert b"".join(response.streaming_content) == data[10:20]
    assert response["X-Content-Type-Options"] == "nosniff"
    full = client.get(url)
    assert (full.status_code, full["Accept-Ranges"], full["Content-Type"]) == (200, "bytes", "video/mp4")
    assert client.get(url, HTTP_RANGE=f"bytes={len(data) + 5}-").status_code == 416


def test_unenroll_then_reenroll_through_the_pages(client, user):
    course, run, *_ = course_with_lessons()
    client.force_login(user)
    client.post(reverse("mooc:enroll", args=[course.slug, run.pk]))
    client.post(reverse("mooc:unenroll", args=[course.slug, run.pk]))
    client.post(reverse("mooc:enroll", args=[course.slug, run.pk]))
    assert list(Enrollment.objects.values_list("is_active", flat=True)) == [True]


def test_link_resolver_resolves_published_courses_only():
    published = CourseFactory(slug="universite-du-numerique", title_fr="Université du numérique")
    CourseFactory(slug="draft", is_published=False)
    assert resolve("mooc.course", "universite-du-numerique") == ResolvedLink(label="Université du numérique", url=published.get_absolute_url())
    assert resolve("mooc.course", "draft") is None
    assert resolve("mooc.course", "missing") is None


def test_mon_espace_shows_courses_in_progress_and_certificates(client, user):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    question, good, _ = single_choice_question(quiz)
    enrollment = services.enrollment_create(user=user, run=run)
    from tests.mooc.test_grading import _post

    certificate = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk})).certificate
    client.force_login(user)
    html = client.get(reverse("me:dashboard")).content.decode()
    assert "Mes cours" in html
    assert course.title in html
    assert '<progress value="1" max="2"' in html
    assert certificate.code in html


def test_english_pages_render(client, user):
    course, run, module, lessons, quiz = course_with_lessons()
    assert client.get("/en/mooc/").status_code == 200
    assert "Log in to enroll" in client.get(f"/en/mooc/{course.slug}/").content.decode()


# --- Query-count guards ----------------------------------------------------------------------

def _outline_setup(n):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=n, quiz=False)
    learners = [UserFactory() for _ in range(n)]
    for learner in learners:
        enrollment = services.enrollment_create(user=learner, run=run)
        services.lesson_complete(enrollment=enrollment, lesson=lessons[0])
    return course, run, lessons, learners[0]


@pytest.mark.parametrize("n", [1, 30])
def test_lesson_outline_query_count_does_not_grow_with_lessons_and_learners(client, n, django_assert_num_queries):
    course, run, lessons, learner = _outline_setup(n)
    client.force_login(learner)
    url = _lesson_url(course, run, lessons[0])
    client.get(url)  # warm the session (and the run's outline in the page cache; the place is then already remembered)
    with django_assert_num_queries(5):  # session, user, the enrollment with its lessons done and certificate, attempts, inbox
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_mon_espace_section_query_count_does_not_grow_with_courses(rf, n, django_assert_num_queries):
    """The MOOC's own section (context + template), whatever the other apps add to the page."""
    from django.template.loader import render_to_string

    from mooc.dashboard import me_context
    from mooc.models import Certificate

    user = UserFactory()
    for i in range(n):
        course, run, module, lessons, quiz = course_with_lessons(text_lessons=2)
        services.enrollment_create(user=user, run=run)
        Certificate.objects.create(user=user, run=run, code=f"TEST{i:08d}", learner_name="A B", grade=100)
    request = rf.get(reverse("me:dashboard"))
    request.user = user
    with django_assert_num_queries(7):
        html = render_to_string("mooc/_me_section.html", {"data": me_context(request)}, request=request)
    assert html.count('class="progress-label"') == n


def test_bad_addresses_are_404_405_or_a_login_redirect_never_a_500(client, user):
    course, run, module, lessons, quiz = course_with_lessons()
    other_course, other_run, *_ = course_with_lessons()
    services.enrollment_create(user=user, run=run)
    slug = course.slug
    # Anonymous visitors are sent to the login page.
    assert client.get(_lesson_url(course, run, lessons[0]))["Location"].startswith("/accounts/login/")
    client.force_login(user)
    cases = [
        ("get", f"/mooc/{slug}/runs/{other_run.pk}/learn/", 404),  # a run of another course
        ("get", f"/mooc/{slug}/runs/999999/lessons/{lessons[0].pk}/", 404),
        ("get", f"/mooc/{slug}/runs/{run.pk}/lessons/999999/", 404),
        ("get", "/mooc/no-such-course/", 404),
        ("get", f"/mooc/{slug}/runs/{run.pk}/enroll/", 405),
        ("post", f"/mooc/{slug}/runs/{run.pk}/lessons/{lessons[0].pk}/quiz/", 404),  # not a quiz lesson
        ("get", f"/mooc/{slug}/runs/{run.pk}/lessons/{lessons[0].pk}/video/", 404),  # no video
        ("get", f"/mooc/{slug}/runs/{run.pk}/lessons/{lessons[0].pk}/resource/", 404),
        ("get", "/mooc/progress/999999/", 404),
        ("get", "/mooc/my-certificates/999999/certificate.pdf", 404),
        ("get", f"/mooc/preview/{course.pk}/", 404),  # not staff
        ("get", f"/mooc/{slug}/cover/", 404),
        ("post", f"/mooc/{other_course.slug}/runs/{other_run.pk}/certificate/", 403),  # not enrolled there
    ]
    for method, url, status in cases:
        assert (url, getattr(client, method)(url).status_code) == (url, status)


def test_certificate_request_below_the_pass_mark_explains_why(client, user):
    course, run, module, lessons, quiz = course_with_lessons()
    enrollment = services.enrollment_create(user=user, run=run)
    client.force_login(user)
    response = client.post(reverse("mooc:certificate_request", args=[course.slug, run.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("mooc:progress", args=[enrollment.pk])
    assert "Votre note (0 %) est inférieure à la note de réussite (60 %)." in response.content.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_catalogue_query_count_does_not_grow_with_courses(client, n, django_assert_num_queries):
    from portal.models import Partner

    partner = Partner.objects.create(slug="cnam-test", name="CNAM")
    for _ in range(n):
        CourseFactory().partners.add(partner)
    with django_assert_num_queries(2):
        assert client.get(reverse("mooc:index")).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_course_page_query_count_does_not_grow_with_lessons(client, user, n, django_assert_num_queries):
    course, run, *_ = course_with_lessons(text_lessons=n)
    client.force_login(user)
    client.get(course.get_absolute_url())
    with django_assert_num_queries(4):  # the course, its runs, head and syllabus from the page cache; the enrollments
        assert client.get(course.get_absolute_url()).status_code == 200


def test_uploads_are_checked_by_content():
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mooc.content import validate_resource, validate_video

    validate_video(SimpleUploadedFile("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64))
    validate_resource(SimpleUploadedFile("fiche.pdf", b"%PDF-1.4\n" + b"\x00" * 64))
    with pytest.raises(ValidationError):
        validate_video(SimpleUploadedFile("clip.mp4", b"<html>not a video</html>"))
    with pytest.raises(ValidationError):
        validate_resource(SimpleUploadedFile("fiche.pdf", b"MZ\x90\x00 an executable"))


def test_mooc_e_mails_are_plain_text_not_html_escaped(user):
    from portal.models import Notification

    course, run, module, lessons, quiz = course_with_lessons()
    course.title_fr = "L'export & vous"
    course.save()
    run.label_fr = "Session d'automne"
    run.save()
    services.enrollment_create(user=user, run=run)
    row = Notification.objects.get(user=user, kind="mooc.enrollment_confirmed")
    assert row.subject == "Vous êtes inscrit à « L'export & vous »"
    assert row.body_text.startswith("Votre inscription au cours « L'export & vous » (Session d'automne) est confirmée.")


# --- Page cache and writes the lesson pages skip -----------------------------------------------


def test_reading_the_same_lesson_again_writes_nothing_but_the_place_follows_the_learner(client, user, django_assert_num_queries):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=2)
    enrollment = services.enrollment_create(user=user, run=run)
    client.force_login(user)
    client.get(_lesson_url(course, run, lessons[0]))
    first_seen = Enrollment.objects.get(pk=enrollment.pk).last_activity_at
    client.get(_lesson_url(course, run, lessons[0]))
    assert Enrollment.objects.get(pk=enrollment.pk).last_activity_at == first_seen  # nothing written
    client.get(_lesson_url(course, run, lessons[1]))
    assert Enrollment.objects.get(pk=enrollment.pk).last_lesson_id == lessons[1].pk  # "continue" goes there
    assert client.get(reverse("mooc:learn", args=[course.slug, run.pk]))["Location"] == _lesson_url(course, run, lessons[1])


def test_course_and_lesson_pages_show_a_run_or_a_question_changed_at_once(client, user):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    question, _good, _bad = single_choice_question(quiz)
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    quiz_url = _lesson_url(course, run, quiz.lesson)
    assert "Première session" not in client.get(course.get_absolute_url()).content.decode()
    client.get(quiz_url)
    run.label_fr = "Première session"
    run.save()
    question.text_fr = "Une question reformulée ?"
    question.save()
    assert "Première session" in client.get(course.get_absolute_url()).content.decode()
    assert "Une question reformulée ?" in client.get(quiz_url).content.decode()


def test_a_visitor_sees_a_run_close_when_its_enrollment_ends_though_the_runs_are_cached(client, user):
    import time_machine
    from django.utils import timezone

    course, run, *_ = course_with_lessons(text_lessons=1)
    run.enrollment_end = timezone.now() + timezone.timedelta(hours=1)
    run.save()
    html = client.get(course.get_absolute_url()).content.decode()
    assert ("Se connecter pour s’inscrire" in html, "Les inscriptions sont closes." in html) == (True, False)
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=2)):
        html = client.get(course.get_absolute_url()).content.decode()
    assert ("Se connecter pour s’inscrire" in html, "Les inscriptions sont closes." in html) == (False, True)
    client.force_login(user)  # a person logged in never gets the visitors' rendering
    html = client.get(course.get_absolute_url()).content.decode()
    assert ("Se connecter pour s’inscrire" in html, "S’inscrire" in html) == (False, True)


def test_the_catalogue_s_filters_keep_the_chosen_topic_while_the_landing_filters_are_shared(client):
    CourseFactory(title_fr="Exporter en ligne", topic="export")
    landing = client.get(reverse("mooc:index")).content.decode()
    assert 'name="topic"' in landing and '<option value="export" selected>' not in landing
    filtered = client.get(reverse("mooc:index") + "?topic=export").content.decode()
    assert '<option value="export" selected>' in filtered and "Exporter en ligne" in filtered
    again = client.get(reverse("mooc:index")).content.decode()  # the kept landing filters, unchanged
    assert '<option value="export" selected>' not in again
