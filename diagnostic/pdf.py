"""The printable report of a result (reportlab): scores, a bar per dimension, the path."""

from __future__ import annotations

import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from portal.pdf_fonts import register_fonts

BAND_COLOURS = {
    "beginner": colors.HexColor("#b3541e"),
    "progressing": colors.HexColor("#9a6b00"),
    "advanced": colors.HexColor("#1e5aa8"),
    "leader": colors.HexColor("#1b6e2d"),
}


def _chart(rows, font: str) -> Drawing:
    label_w, bar_w, row_h = 6.2 * cm, 8.5 * cm, 0.75 * cm
    drawing = Drawing(label_w + bar_w + 1.5 * cm, row_h * len(rows) + 0.3 * cm)
    for i, row in enumerate(rows):
        y = drawing.height - (i + 1) * row_h
        drawing.add(String(0, y + 0.2 * cm, str(row["label"])[:38], fontName=font, fontSize=9))
        drawing.add(Rect(label_w, y + 0.1 * cm, bar_w, 0.45 * cm, fillColor=colors.HexColor("#d9dee3"), strokeColor=None))
        width = bar_w * row["score"] / 100
        drawing.add(Rect(label_w, y + 0.1 * cm, width, 0.45 * cm, fillColor=BAND_COLOURS.get(row["band"], colors.grey), strokeColor=None))
        if row.get("before") is not None:
            x = label_w + bar_w * row["before"] / 100
            drawing.add(Line(x, y, x, y + 0.65 * cm, strokeColor=colors.black, strokeWidth=1.5))
        drawing.add(String(label_w + width + 0.15 * cm, y + 0.2 * cm, str(row["score"]), fontName=font, fontSize=9))
    return drawing


def result_pdf(*, context: dict, user) -> bytes:
    """Render in the active language from the result page's own context (the same figures)."""
    regular, bold = register_fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName=regular, fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444"))
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontName=bold, fontSize=18)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontName=bold, fontSize=13)
    h3 = ParagraphStyle("h3", parent=styles["Heading3"], fontName=bold, fontSize=11)

    response = context["response"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm, bottomMargin=1.8 * cm,
        title=_("Digital-maturity diagnostic"), author="Medef numérique",
    )
    completed = formats.date_format(timezone.localtime(response.completed_at), "DATE_FORMAT")
    story = [
        Paragraph("Medef numérique", small),
        Paragraph(_("Digital-maturity diagnostic"), h1),
        Paragraph(
            _("%(name)s — completed on %(date)s (questionnaire version %(version)s)")
            % {"name": user.get_full_name() or user.email, "date": completed, "version": response.version.number},
            body,
        ),
        Spacer(1, 0.4 * cm),
        Paragraph(
            _("Overall score: %(score)s/100 — %(band)s") % {"score": response.overall_score, "band": context["overall_band_label"]}, h2
        ),
    ]
    if context.get("band_meaning"):
        story.append(Paragraph(context["band_meaning"], body))
    story += [Spacer(1, 0.3 * cm), Paragraph(_("Scores per dimension"), h2)]
    rows = context["table_rows"]
    chart_rows = [{"label": r["label"], "score": r["score"], "band": b.band, "before": r["before"]} for r, b in zip(rows, context["results"], strict=True)]
    story.append(_chart(chart_rows, regular))
    header = [_("Dimension"), _("Score /100"), _("Band")] + ([_("Before"), _("Change")] if context.get("previous") else [])
    data = [header]
    for r in rows:
        line = [Paragraph(str(r["label"]), body), str(r["score"]), str(r["band_label"])]
        if context.get("previous"):
            line += ["—" if r["before"] is None else str(r["before"]), "—" if r["delta"] is None else f"{r['delta']:+d}"]
        data.append(line)
    table = Table(data, colWidths=[7 * cm, 2.3 * cm, 2.8 * cm] + ([2 * cm, 2 * cm] if context.get("previous") else []))
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), regular, 9),
        ("FONT", (0, 0), (-1, 0), bold, 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f4f6")]),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (1, -1), "RIGHT"),
    ]))
    story += [Spacer(1, 0.2 * cm), table]

    path = context["path"]
    if path.advice:
        story += [Spacer(1, 0.4 * cm), Paragraph(_("What it means"), h2)]
        for step in path.advice:
            prefix = f"<b>{step.item.get_dimension_display()}</b> — " if step.item.dimension else ""
            story.append(Paragraph(prefix + _escape(step.text), body))
    story += [Spacer(1, 0.4 * cm), Paragraph(_("What to do next"), h2)]
    if not path.steps:
        story.append(Paragraph(_("Nothing specific to recommend right now: the programme's pages are all open to you."), body))
    for i, step in enumerate(path.steps, start=1):
        status = ""
        if step.tracked:
            status = _("done") if step.done else (_("in progress: %(p)s %%") % {"p": step.percent} if step.percent else _("to do"))
        block = [Paragraph(f"{i}. {_escape(step.title)}" + (f" — <i>{status}</i>" if status else ""), h3)]
        if step.text:
            block.append(Paragraph(_escape(step.text), body))
        block.append(Paragraph(_escape(str(step.kind_label).capitalize()), small))
        story.append(KeepTogether(block))
    story += [
        Spacer(1, 0.6 * cm),
        Paragraph(_("Scores from 0 to 100 per dimension (after the EU Digital Maturity Assessment for SMEs); the overall score is their mean."), small),
    ]
    doc.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
