"""The invoice as UN/CEFACT Cross-Industry Invoice XML, Factur-X profile EN 16931 (comfort).

Built from the document's snapshot only. Codes used:
- BT-3 type: 380 commercial invoice, 381 credit note (amounts stay positive in a credit note);
- VAT category S (standard rate) or, under the margin scheme for travel agencies, E with the
  exemption reason code VATEX-EU-D and the mention "Régime particulier – Agences de voyages"
  (no VAT amount is shown: the margin's VAT is the organiser's accountant's business);
- legal identifiers: SIREN with scheme 0002, VAT numbers with scheme VA;
- notes with the French subject codes: PMD (late-payment penalties), PMT (fixed recovery
  indemnity), AAB (early-payment terms), TXD (the VAT regime mention).
"""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from billing.models import Document, DocumentKind, VatRegime

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"
TYPE_CODE = {DocumentKind.INVOICE: "380", DocumentKind.CREDIT_NOTE: "381"}
MARGIN_EXEMPTION_CODE = "VATEX-EU-D"
MARGIN_SCHEME_MENTION = "Régime particulier – Agences de voyages"
_POSTCODE_CITY = re.compile(r"^(?P<postcode>\d{5})\s+(?P<city>.+)$")


def _el(parent, ns: str, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def _ram(parent, tag: str, text: str | None = None, **attrs):
    return _el(parent, RAM, tag, text, **attrs)


def money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _date(parent, tag: str, value, *, qualified: bool = False) -> None:
    holder = _ram(parent, tag)
    _el(holder, QDT if qualified else UDT, "DateTimeString", value.strftime("%Y%m%d"), format="102")


def split_address(text: str) -> dict[str, str]:
    """Street lines, postcode and city read from a free-text French address ("…\\n75007 Paris")."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    postcode = city = ""
    for i in range(len(lines) - 1, -1, -1):
        match = _POSTCODE_CITY.match(lines[i])
        if match:
            postcode, city = match["postcode"], match["city"]
            del lines[i]
            break
    return {"postcode": postcode, "lines": lines[:3], "city": city}


def _party(parent, tag: str, *, name: str, siren: str, address: str, country: str, vat_number: str) -> None:
    party = _ram(parent, tag)
    _ram(party, "Name", name)
    if siren:
        legal = _ram(party, "SpecifiedLegalOrganization")
        _ram(legal, "ID", siren, schemeID="0002")
    parts = split_address(address)
    postal = _ram(party, "PostalTradeAddress")
    if parts["postcode"]:
        _ram(postal, "PostcodeCode", parts["postcode"])
    for tag_name, line in zip(("LineOne", "LineTwo", "LineThree"), parts["lines"], strict=False):
        _ram(postal, tag_name, line)
    if parts["city"]:
        _ram(postal, "CityName", parts["city"])
    _ram(postal, "CountryID", country or "FR")
    if vat_number:
        registration = _ram(party, "SpecifiedTaxRegistration")
        _ram(registration, "ID", vat_number, schemeID="VA")


def _tax(parent, document: Document, *, rate: Decimal, basis_cents: int | None = None, vat_cents: int | None = None) -> None:
    """One ApplicableTradeTax: a line's (no amounts) or the header's breakdown (with amounts)."""
    tax = _ram(parent, "ApplicableTradeTax")
    margin = document.vat_regime == VatRegime.MARGIN
    if vat_cents is not None:
        _ram(tax, "CalculatedAmount", money(vat_cents))
    _ram(tax, "TypeCode", "VAT")
    if margin and basis_cents is not None:
        _ram(tax, "ExemptionReason", MARGIN_SCHEME_MENTION)
    if basis_cents is not None:
        _ram(tax, "BasisAmount", money(basis_cents))
    _ram(tax, "CategoryCode", "E" if margin else "S")
    if margin and basis_cents is not None:
        _ram(tax, "ExemptionReasonCode", MARGIN_EXEMPTION_CODE)
    _ram(tax, "RateApplicablePercent", f"{Decimal(0) if margin else rate:.2f}")


def invoice_xml(document: Document, *, notes: dict[str, str]) -> bytes:
    """The CII XML of an invoice or credit note. ``notes``: subject code → text (PMD, PMT, AAB, ...)."""
    if document.kind not in TYPE_CODE:
        raise ValueError("Only invoices and credit notes have a Factur-X XML.")
    lines = list(document.lines.all())
    rate = lines[0].vat_rate if lines else Decimal(0)
    seller = document.seller
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, RSM, "ExchangedDocumentContext")
    guideline = _ram(context, "GuidelineSpecifiedDocumentContextParameter")
    _ram(guideline, "ID", EN16931_GUIDELINE)

    header = _el(root, RSM, "ExchangedDocument")
    _ram(header, "ID", document.number)
    _ram(header, "TypeCode", TYPE_CODE[document.kind])
    _date(header, "IssueDateTime", document.issue_date)
    for code, text in notes.items():
        note = _ram(header, "IncludedNote")
        _ram(note, "Content", text)
        _ram(note, "SubjectCode", code)

    transaction = _el(root, RSM, "SupplyChainTradeTransaction")
    for line in lines:
        item = _ram(transaction, "IncludedSupplyChainTradeLineItem")
        _ram(_ram(item, "AssociatedDocumentLineDocument"), "LineID", str(line.position))
        _ram(_ram(item, "SpecifiedTradeProduct"), "Name", line.description)
        agreement = _ram(item, "SpecifiedLineTradeAgreement")
        _ram(_ram(agreement, "NetPriceProductTradePrice"), "ChargeAmount", money(line.unit_price_cents))
        _ram(_ram(item, "SpecifiedLineTradeDelivery"), "BilledQuantity", str(line.quantity), unitCode="C62")
        settlement = _ram(item, "SpecifiedLineTradeSettlement")
        _tax(settlement, document, rate=line.vat_rate)
        summation = _ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
        _ram(summation, "LineTotalAmount", money(line.amount_cents))

    agreement = _ram(transaction, "ApplicableHeaderTradeAgreement")
    _party(agreement, "SellerTradeParty", name=seller["name"], siren=seller.get("siren", ""),
           address=seller.get("address", ""), country=seller.get("country", "FR"), vat_number=seller.get("vat_number", ""))
    _party(agreement, "BuyerTradeParty", name=document.buyer_name, siren=document.buyer_siren,
           address=document.buyer_address, country=document.buyer_country, vat_number=document.buyer_vat_number)
    if document.purchase_order:
        _ram(_ram(agreement, "BuyerOrderReferencedDocument"), "IssuerAssignedID", document.purchase_order)

    _ram(transaction, "ApplicableHeaderTradeDelivery")

    settlement = _ram(transaction, "ApplicableHeaderTradeSettlement")
    _ram(settlement, "InvoiceCurrencyCode", document.currency)
    if seller.get("iban"):
        means = _ram(settlement, "SpecifiedTradeSettlementPaymentMeans")
        _ram(means, "TypeCode", "58")  # SEPA credit transfer
        _ram(_ram(means, "PayeePartyCreditorFinancialAccount"), "IBANID", seller["iban"].replace(" ", ""))
    _tax(settlement, document, rate=rate, basis_cents=document.total_excl_vat_cents, vat_cents=document.total_vat_cents)
    period = _ram(settlement, "BillingSpecifiedPeriod")
    _date(period, "StartDateTime", document.service_start)
    _date(period, "EndDateTime", document.service_end)
    terms = _ram(settlement, "SpecifiedTradePaymentTerms")
    if document.due_date:
        _ram(terms, "Description", "Paiement à réception, au plus tard le " + document.due_date.strftime("%d/%m/%Y"))
        _date(terms, "DueDateDateTime", document.due_date)
    else:
        _ram(terms, "Description", "Avoir : montant à déduire ou à rembourser")
    total = _ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _ram(total, "LineTotalAmount", money(sum(line.amount_cents for line in lines)))
    _ram(total, "TaxBasisTotalAmount", money(document.total_excl_vat_cents))
    _ram(total, "TaxTotalAmount", money(document.total_vat_cents), currencyID=document.currency)
    _ram(total, "GrandTotalAmount", money(document.total_incl_vat_cents))
    _ram(total, "DuePayableAmount", money(document.total_incl_vat_cents))
    if document.corrects_id:
        reference = _ram(settlement, "InvoiceReferencedDocument")
        _ram(reference, "IssuerAssignedID", document.corrects.number)
        _date(reference, "FormattedIssueDateTime", document.corrects.issue_date, qualified=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
