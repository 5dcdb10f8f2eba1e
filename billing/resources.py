"""The accounting export of invoices and credit notes (export only, formula-safe, readable headers)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from import_export import fields

from billing.models import Document
from portal.exports import ReadableExportResource


class AccountingResource(ReadableExportResource):
    """One row per invoice or credit note: what an accountant books (amounts in euros, signed:
    a credit note's amounts are negative)."""

    import_allowed = False
    header_labels = {"expedition": _("expedition"), "corrects": _("cancels invoice"), "excl_vat": _("total excl. VAT (€)"),
                     "vat": _("VAT (€)"), "incl_vat": _("total incl. VAT (€)")}

    expedition = fields.Field(attribute="expedition__slug", column_name="expedition")
    corrects = fields.Field(attribute="corrects__number", column_name="corrects")
    excl_vat = fields.Field(column_name="excl_vat")
    vat = fields.Field(column_name="vat")
    incl_vat = fields.Field(column_name="incl_vat")

    class Meta:
        model = Document
        fields = ("number", "kind", "issue_date", "due_date", "corrects", "expedition", "buyer_name", "buyer_siren",
                  "buyer_vat_number", "purchase_order", "vat_regime", "excl_vat", "vat", "incl_vat", "currency",
                  "paid_on", "payment_means", "payment_reference")
        export_order = fields

    @staticmethod
    def _signed(document: Document, cents: int) -> Decimal:
        return Decimal(-cents if document.kind == "credit_note" else cents) / 100

    def dehydrate_excl_vat(self, document):
        return self._signed(document, document.total_excl_vat_cents)

    def dehydrate_vat(self, document):
        return self._signed(document, document.total_vat_cents)

    def dehydrate_incl_vat(self, document):
        return self._signed(document, document.total_incl_vat_cents)
