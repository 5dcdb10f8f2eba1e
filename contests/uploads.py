"""Checking uploads by content: a pitch deck must be a real PDF, an image a real raster image.

- the size is checked before anything is read into memory;
- the type comes from the bytes (filetype), never from the name or the browser's header;
- a PDF that is also a ZIP archive (a polyglot) is refused;
- images are opened by Pillow with a pixel ceiling (decompression bombs), fully decoded,
  then re-encoded, which drops EXIF/GPS metadata and anything appended to the file;
- the uploader's file name is never used for storage (see models.attachment_upload_to); a
  name carrying a path is refused outright.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DECK_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGES_MAX_COUNT = 5
IMAGE_MAX_PIXELS = 40_000_000  # 40 megapixels: any real photo fits, a bomb does not
IMAGE_TYPES = {"image/jpeg": ("JPEG", ".jpg"), "image/png": ("PNG", ".png"), "image/webp": ("WEBP", ".webp")}


@dataclass
class CheckedFile:
    content: ContentFile
    content_type: str
    size: int


def _check_name(name: str) -> None:
    if not name or any(part in name for part in ("/", "\\", "\x00")) or name.startswith(".") or ".." in name:
        raise ValidationError(_("This file name is not acceptable: rename the file and try again."), code="bad_name")


def _read_limited(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_("This file is too large: the limit is %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, code="too_large")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("This file is too large: the limit is %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, code="too_large")
    if not data:
        raise ValidationError(_("This file is empty."), code="empty")
    return data


def check_deck(upload) -> CheckedFile:
    """A pitch deck: a PDF of at most 10 MB that is nothing else than a PDF."""
    _check_name(upload.name)
    data = _read_limited(upload, DECK_MAX_BYTES)
    kind = filetype.guess(data)
    if kind is None or kind.mime != "application/pdf" or not data.startswith(b"%PDF-"):
        raise ValidationError(_("The pitch deck must be a PDF file (its content is checked, not its name)."), code="not_pdf")
    if zipfile.is_zipfile(io.BytesIO(data)) or b"PK\x03\x04" in data or b"PK\x05\x06" in data:
        raise ValidationError(_("This PDF also contains an archive: save it again as a plain PDF."), code="polyglot")
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This PDF looks truncated or damaged: save it again and retry."), code="damaged_pdf")
    return CheckedFile(content=ContentFile(data, name="deck.pdf"), content_type="application/pdf", size=len(data))


def check_image(upload) -> CheckedFile:
    """An image: JPEG, PNG or WebP of at most 5 MB, re-encoded to strip metadata."""
    _check_name(upload.name)
    data = _read_limited(upload, IMAGE_MAX_BYTES)
    kind = filetype.guess(data)
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise ValidationError(_("Images must be JPEG, PNG or WebP files (their content is checked, not their name)."), code="not_image")
    pil_format, ext = IMAGE_TYPES[kind.mime]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != pil_format:
                raise ValidationError(_("This image is damaged or disguised."), code="mismatch")
            width, height = probe.size
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("This image is too large (%(w)s × %(h)s pixels): resize it under 40 megapixels.") % {"w": width, "h": height},
                    code="too_many_pixels",
                )
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
            if pil_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            # Nothing of the original rides along: Pillow would copy a JPEG comment (COM), an ICC
            # profile or DPI from image.info into the new file.
            image.info = {}
            out = io.BytesIO()
            image.save(out, format=pil_format, **({"quality": 88} if pil_format in ("JPEG", "WEBP") else {}))
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(_("This image has far too many pixels: resize it under 40 megapixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(_("This image is damaged or disguised."), code="bad_image") from None
    content = out.getvalue()
    return CheckedFile(content=ContentFile(content, name=f"image{ext}"), content_type=kind.mime, size=len(content))
