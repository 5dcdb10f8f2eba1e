"""The certificate as a PDF (reportlab), with a QR code (segno) to its public verification page."""

from __future__ import annotations

import io

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from portal.pdf_fonts import register_fonts


def certificate_pdf(*, certificate, partners: list, verification_url: str) -> bytes:
    """Render in the active language; everything printed comes from the certificate snapshot."""
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    run = certificate.run
    course = run.course
    pdf.setTitle(_("Certificate of achievement") + f" — {course.title}")
    pdf.setAuthor("Medef — Université du numérique")
    pdf.setSubject(_("Verification code: %(code)s") % {"code": certificate.code})

    pdf.setLineWidth(3)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    centre = width / 2
    pdf.setFont(regular, 14)
    pdf.drawCentredString(centre, height - 3.2 * cm, "Medef — Université du numérique")
    pdf.setFont(bold, 30)
    pdf.drawCentredString(centre, height - 5 * cm, _("Certificate of achievement"))
    pdf.setFont(regular, 14)
    pdf.drawCentredString(centre, height - 6.6 * cm, _("This certifies that"))
    pdf.setFont(bold, 24)
    pdf.drawCentredString(centre, height - 8 * cm, certificate.learner_name or _("(name withdrawn)"))
    pdf.setFont(regular, 14)
    pdf.drawCentredString(centre, height - 9.4 * cm, _("has successfully completed the course"))
    pdf.setFont(bold, 18)
    pdf.drawCentredString(centre, height - 10.6 * cm, course.title[:90])
    pdf.setFont(regular, 12)
    issued = formats.date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT")
    pdf.drawCentredString(
        centre, height - 11.8 * cm,
        _("Course run: %(run)s — issued on %(date)s — grade %(grade)s %% (pass mark %(mark)s %%)")
        % {"run": run.label, "date": issued, "grade": formats.number_format(certificate.grade, 0), "mark": course.pass_mark},
    )
    if partners:
        pdf.drawCentredString(
            centre, height - 12.8 * cm,
            _("In partnership with: %(partners)s") % {"partners": ", ".join(p.name for p in partners)},
        )

    qr = segno.make(verification_url, error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=6, border=2)
    png.seek(0)
    size = 3.8 * cm
    pdf.drawImage(ImageReader(png), width - 2 * cm - size, 2 * cm, size, size)
    pdf.setFont(regular, 10)
    pdf.drawString(2 * cm, 3.4 * cm, _("Verification code: %(code)s") % {"code": certificate.code})
    pdf.drawString(2 * cm, 2.8 * cm, _("Check this certificate at %(url)s") % {"url": verification_url})
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
