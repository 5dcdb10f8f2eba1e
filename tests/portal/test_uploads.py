"""The shared checks by content (portal/uploads.py) that the contests and the MOOC rely on."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from portal import uploads

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt: str, size=(40, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else None).save(out, format=fmt, **save)
    return out.getvalue()


def exif() -> Image.Exif:
    data = Image.Exif()
    data[0x010F] = "SpyCam Inc."  # Make
    data[0x8825] = {2: (48, 51, 0)}  # GPS latitude
    return data


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims another size (a decompression bomb's header)."""
    data = bytearray(image_bytes("PNG", (1, 1)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def refusal(check, *args, **kwargs) -> tuple[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        check(*args, **kwargs)
    return exc.value.code, exc.value.messages


# --- The type comes from the bytes -------------------------------------------------------------

def test_a_png_renamed_pdf_is_seen_as_a_png_and_can_still_be_read_whole():
    png = image_bytes("PNG")
    upload = SimpleUploadedFile("fiche.pdf", png, content_type="application/pdf")
    assert uploads.sniff(upload) == "image/png"
    assert upload.read() == png  # sniffing puts the file back at its start


def test_a_pdf_renamed_png_is_refused_as_an_image_with_the_message():
    upload = SimpleUploadedFile("photo.png", PDF, content_type="image/png")
    assert refusal(uploads.check_image, upload, max_bytes=uploads.MB) == (
        "not_image",
        ["Les images doivent être des fichiers JPEG, PNG ou WebP (c’est leur contenu qui est vérifié, pas leur nom)."],
    )


def test_a_png_named_jpg_keeps_its_real_type():
    checked = uploads.check_image(SimpleUploadedFile("photo.jpg", image_bytes("PNG"), content_type="image/jpeg"), max_bytes=uploads.MB)
    assert (checked.content_type, checked.content.name) == ("image/png", "image.png")
    assert Image.open(checked.content).format == "PNG"


# --- Sizes -----------------------------------------------------------------------------------

def test_an_oversized_file_is_refused_with_the_limit_in_french_and_english():
    upload = SimpleUploadedFile("big.pdf", b"x" * (2 * uploads.MB + 1))
    assert refusal(uploads.check_size, upload, 2 * uploads.MB) == ("too_large", ["Ce fichier est trop volumineux : la limite est de 2 Mo."])
    with translation.override("en"):
        assert refusal(uploads.read_limited, upload, 2 * uploads.MB) == ("too_large", ["This file is too large: the limit is 2 MB."])


def test_a_file_at_exactly_the_limit_is_read_whole():
    content = b"x" * (2 * uploads.MB)
    assert uploads.read_limited(SimpleUploadedFile("f.bin", content), 2 * uploads.MB) == content


def test_a_file_lying_about_its_size_is_refused_once_read():
    upload = SimpleUploadedFile("big.pdf", b"x" * (uploads.MB + 1))
    upload.size = 10
    uploads.check_size(upload, uploads.MB)  # the announced size alone passes
    assert refusal(uploads.read_limited, upload, uploads.MB)[0] == "too_large"


def test_an_empty_file_is_refused():
    assert refusal(uploads.read_limited, SimpleUploadedFile("f.pdf", b""), uploads.MB) == ("empty", ["Ce fichier est vide."])


# --- Names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\deck.pdf", "dir/deck.pdf", ".htaccess", "deck\x00.pdf", ""])
def test_a_name_carrying_a_path_or_hidden_is_refused(name):
    assert refusal(uploads.check_name, name)[0] == "bad_name"


def test_an_ordinary_name_with_spaces_and_accents_is_accepted():
    assert uploads.check_name("Présentation (v2) — Capteurs d'Anjou.pdf") is None


# --- Images are re-encoded ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_and_gps_do_not_survive_the_reencoding(fmt):
    original = image_bytes(fmt, exif=exif())
    assert Image.open(io.BytesIO(original)).getexif()[0x010F] == "SpyCam Inc."
    cleaned = uploads.check_image(SimpleUploadedFile("photo", original), max_bytes=uploads.MB).content.read()
    assert b"SpyCam" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert (image.format, image.size, dict(image.getexif())) == (fmt, (40, 30), {})


@pytest.mark.parametrize(
    ("fmt", "key", "save"),
    [("PNG", "icc_profile", "icc_profile"), ("JPEG", "comment", "comment")],  # what Pillow would copy over
)
def test_a_profile_a_comment_and_appended_data_do_not_survive_the_reencoding(fmt, key, save):
    from PIL import ImageCms

    value = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() if key == "icc_profile" else b"Jeanne Dupont, CEO"
    original = image_bytes(fmt, **{save: value}) + b"<?php system($_GET['c']); ?>"
    assert Image.open(io.BytesIO(original)).info[key] == value
    cleaned = uploads.check_image(SimpleUploadedFile("photo", original), max_bytes=uploads.MB).content.read()
    assert b"<?php" not in cleaned
    assert key not in Image.open(io.BytesIO(cleaned)).info


def test_a_transparent_png_becomes_a_jpeg_that_fits_within_the_box():
    original = image_bytes("PNG", size=(3200, 800), mode="RGBA")
    checked = uploads.check_image(
        SimpleUploadedFile("cover.png", original), max_bytes=uploads.MB, output_type="image/jpeg", fit_within=(1600, 1600)
    )
    assert (checked.content_type, checked.content.name) == ("image/jpeg", "image.jpg")
    with Image.open(checked.content) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1600, 400))


def test_an_image_above_40_megapixels_is_refused_with_its_size():
    upload = SimpleUploadedFile("photo.png", png_claiming(8_000, 6_000))
    assert refusal(uploads.check_image, upload, max_bytes=uploads.MB) == (
        "too_many_pixels",
        ["Cette image est trop grande (8000 × 6000 pixels) : réduisez-la sous 40 mégapixels."],
    )


def test_a_truncated_image_is_refused_as_damaged():
    upload = SimpleUploadedFile("photo.png", image_bytes("PNG")[:60])
    assert refusal(uploads.check_image, upload, max_bytes=uploads.MB) == ("bad_image", ["Cette image est endommagée ou déguisée."])


def test_a_png_with_a_broken_checksum_is_refused_as_damaged():
    data = bytearray(image_bytes("PNG"))
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    data[idat + 4 + length] ^= 0xFF  # the IDAT chunk's CRC: Pillow decodes the pixels anyway
    upload = SimpleUploadedFile("photo.png", bytes(data))
    assert refusal(uploads.check_image, upload, max_bytes=uploads.MB)[0] == "bad_image"
