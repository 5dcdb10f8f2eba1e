"""The MOOC's pages pass the Nu HTML Checker (learner, public verification, Mon espace)."""

import pytest
from django.urls import reverse

from mooc import services, views
from mooc.models import LessonKind
from tests.factories import UserFactory
from tests.html_validation import validate_pages
from tests.mooc.factories import LessonFactory, course_with_lessons, numeric_question, single_choice_question

pytestmark = pytest.mark.django_db


def test_mooc_pages_are_valid_html(client):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    lessons[0].body_fr = "## Titre\n\nDu **texte** et un [lien](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    lessons[0].save()
    video = LessonFactory(module=module, kind=LessonKind.VIDEO, video_url="https://video.example.org/1", transcript_fr="Transcription.")
    question, good, bad = single_choice_question(quiz)
    numeric = numeric_question(quiz, answer="2.5")
    other_course, other_run, *_ = course_with_lessons()
    user = UserFactory()
    enrollment = services.enrollment_create(user=user, run=run)
    pages = {
        "/mooc/": client.get("/mooc/").content.decode(),
        "/en/mooc/": client.get("/en/mooc/").content.decode(),
        "course-anonymous": client.get(course.get_absolute_url()).content.decode(),
        "verify-unknown": client.get("/mooc/certificates/ZZZZ/").content.decode(),
    }
    client.force_login(user)
    lesson_url = reverse("mooc:lesson", args=[course.slug, run.pk, lessons[0].pk])
    quiz_url = reverse("mooc:lesson", args=[course.slug, run.pk, quiz.lesson.pk])
    pages["course-enrolled"] = client.get(course.get_absolute_url()).content.decode()
    pages["lesson"] = client.get(lesson_url).content.decode()
    pages["video"] = client.get(reverse("mooc:lesson", args=[course.slug, run.pk, video.pk])).content.decode()
    pages["quiz"] = client.get(quiz_url).content.decode()
    pages["quiz-tampered"] = client.post(reverse("mooc:quiz_submit", args=[course.slug, run.pk, quiz.lesson.pk]), {f"q{question.pk}": "999999"}).content.decode()
    pages["quiz-result"] = client.post(
        reverse("mooc:quiz_submit", args=[course.slug, run.pk, quiz.lesson.pk]), {f"q{question.pk}": good.pk, f"q{numeric.pk}": "2,5"}
    ).content.decode()
    pages["progress"] = client.get(reverse("mooc:progress", args=[enrollment.pk])).content.decode()
    pages["forbidden"] = client.get(reverse("mooc:learn", args=[other_course.slug, other_run.pk])).content.decode()
    pages["me"] = client.get("/me/").content.decode()
    certificate = user.mooc_certificates.get()
    pages["verify"] = client.get(f"/mooc/certificates/{certificate.code}/").content.decode()
    pages["achievement"] = client.get(f"/mooc/achievements/{course.slug}/").content.decode()
    pages["achievement-en"] = client.get(f"/mooc/achievements/{course.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    services.certificate_revoke(certificate=certificate)
    pages["verify-revoked"] = client.get(f"/mooc/certificates/{certificate.code}/").content.decode()
    for _ in range(views.VERIFY_LIMIT_PER_MINUTE):
        client.get("/mooc/certificates/ZZZZ/")
    limited = client.get("/mooc/certificates/ZZZZ/")
    assert limited.status_code == 429
    pages["verify-429"] = limited.content.decode()
    assert validate_pages(pages) == []
