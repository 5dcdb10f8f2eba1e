import re
import warnings

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.deprecation import RemovedInDjango60Warning

from mooc import services
from mooc.models import Choice, Question
from tests.factories import UserFactory
from tests.mooc.factories import QuizFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser(email="staff@example.org", password="x-Strong-Pass-1")
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", ["course", "module", "lesson", "quiz", "question", "enrollment", "quizattempt", "certificate"])
def test_changelists_render(admin_client, model):
    course_with_lessons()
    assert admin_client.get(reverse(f"admin:mooc_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_enrollment_changelist_shows_progress_with_constant_queries(admin_client, n, django_assert_num_queries):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=2)
    for _ in range(n):
        enrollment = services.enrollment_create(user=UserFactory(), run=run)
        services.lesson_complete(enrollment=enrollment, lesson=lessons[0])
    url = reverse("admin:mooc_enrollment_changelist")
    admin_client.get(url)
    with django_assert_num_queries(11):  # the course's structure (modules, lessons) from the page cache
        response = admin_client.get(url)
    assert "33.33 %" in response.content.decode()


def test_course_change_page_renders_with_inlines_and_preview(admin_client):
    course, run, *_ = course_with_lessons()
    response = admin_client.get(reverse("admin:mooc_course_change", args=[course.pk]))
    assert response.status_code == 200
    preview = admin_client.get(reverse("mooc:preview", args=[course.pk]))
    assert preview["Location"] == reverse("mooc:learn", args=[course.slug, run.pk])
    lesson_page = admin_client.get(admin_client.get(preview["Location"])["Location"])
    assert "Aperçu en tant qu’apprenant" in lesson_page.content.decode()


def test_question_import_previews_a_dry_run_then_creates_questions_with_choices(admin_client):
    quiz = QuizFactory()
    csv = (
        "quiz,position,kind,text_fr,text_en,feedback_fr,feedback_en,correct_bool,numeric_answer,tolerance,points,choices_fr,choices_en\n"
        f"{quiz.pk},1,single,Quel outil ?,Which tool?,Le CRM.,The CRM.,,,,1,*CRM|Tableur,*CRM|Spreadsheet\n"
        f"{quiz.pk},2,numeric,Combien ?,How many?,\"2,5.\",2.5.,,2.5,0.1,1,,\n"
    )
    upload = SimpleUploadedFile("questions.csv", csv.encode(), content_type="text/csv")
    response = admin_client.post(
        reverse("admin:mooc_question_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert Question.objects.count() == 0  # dry run only
    html = response.content.decode()
    assert "Quel outil ?" in html
    form_fields = dict(re.findall(r'name="(import_file_name|original_file_name|format|resource)"[^>]*value="([^"]*)"', html))
    confirm = admin_client.post(reverse("admin:mooc_question_process_import"), form_fields)
    assert confirm.status_code == 302
    assert Question.objects.count() == 2
    question = Question.objects.get(position=1)
    assert list(Choice.objects.filter(question=question).values_list("text_fr", "text_en", "is_correct")) == [
        ("CRM", "CRM", True), ("Tableur", "Spreadsheet", False),
    ]


def test_revoke_action_calls_the_service(admin_client):
    from decimal import Decimal

    from mooc.models import Certificate

    course, run, *_ = course_with_lessons()
    user = UserFactory()
    certificate = Certificate.objects.create(user=user, run=run, code="ABCDEFGHJKMN", learner_name="A B", grade=Decimal("80"))
    url = reverse("admin:mooc_certificate_changelist")
    page = admin_client.post(url, {"action": "revoke", "_selected_action": [certificate.pk]})
    assert 'name="reason"' in page.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_revoked is False  # the confirmation page changes nothing
    admin_client.post(url, {"action": "revoke", "_selected_action": [certificate.pk], "post": "yes", "reason": ""})
    certificate.refresh_from_db()
    assert certificate.is_revoked is False  # a reason is required
    admin_client.post(url, {"action": "revoke", "_selected_action": [certificate.pk], "post": "yes",
                            "reason": "Fraude au quiz constatée"})
    certificate.refresh_from_db()
    assert (certificate.is_revoked, certificate.revoked_reason) == (True, "Fraude au quiz constatée")


def test_cover_image_is_checked_by_content_and_reencoded(admin_client, settings, tmp_path):
    import io

    from PIL import Image

    from mooc.models import Course

    settings.MEDIA_ROOT = tmp_path
    course, run, *_ = course_with_lessons()
    url = reverse("admin:mooc_course_change", args=[course.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    fake = SimpleUploadedFile("cover.png", b"<script>not an image</script>", content_type="image/png")
    data = {
        "slug": course.slug, "title_fr": course.title_fr, "title_en": "", "summary_fr": "", "summary_en": "",
        "cover_alt_fr": "", "cover_alt_en": "", "teachers": "", "effort_hours": 2, "language": "fr",
        "topic": "export", "pass_mark": 60, "is_published": "on", "created_at_0": "2026-01-01", "created_at_1": "10:00:00",
        "runs-TOTAL_FORMS": 0, "runs-INITIAL_FORMS": 0, "modules-TOTAL_FORMS": 0, "modules-INITIAL_FORMS": 0,
        "cover_image": fake,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["cover_image"]
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, format="PNG")
    data["cover_image"] = SimpleUploadedFile("my cover.png", buffer.getvalue(), content_type="image/png")
    response = admin_client.post(url, data)
    assert response.status_code == 302
    course = Course.objects.get(pk=course.pk)
    assert course.cover_image.name.startswith("mooc/covers/") and course.cover_image.name.endswith(".jpg")
    with Image.open(course.cover_image.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (40, 30))
    cover = admin_client.get(reverse("mooc:course_cover", args=[course.slug]))
    assert (cover.status_code, cover["Content-Type"]) == (200, "image/jpeg")


def _lesson_form(module, **overrides):
    data = {
        "module": module.pk, "position": "9", "kind": "video", "title_fr": "Une vidéo", "title_en": "",
        "body_fr": "", "body_en": "", "video_url": "https://video.example.org/watch/1", "transcript_fr": "",
        "transcript_en": "", "resource_name": "", "weight": "1", "duration_minutes": "5",
        "quiz-TOTAL_FORMS": "0", "quiz-INITIAL_FORMS": "0", "quiz-MIN_NUM_FORMS": "0", "quiz-MAX_NUM_FORMS": "1",
    }
    data.update(overrides)
    return data


def test_a_video_lesson_needs_a_video_and_a_transcript(admin_client):
    from mooc.models import Lesson

    course, run, module, lessons, quiz = course_with_lessons()
    url = reverse("admin:mooc_lesson_add")
    response = admin_client.post(url, _lesson_form(module))
    assert response.status_code == 200
    assert "Une leçon vidéo a toujours une transcription." in response.content.decode()
    response = admin_client.post(url, _lesson_form(module, video_url="", transcript_fr="Bonjour."))
    assert "Une leçon vidéo a besoin d’un fichier vidéo ou d’un lien externe." in response.content.decode()
    assert not Lesson.objects.filter(title_fr="Une vidéo").exists()
    response = admin_client.post(url, _lesson_form(module, transcript_fr="Bonjour."))
    assert response.status_code == 302
    assert Lesson.objects.get(title_fr="Une vidéo").transcript_fr == "Bonjour."


def test_a_video_link_typed_without_a_scheme_is_saved_as_https(admin_client):
    from mooc.models import Lesson

    course, run, module, lessons, quiz = course_with_lessons()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        response = admin_client.post(
            reverse("admin:mooc_lesson_add"),
            _lesson_form(module, video_url="video.example.org/watch/2", transcript_fr="Bonjour."),
        )
    assert response.status_code == 302
    assert Lesson.objects.get(title_fr="Une vidéo").video_url == "https://video.example.org/watch/2"


def _question_form(quiz, **overrides):
    data = {
        "quiz": quiz.pk, "position": "1", "kind": "numeric", "text_fr": "Combien ?", "text_en": "",
        "feedback_fr": "", "feedback_en": "", "correct_bool": "unknown", "numeric_answer": "", "tolerance": "0",
        "points": "1", "choices-TOTAL_FORMS": "0", "choices-INITIAL_FORMS": "0", "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_a_numeric_question_needs_its_answer_and_a_true_false_question_its_truth(admin_client):
    quiz = QuizFactory()
    url = reverse("admin:mooc_question_add")
    response = admin_client.post(url, _question_form(quiz))
    assert response.status_code == 200
    assert "Donnez la réponse attendue d’une question numérique." in response.content.decode()
    response = admin_client.post(url, _question_form(quiz, kind="true_false"))
    assert "Indiquez si l’affirmation est vraie ou fausse." in response.content.decode()
    assert Question.objects.count() == 0
    assert admin_client.post(url, _question_form(quiz, numeric_answer="3.5")).status_code == 302
    assert admin_client.post(url, _question_form(quiz, kind="true_false", correct_bool="false")).status_code == 302
    assert Question.objects.count() == 2


def test_enrollments_change_only_through_the_actions_and_unenrolling_asks_first(admin_client):
    from mooc.models import Enrollment, LessonCompletion

    _course, run, _module, lessons, _quiz = course_with_lessons()
    learner = UserFactory()
    enrollment = services.enrollment_create(user=learner, run=run)
    services.lesson_complete(enrollment=enrollment, lesson=lessons[0])
    html = admin_client.get(reverse("admin:mooc_enrollment_change", args=[enrollment.pk])).content.decode()
    assert 'name="is_active"' not in html
    url = reverse("admin:mooc_enrollment_changelist")
    page = admin_client.post(url, {"action": "unenroll", "_selected_action": [enrollment.pk]}).content.decode()
    assert "La progression, les tentatives de quiz et les certificats sont conservés" in page
    assert Enrollment.objects.get(pk=enrollment.pk).is_active is True
    admin_client.post(url, {"action": "unenroll", "_selected_action": [enrollment.pk], "post": "yes"})
    enrollment.refresh_from_db()
    assert (enrollment.is_active, enrollment.unenrolled_at is not None) == (False, True)
    admin_client.post(url, {"action": "reenroll", "_selected_action": [enrollment.pk]})
    enrollment.refresh_from_db()
    assert (enrollment.is_active, enrollment.unenrolled_at) == (True, None)
    assert LessonCompletion.objects.filter(enrollment=enrollment).count() == 1
