"""Quotes, invoices and credit notes as PDF; invoices and credit notes as Factur-X (PDF/A-3 + CII XML).

How the PDF/A-3 is made (the ``factur-x`` library embeds the XML and writes the PDF/A-3 XMP
metadata, but does not make a PDF conform):
1. reportlab draws the page with TrueType fonts only (``portal.pdf_fonts``: DejaVu or the Vera
   shipped with reportlab), which it embeds (subset) — never the 14 standard fonts, which are
   not embedded: the document and every table name their font, else Helvetica is declared;
   colours are DeviceRGB/DeviceGray, no transparency;
2. pypdf (already a dependency, and the library ``factur-x`` itself uses) adds the sRGB output
   intent, with an ICC profile that Pillow's LittleCMS generates (no file to ship);
3. ``facturx.generate_from_binary`` attaches ``factur-x.xml`` (AFRelationship Data) and the
   XMP metadata (pdfaid part 3, conformance B, Factur-X EN 16931).
Everything printed comes from the document's snapshot, in French.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from billing.cii import MARGIN_SCHEME_MENTION, invoice_xml
from billing.models import Document, DocumentKind, VatRegime
from portal.pdf_fonts import register_fonts

TITLES = {DocumentKind.QUOTE: "DEVIS", DocumentKind.INVOICE: "FACTURE", DocumentKind.CREDIT_NOTE: "AVOIR"}
RECOVERY_INDEMNITY = "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € " \
                     "(articles L441-10 et D441-5 du Code de commerce)."


def euros(cents: int) -> str:
    with translation.override("fr"):
        return formats.number_format(Decimal(cents) / 100, 2, use_l10n=True, force_grouping=True) + "\u00a0€"


def french_date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def legal_notes(document: Document) -> dict[str, str]:
    """The payment mentions (Commercial Code L441-9) keyed by their UNTDID 4451 subject codes."""
    notes = {
        "PMD": "Pénalités de retard : " + settings.BILLING_LATE_PENALTY_TEXT + ", exigibles sans rappel le jour "
               "suivant la date d’échéance.",
        "PMT": RECOVERY_INDEMNITY,
        "AAB": settings.BILLING_EARLY_PAYMENT_TEXT,
    }
    if document.vat_regime == VatRegime.MARGIN:
        notes["TXD"] = MARGIN_SCHEME_MENTION
    return notes


@lru_cache(maxsize=1)
def srgb_icc_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def add_srgb_output_intent(pdf: bytes) -> bytes:
    """The PDF, as version 1.7, with an sRGB output intent (GTS_PDFA1), as PDF/A requires for device colours."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.pdf_header = b"%PDF-1.7"  # PDF/A-3 is built on PDF 1.7 (reportlab writes 1.3 or 1.4)
    icc = DecodedStreamObject()
    icc.set_data(srgb_icc_profile())
    icc[NameObject("/N")] = NumberObject(3)
    icc_ref = writer._add_object(icc)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/DestOutputProfile"): icc_ref,
    })
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _styles():
    regular, bold = register_fonts()
    return {
        "body": ParagraphStyle("body", fontName=regular, fontSize=9, leading=12),
        "small": ParagraphStyle("small", fontName=regular, fontSize=7.5, leading=10),
        "bold": ParagraphStyle("bold", fontName=bold, fontSize=10, leading=13),
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, alignment=TA_RIGHT),
        "right": ParagraphStyle("right", fontName=regular, fontSize=9, leading=12, alignment=TA_RIGHT),
        "warning": ParagraphStyle("warning", fontName=bold, fontSize=9, leading=12, textColor=colors.HexColor("#b00020")),
        "fonts": (regular, bold),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _seller_lines(seller: dict) -> str:
    lines = [seller.get("legal_form", "") + (f", au capital de {seller['share_capital']}" if seller.get("share_capital") else ""),
             seller.get("address", ""), f"SIREN {seller.get('siren', '')} — {seller.get('rcs', '')}",
             f"N° TVA intracommunautaire : {seller.get('vat_number', '')}"]
    return "\n".join(line for line in lines if line.strip())


def render_pdf(document: Document) -> bytes:
    """The printable document (before any Factur-X step)."""
    s = _styles()
    regular, bold = s["fonts"]
    buffer = io.BytesIO()
    title = f"{TITLES[document.kind]} {document.number}"
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=1.8 * cm, rightMargin=1.8 * cm, topMargin=1.5 * cm,
                            bottomMargin=1.5 * cm, title=title, author=document.seller.get("name", ""),
                            subject=f"{TITLES[document.kind].capitalize()} {document.number} — {document.expedition.title}",
                            lang="fr-FR", initialFontName=regular)
    seller = document.seller
    story = []
    if any(settings.BILLING_PLACEHOLDER_MARK in str(v) for v in seller.values()):
        story += [_p("DOCUMENT DE DÉMONSTRATION — les mentions légales du vendeur sont des valeurs fictives à "
                     "renseigner (BILLING_SELLER_*).", s["warning"]), Spacer(1, 4)]
    dates = [f"N° {document.number}", f"Date d’émission : {french_date(document.issue_date)}",
             f"Date de la prestation : du {french_date(document.service_start)} au {french_date(document.service_end)}"]
    if document.kind == DocumentKind.QUOTE:
        dates.append(f"Devis valable jusqu’au {french_date(document.valid_until)}")
    if document.due_date:
        dates.append(f"Date d’échéance : {french_date(document.due_date)}")
    header = Table([[[_p(seller.get("name", ""), s["bold"]), _p(_seller_lines(seller), s["body"])],
                     [_p(TITLES[document.kind], s["title"]), _p("\n".join(dates), s["right"])]]],
                   colWidths=[9.4 * cm, 8 * cm])
    header.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), regular), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [header, Spacer(1, 12)]

    buyer = [document.buyer_name + (f" ({document.buyer_legal_form})" if document.buyer_legal_form else ""),
             document.buyer_address]
    if document.buyer_siren:
        buyer.append(f"SIREN {document.buyer_siren}")
    if document.buyer_vat_number:
        buyer.append(f"N° TVA intracommunautaire : {document.buyer_vat_number}")
    buyer_box = Table([[[_p("Client (adresse de facturation)", s["small"]), _p("\n".join(buyer), s["body"])]]],
                      colWidths=[9 * cm], hAlign="RIGHT")
    buyer_box.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), regular), ("BOX", (0, 0), (-1, -1), 0.5, colors.black), ("LEFTPADDING", (0, 0), (-1, -1), 6)]))
    story += [buyer_box, Spacer(1, 10)]

    refs = ["Nature de l’opération : prestation de services."]
    if settings.BILLING_VAT_ON_DEBITS and document.vat_regime == VatRegime.STANDARD:
        refs.append("Option pour le paiement de la taxe d’après les débits.")
    if document.purchase_order:
        refs.append(f"Bon de commande n° {document.purchase_order}")
    if document.corrects_id:
        refs.append(f"Avoir annulant la facture n° {document.corrects.number} du {french_date(document.corrects.issue_date)}"
                    + (f" — {document.reason}" if document.reason else ""))
    story += [_p("\n".join(refs), s["body"]), Spacer(1, 8)]

    margin = document.vat_regime == VatRegime.MARGIN
    price_head = "Prix unitaire TTC" if margin else "Prix unitaire HT"
    amount_head = "Montant TTC" if margin else "Montant HT"
    rows = [[_p("Désignation", s["bold"]), _p("Qté", s["bold"]), _p(price_head, s["bold"]),
             _p("TVA", s["bold"]), _p(amount_head, s["bold"])]]
    lines = list(document.lines.all())
    for line in lines:
        rows.append([_p(line.description, s["body"]), _p(str(line.quantity), s["right"]),
                     _p(euros(line.unit_price_cents), s["right"]),
                     _p("—" if margin else f"{line.vat_rate:.2f}".replace(".", ",") + " %", s["right"]),
                     _p(euros(line.amount_cents), s["right"])])
    table = Table(rows, colWidths=[8.4 * cm, 1.3 * cm, 2.8 * cm, 1.7 * cm, 3.2 * cm], repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), regular), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.grey)]))
    story += [table, Spacer(1, 8)]

    if margin:
        totals = [["Total TTC", euros(document.total_incl_vat_cents)]]
    else:
        rate = f"{lines[0].vat_rate:.2f}".replace(".", ",") if lines else "0,00"
        totals = [["Total HT", euros(document.total_excl_vat_cents)], [f"TVA {rate} %", euros(document.total_vat_cents)],
                  ["Total TTC", euros(document.total_incl_vat_cents)]]
    if document.kind == DocumentKind.INVOICE:
        totals.append(["Net à payer", euros(document.total_incl_vat_cents)])
    totals_table = Table(totals, colWidths=[4 * cm, 3.2 * cm], hAlign="RIGHT")
    totals_table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), regular), ("FONTNAME", (0, -1), (-1, -1), bold),
                                      ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]))
    story += [totals_table, Spacer(1, 12)]

    mentions = []
    if margin:
        mentions.append(MARGIN_SCHEME_MENTION + " (TVA sur la marge, non déductible par le client).")
    if document.kind == DocumentKind.QUOTE:
        mentions.append("Ce devis ne réserve aucune place : l’inscription de chaque participant sur le portail la réserve. "
                        "Bon pour accord (date, signature et cachet) :")
    else:
        if document.due_date:
            mentions.append(f"Paiement au plus tard le {french_date(document.due_date)}.")
        notes = legal_notes(document)
        mentions += [notes["AAB"], notes["PMD"], notes["PMT"]]
        if seller.get("iban"):
            mentions.append(f"Règlement par virement : IBAN {seller['iban']}" + (f" — BIC {seller['bic']}" if seller.get("bic") else "")
                            + f", en rappelant le n° {document.number}.")
    story += [_p(text, s["small"]) for text in mentions]
    doc.build(story)
    return buffer.getvalue()


def document_pdf(document: Document) -> bytes:
    """The file people download: Factur-X (PDF/A-3 + CII EN 16931) for invoices and credit
    notes, the plain PDF for a quote (a quote is not an invoice)."""
    pdf = render_pdf(document)
    if document.kind == DocumentKind.QUOTE:
        return pdf
    from facturx import generate_from_binary

    xml = invoice_xml(document, notes=legal_notes(document))
    return generate_from_binary(add_srgb_output_intent(pdf), xml, flavor="factur-x", level="en16931", check_xsd=True,
                                lang="fr-FR", pdf_metadata={
                                    "author": document.seller.get("name", ""),
                                    "keywords": "Factur-X",
                                    "title": f"{TITLES[document.kind].capitalize()} {document.number}",
                                    "subject": f"{TITLES[document.kind].capitalize()} {document.number} — {document.buyer_name}",
                                })
