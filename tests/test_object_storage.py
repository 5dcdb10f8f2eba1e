"""Uploads on an S3-compatible object store (django-storages) — tested against a real one,
SeaweedFS, started by the test (django-storages declares Django 5.1: this proves 5.2 here).

The bucket is private; every download is streamed by the permission-checked views (never a
redirect to the store, never a presigned URL); a video's Range request reads a range of the object.
"""

from __future__ import annotations

import http.client
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contests.models import Attachment
from mooc import services as mooc_services
from mooc.models import LessonKind
from portal import personal_data
from tests.contests.factories import SubmissionFactory, member
from tests.contests.test_uploads import PDF, STORED_PDF
from tests.factories import UserFactory
from tests.faults import SeaweedS3
from tests.mooc.factories import LessonFactory, course_with_lessons

pytestmark = pytest.mark.django_db

VIDEO = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40


@pytest.fixture(scope="module")
def seaweed():
    server = SeaweedS3().start()
    yield server
    server.stop()


@pytest.fixture
def bucket(seaweed, settings, tmp_path):
    name = f"portal-{uuid.uuid4().hex[:12]}"
    seaweed.client().create_bucket(Bucket=name)
    settings.MEDIA_ROOT = tmp_path  # must stay empty: nothing is written to the local disk
    settings.STORAGES = seaweed.storages_setting(name)
    return name


def _keys(seaweed, bucket: str) -> list[str]:
    return [o["Key"] for o in seaweed.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_a_pitch_deck_is_stored_in_the_bucket_and_only_streamed_by_the_permission_checked_view(
    client, seaweed, bucket, settings, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    submission = SubmissionFactory(created_by=owner)
    member(submission.company, owner)
    client.force_login(owner)
    response = client.post(reverse("contests:attachment_upload", args=[submission.pk]),
                           {"kind": "deck", "file": SimpleUploadedFile("pitch.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert _keys(seaweed, bucket) == [f"media/{attachment.file.name}"]
    assert list(Path(settings.MEDIA_ROOT).rglob("*")) == []
    # Anonymous, straight to the store: refused (a private bucket).
    conn = http.client.HTTPConnection("127.0.0.1", seaweed.port, timeout=5)
    conn.request("GET", f"/{bucket}/media/{attachment.file.name}")
    assert conn.getresponse().status == 403
    download = client.get(reverse("contests:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and "Location" not in download
    assert b"".join(download.streaming_content) == STORED_PDF
    client.force_login(UserFactory())
    assert client.get(reverse("contests:attachment_download", args=[attachment.pk])).status_code == 404
    # Erasing the owner removes the object once the erasure commits.
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.user_account_delete(owner)
    assert _keys(seaweed, bucket) == []


def test_a_lesson_video_range_request_reads_that_range_from_the_bucket(client, seaweed, bucket):
    course, run, module, _lessons, _quiz = course_with_lessons(quiz=False)
    lesson = LessonFactory(module=module, position=7, kind=LessonKind.VIDEO, transcript_fr="Transcription.")
    lesson.video_file = SimpleUploadedFile("clip.mp4", VIDEO, content_type="video/mp4")
    lesson.save()
    assert lesson.video_file.name.endswith(".mp4") and _keys(seaweed, bucket) == [f"media/{lesson.video_file.name}"]
    learner = UserFactory()
    mooc_services.enrollment_create(user=learner, run=run)
    client.force_login(learner)
    url = f"/mooc/{course.slug}/runs/{run.pk}/lessons/{lesson.pk}/video/"
    partial = client.get(url, HTTP_RANGE="bytes=100-199")
    assert partial.status_code == 206
    assert partial["Content-Range"] == f"bytes 100-199/{len(VIDEO)}"
    assert partial["Content-Type"] == "video/mp4"
    assert b"".join(partial.streaming_content) == VIDEO[100:200]
    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == VIDEO
