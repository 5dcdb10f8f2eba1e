"""What the contests accept: a pitch deck that is a real PDF and nothing else (written again without
its metadata), images (JPEG, PNG, WebP) re-encoded without metadata. The checks by content live in portal/uploads.py; the
uploader's file name is never used for storage (see models.attachment_upload_to).
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from portal import uploads
from portal.uploads import MB, CheckedFile

DECK_MAX_BYTES = 10 * MB
IMAGE_MAX_BYTES = 5 * MB
IMAGES_MAX_COUNT = 5


def check_deck(upload) -> CheckedFile:
    """A pitch deck: a PDF of at most 10 MB that is nothing else than a PDF."""
    uploads.check_name(upload.name)
    data = uploads.read_limited(upload, DECK_MAX_BYTES)
    if uploads.sniffed_type(data) != "application/pdf" or not data.startswith(b"%PDF-"):
        raise ValidationError(_("The pitch deck must be a PDF file (its content is checked, not its name)."), code="not_pdf")
    if zipfile.is_zipfile(io.BytesIO(data)) or b"PK\x03\x04" in data or b"PK\x05\x06" in data:
        raise ValidationError(_("This PDF also contains an archive: save it again as a plain PDF."), code="polyglot")
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This PDF looks truncated or damaged: save it again and retry."), code="damaged_pdf")
    # Its author and software could name the company in an anonymised review.
    data = uploads.pdf_without_metadata(data)
    return CheckedFile(content=ContentFile(data, name="deck.pdf"), content_type="application/pdf", size=len(data))


def check_image(upload) -> CheckedFile:
    """An image: JPEG, PNG or WebP of at most 5 MB, re-encoded to strip metadata."""
    uploads.check_name(upload.name)
    return uploads.check_image(upload, max_bytes=IMAGE_MAX_BYTES)
