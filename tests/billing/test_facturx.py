"""Factur-X round trip: the PDF/A-3 carries a CII XML (EN 16931) that says what the invoice says."""

import io
from decimal import Decimal

import pytest
from facturx import get_level, get_xml_from_pdf, xml_check_xsd
from lxml import etree
from pypdf import PdfReader

from billing import services
from billing.models import Document, DocumentKind
from billing.pdf import document_pdf

from .factories import paid_trip, register

pytestmark = pytest.mark.django_db
NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
      "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"}


def _xml_of(document: Document):
    pdf = document_pdf(document)
    filename, xml = get_xml_from_pdf(pdf, check_xsd=False)
    assert filename == "factur-x.xml"
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")  # raises when invalid
    tree = etree.fromstring(xml)
    assert get_level(tree) == "en16931"
    return pdf, tree


def _text(tree, path: str) -> str:
    return tree.xpath(path, namespaces=NS)[0].text


SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
TOTALS = SETTLEMENT + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"


def test_standard_invoice_xml_matches_the_invoice():
    register(paid_trip(price_cents=190050, vat_rate="20.00"))
    invoice = Document.objects.get()
    _pdf, tree = _xml_of(invoice)
    assert _text(tree, "//rsm:ExchangedDocument/ram:ID") == invoice.number
    assert _text(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "380"
    assert _text(tree, "//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString") == invoice.issue_date.strftime("%Y%m%d")
    assert _text(tree, TOTALS + "/ram:TaxBasisTotalAmount") == "1900.50"
    assert _text(tree, TOTALS + "/ram:TaxTotalAmount") == "380.10"
    assert _text(tree, TOTALS + "/ram:GrandTotalAmount") == "2280.60"
    assert _text(tree, TOTALS + "/ram:DuePayableAmount") == "2280.60"
    assert _text(tree, SETTLEMENT + "/ram:ApplicableTradeTax/ram:CategoryCode") == "S"
    assert Decimal(_text(tree, SETTLEMENT + "/ram:ApplicableTradeTax/ram:RateApplicablePercent")) == Decimal("20")
    buyer = "//ram:BuyerTradeParty"
    assert _text(tree, buyer + "/ram:Name") == "PME Exemple SAS"
    assert _text(tree, buyer + "/ram:SpecifiedLegalOrganization/ram:ID") == "732829320"
    assert _text(tree, buyer + "/ram:PostalTradeAddress/ram:PostcodeCode") == "75002"
    assert _text(tree, buyer + "/ram:PostalTradeAddress/ram:CityName") == "Paris"
    assert _text(tree, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID") == "BC-2026-17"
    assert _text(tree, SETTLEMENT + "/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString") \
        == invoice.due_date.strftime("%Y%m%d")
    notes = {n.xpath("ram:SubjectCode", namespaces=NS)[0].text: n.xpath("ram:Content", namespaces=NS)[0].text
             for n in tree.xpath("//ram:IncludedNote", namespaces=NS)}
    assert "40 €" in notes["PMT"] and "pénalités" in notes["PMD"].lower() and notes["AAB"]


def test_margin_scheme_invoice_is_category_e_with_the_travel_agents_exemption():
    register(paid_trip(price_cents=250000, regime="margin"))
    _pdf, tree = _xml_of(Document.objects.get())
    tax = SETTLEMENT + "/ram:ApplicableTradeTax"
    assert _text(tree, tax + "/ram:CategoryCode") == "E"
    assert _text(tree, tax + "/ram:ExemptionReasonCode") == "VATEX-EU-D"
    assert _text(tree, tax + "/ram:ExemptionReason") == "Régime particulier – Agences de voyages"
    assert _text(tree, TOTALS + "/ram:TaxTotalAmount") == "0.00"
    assert _text(tree, TOTALS + "/ram:GrandTotalAmount") == "2500.00"


def test_credit_note_xml_is_type_381_and_refers_to_the_invoice():
    register(paid_trip())
    invoice = Document.objects.get()
    credit = services.invoice_cancel(invoice_id=invoice.pk)
    _pdf, tree = _xml_of(credit)
    assert _text(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert _text(tree, SETTLEMENT + "/ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == invoice.number
    assert _text(tree, TOTALS + "/ram:GrandTotalAmount") == "2280.00"


def test_the_pdf_is_pdfa3_with_embedded_fonts_and_an_srgb_output_intent():
    register(paid_trip())
    pdf, _tree = _xml_of(Document.objects.get())
    assert pdf.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]
    assert intent["/DestOutputProfile"].get_object()["/N"] == 3
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "EN 16931" in xmp
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    assert fonts and all(fonts.values()), fonts


def test_a_quote_is_a_plain_pdf_with_its_number():
    expedition = paid_trip()
    quote = services.quote_issue(expedition_id=expedition.pk, user=None, places=2,
                                 buyer=services.Buyer(name="ETI", address="1 rue A\n69001 Lyon"))
    assert quote.kind == DocumentKind.QUOTE
    reader = PdfReader(io.BytesIO(document_pdf(quote)))
    text = reader.pages[0].extract_text()
    assert quote.number in text and "DEVIS" in text


def _page_text(document: Document) -> str:
    return " ".join(PdfReader(io.BytesIO(document_pdf(document))).pages[0].extract_text().split())


def test_the_invoice_prints_every_mention_french_law_requires():
    register(paid_trip())
    invoice = Document.objects.get()
    text = _page_text(invoice)
    for mention in [
        "FACTURE", invoice.number, f"Date d’émission : {invoice.issue_date:%d/%m/%Y}", "Date de la prestation",
        f"Date d’échéance : {invoice.due_date:%d/%m/%Y}", "SIREN 000000000", "RCS", "Association loi 1901",
        "N° TVA intracommunautaire : FR00000000000", "PME Exemple SAS", "SIREN 732829320", "75002 Paris",
        "prestation de services", "Bon de commande n° BC-2026-17", "Total HT", "TVA 20,00 %", "Total TTC",
        "escompte", "Pénalités de retard", "40 €", "DÉMONSTRATION",
    ]:
        assert mention in text, mention


def test_a_margin_scheme_invoice_prints_the_mention_and_no_vat_amount():
    register(paid_trip(regime="margin"))
    text = _page_text(Document.objects.get())
    assert "Régime particulier – Agences de voyages" in text
    assert "Total HT" not in text and "TVA 20" not in text
