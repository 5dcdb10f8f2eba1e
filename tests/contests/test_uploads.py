"""Hostile uploads are generated here, in the test, and every one is refused."""

import io
import struct
import zipfile
import zlib

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from contests import services
from contests.models import Attachment
from contests.uploads import DECK_MAX_BYTES, IMAGE_MAX_BYTES, check_deck, check_image
from portal.uploads import pdf_without_metadata
from tests.contests.factories import SubmissionFactory, assign, juror, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A real one-page PDF (pypdf must read it: decks are written again without their metadata).
PDF = (
    b"%PDF-1.3\n1 0 obj\n<<\n/Type /Pages\n/Count 1\n/Kids [ 3 0 R ]\n>>\nendobj\n2 0 obj\n<<\n/Type /Catalog\n"
    b"/Pages 1 0 R\n>>\nendobj\n3 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0 0 200 200 ]\n/Parent 1 0 R\n"
    b">>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000068 00000 n \n0000000117 00000 n \n"
    b"trailer\n<<\n/Size 4\n/Root 2 0 R\n>>\nstartxref\n207\n%%EOF\n"
)
STORED_PDF = pdf_without_metadata(PDF)


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x8825] = {2: (48, 51, 0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(10, 10), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a gigantic size (a decompression bomb's header)."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def upload(name: str, content: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_zip_polyglot() -> bytes:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("payload.js", "alert(1)")
    return PDF + zipped.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("deck.pdf", ELF, "not_pdf"),  # a Linux executable renamed .pdf
        ("deck.pdf", PE, "not_pdf"),  # a Windows executable renamed .pdf
        ("deck.pdf", SVG, "not_pdf"),
        ("deck.pdf", pdf_zip_polyglot(), "polyglot"),
        ("deck.pdf", PDF + b"\0" * (DECK_MAX_BYTES + 1 - len(PDF)), "too_large"),  # limit + 1 byte
        ("deck.pdf", PDF[:-7], "damaged_pdf"),
        ("deck.pdf", b"", "empty"),
        ("..\\..\\deck.pdf", PDF, "bad_name"),
    ],
)
def test_hostile_decks_are_refused(name, content, code):
    with pytest.raises(ValidationError) as exc:
        check_deck(upload(name, content, "application/pdf"))
    assert exc.value.code == code


def test_a_deck_at_exactly_the_limit_is_accepted():
    content = PDF + b"\n" * (DECK_MAX_BYTES - len(PDF) - 6) + b"%%EOF\n"
    assert len(content) == DECK_MAX_BYTES
    assert check_deck(upload("deck.pdf", content)).size == len(STORED_PDF)  # accepted, written again without the padding


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.png", SVG, "not_image"),  # an SVG with a script
        ("photo.svg", SVG, "not_image"),
        ("photo.jpg", ELF, "not_image"),
        ("photo.png", png_claiming(100_000, 100_000), "too_many_pixels"),  # Pillow's own bomb guard
        ("photo.png", png_claiming(8_000, 6_000), "too_many_pixels"),  # above our 40-megapixel ceiling
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (IMAGE_MAX_BYTES + 1 - 4), "too_large"),  # limit + 1 byte
        ("photo.png", png_bytes()[:40], "bad_image"),  # truncated
        ("photo.png", PDF, "not_image"),
    ],
)
def test_hostile_images_are_refused(name, content, code):
    with pytest.raises(ValidationError) as exc:
        check_image(upload(name, content, "image/png"))
    assert exc.value.code == code


def test_a_real_decompression_bomb_png_is_refused_without_decoding_it():
    # 20,000 × 20,000 black pixels compress to a few dozen kilobytes.
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")
    assert len(out.getvalue()) < 200_000
    with pytest.raises(ValidationError) as exc:
        check_image(upload("bomb.png", out.getvalue()))
    assert exc.value.code == "too_many_pixels"


def test_images_are_reencoded_without_metadata():
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()
    checked = check_image(upload("photo.jpg", original + b"<?php system($_GET['c']); ?>"))
    cleaned = checked.content.read()
    assert b"SpyCam" not in cleaned
    assert b"<?php" not in cleaned
    assert dict(Image.open(io.BytesIO(cleaned)).getexif()) == {}
    assert checked.content_type == "image/jpeg"


def test_a_jpeg_comment_does_not_survive_the_reencoding():
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="JPEG", comment=b"Photo: Jeanne Dupont, CEO of Capteurs d'Anjou")
    assert Image.open(io.BytesIO(out.getvalue())).info["comment"]
    cleaned = check_image(upload("photo.jpg", out.getvalue())).content.read()
    assert b"Jeanne" not in cleaned
    assert "comment" not in Image.open(io.BytesIO(cleaned)).info


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def owned(client):
    sub = SubmissionFactory()
    owner = member(sub.company)
    return sub, owner


def test_a_path_in_the_file_name_is_refused_and_never_used_for_storage(media, owned):
    sub, owner = owned
    hostile = upload("deck.pdf", PDF)
    hostile._name = "../../../etc/cron.d/deck.pdf"  # bypass Django's own basename() to reach our check
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(submission=sub, user=owner, kind="deck", upload=hostile)
    assert exc.value.code == "bad_name"
    assert Attachment.objects.count() == 0


def test_upload_through_the_view_stores_a_generated_name_under_media_root(client, media, owned):
    sub, owner = owned
    client.force_login(owner)
    response = client.post(
        reverse("contests:attachment_upload", args=[sub.pk]),
        {"kind": "deck", "file": upload("../../Mon pitch.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    path = media / attachment.file.name
    assert path.resolve().is_relative_to(media.resolve())
    assert "pitch" not in attachment.file.name.lower()
    assert path.read_bytes() == STORED_PDF


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("deck", "evil.pdf", ELF),
        ("deck", "polyglot.pdf", pdf_zip_polyglot()),
        ("image", "evil.png", SVG),
        ("image", "bomb.png", png_claiming(100_000, 100_000)),
    ],
)
def test_hostile_upload_through_the_view_is_refused_with_a_message_not_a_500(client, media, owned, kind, name, content):
    sub, owner = owned
    client.force_login(owner)
    response = client.post(reverse("contests:attachment_upload", args=[sub.pk]), {"kind": kind, "file": upload(name, content)}, follow=True)
    assert response.status_code == 200
    assert Attachment.objects.count() == 0
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert list(media.rglob("*.*")) == []


def test_a_sixth_image_is_refused(media, owned):
    sub, owner = owned
    for _ in range(5):
        services.attachment_add(submission=sub, user=owner, kind="image", upload=upload("p.png", png_bytes()))
    with pytest.raises(ValidationError):
        services.attachment_add(submission=sub, user=owner, kind="image", upload=upload("p.png", png_bytes()))
    assert Attachment.objects.filter(kind="image").count() == 5


def test_a_new_deck_replaces_the_previous_one(media, owned, django_capture_on_commit_callbacks):
    sub, owner = owned
    with django_capture_on_commit_callbacks(execute=True):
        first = services.attachment_add(submission=sub, user=owner, kind="deck", upload=upload("a.pdf", PDF))
        services.attachment_add(submission=sub, user=owner, kind="deck", upload=upload("b.pdf", PDF))
    assert Attachment.objects.filter(kind="deck").count() == 1
    assert not (media / first.file.name).exists()


def test_downloads_only_for_owner_assigned_juror_and_staff(client, media, owned):
    sub, owner = owned
    attachment = services.attachment_add(submission=sub, user=owner, kind="deck", upload=upload("a.pdf", PDF))
    sub.state = "under_review"
    sub.save()
    url = reverse("contests:attachment_download", args=[attachment.pk])
    assigned = juror(sub.edition)
    assign(assigned, sub)
    conflicted = juror(sub.edition)
    assign(conflicted, sub)
    services.conflict_declare(juror=conflicted, company=sub.company)
    unassigned = juror(sub.edition)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_submission", content_type__app_label="contests"))
    staff_without_permission = UserFactory(is_staff=True)
    expected = {owner: 200, assigned.user: 200, staff: 200, conflicted.user: 404, unassigned.user: 404, UserFactory(): 404,
                staff_without_permission: 404}
    for person, status in expected.items():
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Disposition"] == f'attachment; filename="{attachment.download_name}"'
            assert b"".join(response.streaming_content) == STORED_PDF
    client.logout()
    assert client.get(url).status_code == 302


def test_original_file_names_are_kept_cleaned_for_members_only():
    from contests.services.submissions import clean_file_name

    assert clean_file_name("Pitch Ruche connectée 2026.pdf") == "Pitch Ruche connectée 2026.pdf"
    assert clean_file_name('C:\\Users\\moi\\a<b>"c".pdf') == "abc.pdf"
    assert clean_file_name("x" * 300 + ".jpeg") == "x" * 115 + ".jpeg"  # 120 characters, the extension kept


def test_members_see_file_names_thumbnails_and_the_upload_result_beside_the_form(client, media, owned):
    sub, owner = owned
    client.force_login(owner)
    response = client.post(reverse("contests:attachment_upload", args=[sub.pk]),
                           {"kind": "image", "file": upload("Prototype de la ruche.png", png_bytes())}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#files")
    html = response.content.decode()
    files = html.split('id="files"', 1)[1]
    assert html.index("Le fichier a été ajouté.") > html.index('id="files"')  # beside the form, not at the top
    image = Attachment.objects.get()
    assert image.original_name == "Prototype de la ruche.png"
    assert "Prototype de la ruche.png" in files
    assert f'<img src="{reverse("contests:attachment_download", args=[image.pk])}" alt="" class="attachment-thumb"' in files


def test_jurors_of_an_anonymised_review_never_see_the_original_file_name(client, media, owned):
    sub, owner = owned
    services.attachment_add(submission=sub, user=owner, kind="deck", upload=upload("Capteurs d'Anjou - pitch.pdf", PDF))
    sub.edition.anonymised_review = True
    sub.edition.save()
    sub.state = "under_review"
    sub.save()
    judge = juror(sub.edition)
    judge.conflicts_declared_at = judge.accepted_at
    judge.save()
    assign(judge, sub)
    client.force_login(judge.user)
    html = client.get(reverse("contests:jury_review", args=[sub.edition.slug, sub.pk])).content.decode()
    assert "Anjou" not in html
