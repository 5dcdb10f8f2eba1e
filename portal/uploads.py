"""Checking uploaded files by their content, for every app that accepts files.

- the size is checked before anything is read into memory;
- the type comes from the bytes (filetype), never from the name or the browser's header;
- images are JPEG, PNG or WebP, opened by Pillow with a pixel ceiling (decompression bombs),
  fully decoded, then re-encoded, which drops EXIF/GPS metadata, comments, ICC profiles and
  anything appended to the file;
- a name carrying a path is refused outright (the uploader's name is never used for storage);
- PDFs are parsed (pypdf) and written again without their document information and XMP
  metadata (author, company, software), which could name a company in an anonymised review.

Each app keeps what is its own: the kinds it accepts, its limits and where files are stored
(contests/uploads.py, mooc/content.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import filetype
import pypdf
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf.errors import PyPdfError

MB = 1024 * 1024
SNIFF_BYTES = 8192  # all that filetype ever looks at
IMAGE_MAX_PIXELS = 40_000_000  # 40 megapixels: any real photo fits, a bomb does not
IMAGE_TYPES = {"image/jpeg": ("JPEG", ".jpg"), "image/png": ("PNG", ".png"), "image/webp": ("WEBP", ".webp")}
LOSSY_QUALITY = 88


@dataclass
class CheckedFile:
    content: ContentFile
    content_type: str
    size: int


def check_name(name: str) -> None:
    """Refuse a file name that carries a path, a NUL byte or a leading dot."""
    if not name or any(part in name for part in ("/", "\\", "\x00")) or name.startswith(".") or ".." in name:
        raise ValidationError(_("This file name is not acceptable: rename the file and try again."), code="bad_name")


def _too_large(limit: int) -> ValidationError:
    return ValidationError(_("This file is too large: the limit is %(mb)s MB.") % {"mb": limit // MB}, code="too_large")


def check_size(upload, limit: int) -> None:
    """Refuse a file above `limit` bytes from its announced size, without reading it."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)


def read_limited(upload, limit: int) -> bytes:
    """The whole file, never more than `limit` bytes read (the announced size may lie); not empty."""
    check_size(upload, limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise ValidationError(_("This file is empty."), code="empty")
    return data


def sniffed_type(data: bytes | str) -> str | None:
    """The MIME type the bytes (or the stored file at that path) say, or None when they say nothing known."""
    kind = filetype.guess(data)
    return kind.mime if kind else None


def sniff(upload) -> str | None:
    """The MIME type of an upload from its first bytes only (a large video is not read whole)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return sniffed_type(head)


def pdf_without_metadata(data: bytes) -> bytes:
    """The PDF written again without its document information (/Info: author, creator, producer,
    title) and its XMP metadata; refused when it cannot be read or is password-protected."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(_("This PDF is protected by a password: save it without protection and retry."), code="encrypted_pdf")
        writer = pypdf.PdfWriter(clone_from=reader)
        writer.metadata = None
        root = writer.root_object
        for key in ("/Metadata", "/PieceInfo"):
            if key in root:
                del root[key]
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo"):
                if key in page:
                    del page[key]
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise ValidationError(_("This PDF looks truncated or damaged: save it again and retry."), code="damaged_pdf") from None
    return out.getvalue()


def check_image(upload, *, max_bytes: int, output_type: str | None = None, fit_within: tuple[int, int] | None = None) -> CheckedFile:
    """A JPEG, PNG or WebP image of at most `max_bytes`, decoded and re-encoded without metadata.

    `output_type` converts to another of those types (default: the same); `fit_within`
    shrinks the image to fit in (width, height), keeping its proportions.
    """
    data = read_limited(upload, max_bytes)
    mime = sniffed_type(data)
    if mime not in IMAGE_TYPES:
        raise ValidationError(_("Images must be JPEG, PNG or WebP files (their content is checked, not their name)."), code="not_image")
    pil_format = IMAGE_TYPES[mime][0]
    out_type = output_type or mime
    out_format, out_ext = IMAGE_TYPES[out_type]
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
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
            if out_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            if fit_within:
                image.thumbnail(fit_within)
            # Nothing of the original rides along: Pillow would copy a JPEG comment (COM), an ICC
            # profile or DPI from image.info into the new file.
            image.info = {}
            out = io.BytesIO()
            image.save(out, format=out_format, **({"quality": LOSSY_QUALITY} if out_format in ("JPEG", "WEBP") else {}))
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(_("This image has far too many pixels: resize it under 40 megapixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(_("This image is damaged or disguised."), code="bad_image") from None
    content = out.getvalue()
    return CheckedFile(content=ContentFile(content, name=f"image{out_ext}"), content_type=out_type, size=len(content))
