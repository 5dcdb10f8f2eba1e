"""Every write of billing: issuing quotes, invoices and credit notes, recording payments.

Rules (the one door for numbers and for issued documents):
1. A number is taken by :func:`_take_number` inside the issuing transaction: it locks the
   series' :class:`~billing.models.Counter` row (``portal.locking``), adds one and writes it back.
   A rollback gives the number back; concurrent issuers wait for the row: no gap, no duplicate.
2. An invoice is issued when a place is confirmed, by :func:`invoice_for_confirmed_registration`,
   which the expeditions' confirmation calls in its own transaction (under the trip's lock).
3. An issued document is never edited nor deleted; an invoice is cancelled by one credit note
   (:func:`invoice_cancel`) and paid once (:func:`invoice_record_payment`).
4. Every printed detail is a snapshot taken at issue (buyer, seller, lines, totals): buyer
   details come through one adapter, :func:`buyer_for_registration`.
5. Documents are written in French (the language of French invoices), whatever the page's
   language: their texts are French literals, not translated strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import (
    NUMBER_PREFIX,
    Counter,
    Document,
    DocumentKind,
    DocumentLine,
    InvoicedRegistration,
    InvoicePer,
    PaymentMeans,
    TripBilling,
    VatRegime,
)
from expeditions.models import Expedition, Registration
from portal.locking import lock_row, lock_rows, race_window

QUOTES_PER_DAY = 20  # per person: each quote is a numbered document kept in the database


class BillingError(Exception):
    """A rule refused the action. ``message`` is translated and safe to show to the person."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


# --- The buyer (a snapshot, filled by one adapter) -----------------------------------------------------


@dataclass(frozen=True)
class Buyer:
    name: str
    address: str
    country: str = "FR"
    siren: str = ""
    vat_number: str = ""
    legal_form: str = ""
    purchase_order: str = ""


_VAT_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,13}$")


def split_tax_id(value: str) -> tuple[str, str]:
    """(SIREN, VAT number) read from what people type in "SIRET or VAT number": a SIRET's first
    nine digits are the SIREN; a French VAT number (FR + key + SIREN) gives both."""
    raw = re.sub(r"[\s.\-]", "", value or "").upper()
    if raw.isdigit() and len(raw) in (9, 14):
        return raw[:9], ""
    if _VAT_RE.match(raw):
        siren = raw[4:] if raw.startswith("FR") and len(raw) == 13 and raw[4:].isdigit() else ""
        return siren, raw
    return "", ""


def buyer_for_organisation(organisation, *, purchase_order: str = "") -> Buyer:
    """An organisation as buyer (legal name, SIREN from its SIRET, VAT number, legal form, billing
    address). Reads attributes only, so that billing does not import the organisations app."""
    lines = [getattr(organisation, "billing_address_line1", ""), getattr(organisation, "billing_address_line2", ""),
             f"{getattr(organisation, 'billing_postal_code', '')} {getattr(organisation, 'billing_city', '')}".strip()]
    legal_form = organisation.get_legal_form_display() if getattr(organisation, "legal_form", "") else ""
    siren, vat = split_tax_id(getattr(organisation, "siret", ""))[0], split_tax_id(getattr(organisation, "vat_number", ""))[1]
    return Buyer(name=organisation.legal_name[:200], address="\n".join(line for line in lines if line) or "—",
                 country=getattr(organisation, "billing_country", "") or "FR", siren=siren, vat_number=vat,
                 legal_form=str(legal_form)[:80], purchase_order=purchase_order.strip()[:80])


def participant_name(registration: Registration) -> str:
    user = registration.user
    return (registration.passport_name or getattr(registration, "invited_name", "")
            or (user.get_full_name() or user.email if user else "")).strip()


def buyer_for_registration(registration: Registration) -> Buyer:
    """The one adapter from a registration to the buyer printed on its invoice: the group's
    organisation when the registration belongs to an organisation's group (once organisations
    land), else the registration's own billing fields."""
    group = getattr(registration, "group", None)
    organisation = getattr(group, "organisation", None) if group is not None else None
    if organisation is not None:
        return buyer_for_organisation(organisation, purchase_order=group.po_reference or registration.billing_po_reference)
    siren, vat = split_tax_id(registration.billing_tax_id)
    name = registration.billing_organisation.strip() or participant_name(registration) or "—"
    return Buyer(name=name[:200], address=registration.billing_address.strip() or "—", siren=siren, vat_number=vat,
                 purchase_order=registration.billing_po_reference.strip())


def trip_settings(expedition: Expedition) -> TripBilling:
    """The trip's invoicing settings, or the defaults (unsaved) when staff set none."""
    found = TripBilling.objects.filter(expedition=expedition).first()
    return found or TripBilling(expedition=expedition)


# --- Numbers ------------------------------------------------------------------------------------------


def _take_number(kind: str, year: int) -> tuple[int, str]:
    """The next number of the (kind, year) series, under the counter row's lock (in the caller's transaction)."""
    Counter.objects.bulk_create([Counter(kind=kind, year=year)], ignore_conflicts=True)
    counter = lock_rows(Counter.objects.filter(kind=kind, year=year)).get()
    race_window("billing.number_read")
    sequence = counter.last_number + 1
    Counter.objects.filter(pk=counter.pk).update(last_number=sequence)
    return sequence, f"{NUMBER_PREFIX[kind]}-{year}-{sequence:05d}"


# --- Amounts ------------------------------------------------------------------------------------------


def _vat_of(amount_cents: int, rate: Decimal) -> int:
    return int((Decimal(amount_cents) * rate / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _line_description(expedition: Expedition, participant: str = "") -> str:
    start, end = expedition.starts_on.strftime("%d/%m/%Y"), expedition.ends_on.strftime("%d/%m/%Y")
    text = f"Expédition apprenante « {expedition.title} », {expedition.city}, du {start} au {end} (prestation de services)"
    if participant:
        text += f" — participant : {participant}"
    return text[:300]


def _create_document(*, kind: str, expedition: Expedition, regime: str, vat_rate: Decimal, buyer: Buyer,
                     lines: list[tuple[str, int, int]], now: datetime, user=None, contact=None,
                     due_date: date | None = None, valid_until: date | None = None,
                     corrects: Document | None = None, reason: str = "") -> Document:
    """Number and write one document with its lines (``(description, quantity, unit cents)``)."""
    rate = Decimal("0") if regime == VatRegime.MARGIN else Decimal(vat_rate)
    amounts = [quantity * unit for _d, quantity, unit in lines]
    excl = sum(amounts)
    vat = 0 if regime == VatRegime.MARGIN else _vat_of(excl, rate)
    issue_date = timezone.localdate(now)
    sequence, number = _take_number(kind, issue_date.year)
    document = Document.objects.create(
        kind=kind, year=issue_date.year, sequence=sequence, number=number, issued_at=now, issue_date=issue_date,
        service_start=expedition.starts_on, service_end=expedition.ends_on, due_date=due_date, valid_until=valid_until,
        expedition=expedition, corrects=corrects, vat_regime=regime, total_excl_vat_cents=excl, total_vat_cents=vat,
        total_incl_vat_cents=excl + vat, seller=dict(settings.BILLING_SELLER), buyer_name=buyer.name,
        buyer_address=buyer.address, buyer_country=buyer.country, buyer_siren=buyer.siren,
        buyer_vat_number=buyer.vat_number, buyer_legal_form=buyer.legal_form, purchase_order=buyer.purchase_order,
        reason=reason[:300], user=user, contact=contact,
    )
    DocumentLine.objects.bulk_create([
        DocumentLine(document=document, position=i, description=description, quantity=quantity,
                     unit_price_cents=unit, vat_rate=rate, amount_cents=amount)
        for i, ((description, quantity, unit), amount) in enumerate(zip(lines, amounts, strict=True), start=1)
    ])
    return document


# --- Quotes -------------------------------------------------------------------------------------------


def quote_issue(*, expedition_id: int, user, places: int, buyer: Buyer, now: datetime | None = None) -> Document:
    """A numbered quote for ``places`` places on a paid trip, valid the trip's number of days.
    Refused for a free trip, a trip not open (draft, cancelled, past) or more places than it has."""
    now = now or timezone.now()
    expedition = Expedition.objects.filter(pk=expedition_id).first()
    if expedition is None:
        raise BillingError(_("This expedition does not exist."), "not_found")
    if not expedition.is_paid:
        raise BillingError(_("This expedition is free of charge: there is nothing to quote."), "free")
    if expedition.status not in (Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED) or expedition.is_past:
        raise BillingError(_("Quotes are only given for upcoming published expeditions."), "not_open")
    if places < 1 or places > expedition.capacity:
        raise BillingError(_("Ask for between 1 and %(capacity)s places (the expedition's capacity).")
                           % {"capacity": expedition.capacity}, "places")
    if not buyer.name.strip() or not buyer.address.strip():
        raise BillingError(_("The organisation's name and billing address are required."), "buyer")
    if user is not None and Document.objects.filter(kind=DocumentKind.QUOTE, user=user,
                                                    issued_at__gte=now - timedelta(days=1)).count() >= QUOTES_PER_DAY:
        raise BillingError(_("You have asked for %(count)s quotes today: the next ones tomorrow, or ask the organisers.")
                           % {"count": QUOTES_PER_DAY}, "too_many")
    trip = trip_settings(expedition)
    with transaction.atomic():
        return _create_document(
            kind=DocumentKind.QUOTE, expedition=expedition, regime=trip.vat_regime, vat_rate=trip.vat_rate, buyer=buyer,
            lines=[(_line_description(expedition), places, expedition.price_cents)], now=now, user=user,
            valid_until=timezone.localdate(now) + timedelta(days=trip.quote_validity_days),
        )


# --- Invoices -----------------------------------------------------------------------------------------


def _invoiced_with_group(registration: Registration, trip: TripBilling) -> bool:
    """True when the registration's group gets one invoice, issued by :func:`invoice_for_registrations`
    from the group's own confirmation (group registrations land with organisations)."""
    return trip.invoice_per == InvoicePer.GROUP and getattr(registration, "group_id", None) is not None


def invoice_for_confirmed_registration(*, registration: Registration, now: datetime | None = None) -> Document | None:
    """Issue the invoice of a place just confirmed, in the caller's transaction (the expeditions'
    confirmation, under the trip's lock). Nothing for a free trip; the existing invoice if the
    registration is already invoiced; nothing when the trip invoices per group and the
    registration belongs to one (the group's confirmation issues one invoice for its places)."""
    expedition = registration.expedition
    if not expedition.is_paid:
        return None
    existing = InvoicedRegistration.objects.filter(registration=registration).select_related("document").first()
    if existing is not None:
        return existing.document
    if _invoiced_with_group(registration, trip_settings(expedition)):
        return None
    group = getattr(registration, "group", None) if getattr(registration, "group_id", None) else None
    return invoice_for_registrations(registrations=[registration], contact=getattr(group, "contact", None), now=now)


def invoice_group_places(*, group, registrations: list[Registration], now: datetime | None = None) -> list[Document]:
    """After a group's places are confirmed together (its registration, its answer to an offer, a
    staff approval): one invoice for them when the trip invoices per group, else one each; the
    group's contact downloads them. Places already invoiced are left out (idempotent)."""
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    if not confirmed or not group.expedition.is_paid:
        return []
    if trip_settings(group.expedition).invoice_per == InvoicePer.GROUP:
        batches = [confirmed]
    else:
        batches = [[r] for r in confirmed]
    documents = [invoice_for_registrations(registrations=batch, contact=group.contact, now=now) for batch in batches]
    return [d for d in documents if d is not None]


def invoice_for_registrations(*, registrations: list[Registration], contact=None, now: datetime | None = None) -> Document | None:
    """One invoice for confirmed places of one paid trip (one registration, or a group's places
    with the group's contact), one line per participant, in the caller's transaction. Places
    already invoiced are left out; None when nothing is left to invoice."""
    invoiced = set(InvoicedRegistration.objects.filter(registration__in=registrations).values_list("registration_id", flat=True))
    members = [r for r in registrations if r.pk not in invoiced and r.status == Registration.Status.CONFIRMED]
    if not members:
        return None
    expedition = members[0].expedition
    if any(r.expedition_id != expedition.pk for r in members):
        raise ValueError("One invoice bills places of one trip.")
    if not expedition.is_paid:
        return None
    now = now or timezone.now()
    trip = trip_settings(expedition)
    with transaction.atomic():
        document = _create_document(
            kind=DocumentKind.INVOICE, expedition=expedition, regime=trip.vat_regime, vat_rate=trip.vat_rate,
            buyer=buyer_for_registration(members[0]), now=now, user=members[0].user if len(members) == 1 else None,
            contact=contact,
            lines=[(_line_description(expedition, participant_name(r)), 1, expedition.price_cents) for r in members],
            due_date=timezone.localdate(now) + timedelta(days=trip.payment_terms_days),
        )
        InvoicedRegistration.objects.bulk_create([InvoicedRegistration(document=document, registration=r) for r in members])
        from expeditions.services import registration_set_payment

        registration_set_payment(registration_ids=[r.pk for r in members], payment=Registration.Payment.INVOICED)
    return document


def invoice_cancel(*, invoice_id: int, reason: str = "", now: datetime | None = None) -> Document:
    """Cancel an invoice by issuing the credit note that refers to it (same lines and amounts).
    Refused for a document that is not an invoice and for an invoice already cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        invoice = lock_row(Document, invoice_id)
        if invoice.kind != DocumentKind.INVOICE:
            raise BillingError(_("Only an invoice can be cancelled by a credit note."), "not_invoice")
        already = Document.objects.filter(corrects=invoice).values_list("number", flat=True).first()
        if already:
            raise BillingError(_("Invoice %(number)s is already cancelled by credit note %(credit)s.")
                               % {"number": invoice.number, "credit": already}, "already_cancelled")
        buyer = Buyer(name=invoice.buyer_name, address=invoice.buyer_address, country=invoice.buyer_country,
                      siren=invoice.buyer_siren, vat_number=invoice.buyer_vat_number,
                      legal_form=invoice.buyer_legal_form, purchase_order=invoice.purchase_order)
        lines = [(line.description, line.quantity, line.unit_price_cents) for line in invoice.lines.all()]
        rate = next((line.vat_rate for line in invoice.lines.all()), Decimal("0"))
        return _create_document(
            kind=DocumentKind.CREDIT_NOTE, expedition=invoice.expedition, regime=invoice.vat_regime, vat_rate=rate,
            buyer=buyer, lines=lines, now=now, user=invoice.user, contact=invoice.contact, corrects=invoice,
            reason=reason.strip() or f"Annulation de la facture {invoice.number}",
        )


def invoice_record_payment(*, invoice_id: int, paid_on: date, means: str, reference: str = "",
                           now: datetime | None = None) -> Document:
    """Staff record that an invoice was paid (date, means, reference). Once per invoice; not
    for a cancelled invoice; the registrations it bills are marked paid."""
    now = now or timezone.now()
    if means not in PaymentMeans.values:
        raise BillingError(_("Choose how the invoice was paid."), "means")
    if paid_on > timezone.localdate(now):
        raise BillingError(_("The payment date cannot be in the future."), "future")
    with transaction.atomic():
        invoice = lock_row(Document, invoice_id)
        if invoice.kind != DocumentKind.INVOICE:
            raise BillingError(_("Only an invoice can be paid."), "not_invoice")
        if invoice.paid_on is not None:
            raise BillingError(_("The payment of invoice %(number)s is already recorded.") % {"number": invoice.number},
                               "already_paid")
        if Document.objects.filter(corrects=invoice).exists():
            raise BillingError(_("Invoice %(number)s is cancelled by a credit note.") % {"number": invoice.number},
                               "cancelled")
        invoice.paid_on, invoice.payment_means = paid_on, means
        invoice.payment_reference, invoice.payment_recorded_at = reference.strip()[:120], now
        invoice.save(update_fields=["paid_on", "payment_means", "payment_reference", "payment_recorded_at"])
        registration_ids = list(invoice.invoiced_registrations.values_list("registration_id", flat=True))
        if registration_ids:
            from expeditions.services import registration_set_payment

            registration_set_payment(registration_ids=registration_ids, payment=Registration.Payment.PAID)
    return invoice


# --- Personal data ------------------------------------------------------------------------------------


def documents_release_user(*, user) -> None:
    """Account erasure: invoices and credit notes are kept (legal obligation) but unlinked from the
    account; the person's quotes, which no law keeps, are deleted."""
    with transaction.atomic():
        Document.objects.filter(user=user, kind=DocumentKind.QUOTE).delete()
        Document.objects.filter(user=user).update(user=None)
        Document.objects.filter(contact=user).update(contact=None)
