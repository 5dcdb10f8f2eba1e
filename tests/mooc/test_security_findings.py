"""A MOOC resource is stored and served under the extension its content says (finding 7)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mooc import services
from mooc.models import LessonKind
from tests.mooc.factories import LessonFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "bonjour")
    return out.getvalue()


def test_a_zip_uploaded_as_a_pdf_is_stored_and_served_as_a_zip(client, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    course, run, module, _lessons, _quiz = course_with_lessons(quiz=False)
    lesson = LessonFactory(module=module, position=9, kind=LessonKind.RESOURCE)
    lesson.resource_file = SimpleUploadedFile("fiche.pdf", zip_bytes(), content_type="application/pdf")
    lesson.full_clean()
    lesson.save()
    assert lesson.resource_file.name.endswith(".zip")
    services.enrollment_create(user=user, run=run)
    client.force_login(user)
    response = client.get(f"/mooc/{course.slug}/runs/{run.pk}/lessons/{lesson.pk}/resource/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="lesson-{lesson.pk}.zip"'
