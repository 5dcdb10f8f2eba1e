"""Lesson content helpers: sanitised Markdown, upload checks and names, ranged file responses."""

from __future__ import annotations

import os
import re
import uuid

import filetype
import markdown
import nh3
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

# --- Markdown ----------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "blockquote",
    "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}


def markdown_to_html(text: str) -> str:
    """Staff-written Markdown → HTML with only harmless tags (nh3); links get rel=noopener."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# --- Uploads -----------------------------------------------------------------------------

VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
RESOURCE_TYPES = {
    "application/pdf": "pdf",
    "application/zip": "zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
MAX_VIDEO_BYTES = 500 * 1024 * 1024
MAX_RESOURCE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def _generated_name(folder: str, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:8]
    return f"mooc/{folder}/{uuid.uuid4().hex}{ext}"


def video_upload_to(instance, filename: str) -> str:
    return _generated_name("videos", filename)


def resource_upload_to(instance, filename: str) -> str:
    return _generated_name("resources", filename)


def cover_upload_to(instance, filename: str) -> str:
    return _generated_name("covers", filename)


def _sniff(upload) -> str | None:
    upload.seek(0)
    kind = filetype.guess(upload.read(262))
    upload.seek(0)
    return kind.mime if kind else None


def validate_video(upload) -> None:
    if upload.size > MAX_VIDEO_BYTES:
        raise ValidationError(_("The video is larger than 500 MB."))
    if _sniff(upload) not in VIDEO_TYPES:
        raise ValidationError(_("Upload an MP4 or WebM video."))


def validate_resource(upload) -> None:
    if upload.size > MAX_RESOURCE_BYTES:
        raise ValidationError(_("The file is larger than 25 MB."))
    if _sniff(upload) not in RESOURCE_TYPES:
        raise ValidationError(_("Upload a PDF, an office document or a ZIP archive."))


def cover_image_clean(upload):
    """Check a cover image by content (Pillow), cap its size and re-encode it (drops metadata
    and anything hidden in the file). Returns a new file with a generated name."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > 40_000_000:
                raise ValidationError(_("The image is too large."))
            image = image.convert("RGB")
            image.thumbnail((1600, 1600))
            out = BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("Upload a JPEG, PNG or WebP image.")) from None
    return ContentFile(out.getvalue(), name="cover.jpg")


def sniffed_type(path: str, default: str = "application/octet-stream") -> str:
    kind = filetype.guess(path)
    return kind.mime if kind else default


# --- Ranged responses -----------------------------------------------------------------------

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _iter_range(handle, length: int):
    try:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def ranged_file_response(request, path: str, *, content_type: str, filename: str) -> HttpResponse:
    """Serve a file with HTTP Range support (one range; 206, or 416 when unsatisfiable)."""
    size = os.path.getsize(path)
    match = RANGE_RE.match(request.headers.get("Range", "").strip())
    if match and (match[1] or match[2]):
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
        else:
            start, end = max(size - int(match[2]), 0), size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle = open(path, "rb")  # noqa: SIM115 - closed by the generator
        handle.seek(start)
        response = StreamingHttpResponse(_iter_range(handle, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115
    response["Accept-Ranges"] = "bytes"
    # Media elements play attachments too; navigating to the URL downloads instead of rendering.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
