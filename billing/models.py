"""Quotes, invoices and credit notes of the paid trips.

Invariants the database holds:
- one number per document: (kind, year, sequence) is unique, and so is the printed number;
- a credit note refers to the invoice it cancels, and an invoice is cancelled at most once
  (a unique constraint on ``corrects``);
- a registration is invoiced at most once (``InvoicedRegistration.registration`` is unique).

Invariants the code holds (``billing.services`` is the one door):
- numbers come from a :class:`Counter` row locked in the issuing transaction: a rolled-back
  issue gives its number back, so the series has no gap (a database sequence would leave one);
- an issued document is never edited nor deleted: :meth:`Document.save` refuses any change but
  the payment record and the unlinking of an erased account, :meth:`Document.delete` refuses
  (quotes excepted, which the law does not number), and the admin is read-only. A cancellation
  issues a credit note.
Every printed party detail is a snapshot taken at issue: the invoice keeps the buyer as it was.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from expeditions.models import Expedition, Registration


class DocumentKind(models.TextChoices):
    QUOTE = "quote", _("Quote")
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


NUMBER_PREFIX = {DocumentKind.QUOTE: "D", DocumentKind.INVOICE: "F", DocumentKind.CREDIT_NOTE: "AV"}


class VatRegime(models.TextChoices):
    STANDARD = "standard", _("Standard (amounts excl. VAT, VAT per rate)")
    MARGIN = "margin", _("Margin scheme for travel agencies (prices incl. VAT, no VAT shown)")


class InvoicePer(models.TextChoices):
    REGISTRATION = "registration", _("One invoice per registration")
    GROUP = "group", _("One invoice per group (the group's contact pays)")


class TripBilling(models.Model):
    """Staff's invoicing settings of one trip. A paid trip without a row is invoiced with the
    defaults (standard VAT at 20 %, one invoice per registration, quotes valid 30 days)."""

    expedition = models.OneToOneField(Expedition, verbose_name=_("expedition"), on_delete=models.CASCADE,
                                      related_name="billing_settings")
    vat_regime = models.CharField(_("VAT regime"), max_length=20, choices=VatRegime.choices, default=VatRegime.STANDARD,
                                  help_text=_("Which regime applies is the organiser's accountant's decision; "
                                              "the portal never computes margin VAT."))
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("20.00"),
                                   help_text=_("Standard regime only."))
    invoice_per = models.CharField(_("invoicing"), max_length=20, choices=InvoicePer.choices, default=InvoicePer.REGISTRATION)
    quote_validity_days = models.PositiveSmallIntegerField(_("quotes valid for (days)"), default=30)
    payment_terms_days = models.PositiveSmallIntegerField(_("payment due after (days)"), default=30,
                                                          help_text=_("At most 60 days from issue (Commercial Code, L441-10)."))

    class Meta:
        verbose_name = _("trip invoicing settings")
        verbose_name_plural = _("trip invoicing settings")
        constraints = [
            models.CheckConstraint(condition=Q(vat_rate__gte=0) & Q(vat_rate__lte=100), name="tripbilling_vat_rate_range"),
            models.CheckConstraint(condition=Q(payment_terms_days__lte=60), name="tripbilling_payment_terms_max_60"),
        ]

    def __str__(self) -> str:
        return str(self.expedition)

    def clean(self) -> None:
        if self.payment_terms_days is not None and self.payment_terms_days > 60:
            raise ValidationError({"payment_terms_days": _("The law caps payment terms at 60 days from issue.")})


class Counter(models.Model):
    """The last number issued in one series (a document kind and a calendar year).

    Locked with ``SELECT … FOR UPDATE`` by the issuing transaction, incremented and written
    back in it: whoever issues next waits for the commit or the rollback."""

    kind = models.CharField(_("document type"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("numbering series")
        verbose_name_plural = _("numbering series")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="billing_counter_one_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.last_number}"


class DocumentQuerySet(models.QuerySet):
    def delete(self):
        if self.exclude(kind=DocumentKind.QUOTE).exists():
            raise ValidationError(_("An issued invoice or credit note is never deleted: issue a credit note."))
        return super().delete()


class PaymentMeans(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CARD = "card", _("Card")
    CHEQUE = "cheque", _("Cheque")
    OTHER = "other", _("Other")


# The only fields of an issued document that may still be written (by billing.services).
MUTABLE_AFTER_ISSUE = frozenset({"paid_on", "payment_means", "payment_reference", "payment_recorded_at", "user", "contact"})


class Document(models.Model):
    """An issued quote, invoice or credit note, with everything it prints (a snapshot)."""

    kind = models.CharField(_("document type"), max_length=20, choices=DocumentKind.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issue_date = models.DateField(_("issue date"))
    service_start = models.DateField(_("service from"))
    service_end = models.DateField(_("service until"))
    due_date = models.DateField(_("payment due"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    expedition = models.ForeignKey(Expedition, verbose_name=_("expedition"), on_delete=models.PROTECT, related_name="+")
    corrects = models.OneToOneField("self", verbose_name=_("cancels invoice"), on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="credit_note")
    vat_regime = models.CharField(_("VAT regime"), max_length=20, choices=VatRegime.choices)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    total_excl_vat_cents = models.BigIntegerField(_("total excl. VAT (cents)"))
    total_vat_cents = models.BigIntegerField(_("VAT (cents)"))
    total_incl_vat_cents = models.BigIntegerField(_("total incl. VAT (cents)"))
    # The parties as at issue. The seller's legal details come from the settings.
    seller = models.JSONField(_("seller"))
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_address = models.TextField(_("buyer's address"))
    buyer_country = models.CharField(_("buyer's country"), max_length=2, default="FR")
    buyer_siren = models.CharField(_("buyer's SIREN"), max_length=9, blank=True)
    buyer_vat_number = models.CharField(_("buyer's VAT number"), max_length=20, blank=True)
    buyer_legal_form = models.CharField(_("buyer's legal form"), max_length=80, blank=True)
    purchase_order = models.CharField(_("purchase-order reference"), max_length=80, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Who downloads it in Mon espace (unlinked, never deleted, when their account is erased).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("participant or requester"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="billing_documents")
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("buyer's contact"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    # Payment, recorded by staff (billing.services.invoice_record_payment).
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_means = models.CharField(_("payment means"), max_length=20, choices=PaymentMeans.choices, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=120, blank=True)
    payment_recorded_at = models.DateTimeField(_("payment recorded"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("billing document")
        verbose_name_plural = _("billing documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="billing_document_unique_number"),
            models.CheckConstraint(condition=Q(corrects__isnull=True) | Q(kind="credit_note"),
                                   name="billing_only_credit_notes_correct"),
            models.CheckConstraint(condition=~Q(kind="credit_note") | Q(corrects__isnull=False),
                                   name="billing_credit_note_refers_to_invoice"),
            models.CheckConstraint(
                condition=Q(total_incl_vat_cents=models.F("total_excl_vat_cents") + models.F("total_vat_cents")),
                name="billing_totals_add_up"),
        ]
        indexes = [models.Index(fields=["user", "kind"], name="billing_doc_user_kind_idx"),
                   models.Index(fields=["contact", "kind"], name="billing_doc_contact_kind_idx")]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        """Insert once; afterwards only the payment record and the account links may change."""
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= MUTABLE_AFTER_ISSUE:
                raise ValidationError(_("An issued document is never edited: cancel an invoice with a credit note."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.kind != DocumentKind.QUOTE:
            raise ValidationError(_("An issued invoice or credit note is never deleted: issue a credit note."))
        return super().delete(*args, **kwargs)

    @property
    def total_incl_vat(self) -> Decimal:
        return Decimal(self.total_incl_vat_cents) / 100

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf"


class DocumentLine(models.Model):
    """One line as printed. Amounts in cents; under the margin scheme they include VAT."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_cents = models.BigIntegerField(_("unit price (cents)"))
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    amount_cents = models.BigIntegerField(_("amount (cents)"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        constraints = [models.UniqueConstraint(fields=["document", "position"], name="billing_line_position_unique")]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("An issued document is never edited: cancel an invoice with a credit note."))
        super().save(*args, **kwargs)


class InvoicedRegistration(models.Model):
    """Which registrations an invoice bills (one, or a group's). A registration is invoiced once."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="invoiced_registrations")
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="invoice_link")

    class Meta:
        verbose_name = _("invoiced registration")
        verbose_name_plural = _("invoiced registrations")

    def __str__(self) -> str:
        return f"{self.document} ← {self.registration_id}"
