"""The staff's workplace for billing: documents are read-only; actions call the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin

from billing import services
from billing.models import Document, DocumentKind, DocumentLine, PaymentMeans, TripBilling
from billing.resources import AccountingResource
from billing.services import BillingError
from portal.admin_actions import confirmed_action
from portal.exports import PortalImportExportMixin, ReadableExportMixin


@admin.register(TripBilling)
class TripBillingAdmin(admin.ModelAdmin):
    list_display = ["expedition", "vat_regime", "vat_rate", "invoice_per", "quote_validity_days", "payment_terms_days"]
    list_filter = ["vat_regime", "invoice_per"]
    list_select_related = ["expedition"]
    search_fields = ["expedition__title", "expedition__slug"]
    autocomplete_fields = ["expedition"]


class DocumentLineInline(admin.TabularInline):
    model = DocumentLine
    fields = ["position", "description", "quantity", "unit_price_cents", "vat_rate", "amount_cents"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason printed on the credit note"), max_length=300, required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), initial=timezone.localdate)
    means = forms.ChoiceField(label=_("Payment means"), choices=PaymentMeans.choices)
    reference = forms.CharField(label=_("Payment reference"), max_length=120, required=False)


def _cancel_consequences(modeladmin, queryset):
    count = queryset.filter(kind=DocumentKind.INVOICE, credit_note__isnull=True).count()
    yield ngettext("%(count)d invoice will be cancelled by a credit note with the same lines and amounts.",
                   "%(count)d invoices will be cancelled, each by a credit note with the same lines and amounts.",
                   count) % {"count": count}
    yield str(_("Credit notes are numbered in their own series and can never be withdrawn. Other selected "
                "documents are left as they are."))


def _payment_consequences(modeladmin, queryset):
    yield str(_("The payment is recorded on each selected invoice, and its registrations are marked paid."))


class ToCreditFilter(admin.SimpleListFilter):
    """Invoices whose place was cancelled and that no credit note cancels yet: staff decide
    (a cancellation fee may be due) and issue the credit note with the action."""

    title = _("place cancelled")
    parameter_name = "to_credit"

    def lookups(self, request, model_admin):
        return [("yes", _("Place cancelled, invoice not credited"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(kind=DocumentKind.INVOICE, credit_note__isnull=True,
                                   invoiced_registrations__registration__status="cancelled").distinct()
        return queryset


@admin.register(Document)
class DocumentAdmin(ReadableExportMixin, ExportMixin, admin.ModelAdmin):
    """Issued documents are never edited nor deleted here: every field is read-only."""

    resource_classes = [AccountingResource]
    formats = PortalImportExportMixin.formats
    export_file_label = _("invoices and credit notes")
    list_display = ["number", "kind", "issue_date", "buyer_name", "expedition", "total_incl_vat_cents", "due_date",
                    "paid_on", "corrects"]
    list_filter = ["kind", ToCreditFilter, "vat_regime", "year", ("paid_on", admin.EmptyFieldListFilter)]
    list_select_related = ["expedition", "corrects"]
    search_fields = ["number", "buyer_name", "buyer_siren", "purchase_order", "expedition__title"]
    date_hierarchy = "issue_date"
    inlines = [DocumentLineInline]
    actions = ["cancel_with_credit_note", "record_payment"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Document._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).exclude(kind=DocumentKind.QUOTE)

    def _report(self, request, done: int, errors: list[str]) -> None:
        for error in errors:
            self.message_user(request, error, messages.ERROR)
        if done:
            self.message_user(request, ngettext("%(count)d document done.", "%(count)d documents done.", done)
                              % {"count": done}, messages.SUCCESS)

    @confirmed_action(description=_("Cancel the selected invoices (issue credit notes)…"),
                      consequences=_cancel_consequences, form_class=CancelForm)
    def cancel_with_credit_note(self, request, queryset, reason=""):
        done, errors = 0, []
        for document in queryset.filter(kind=DocumentKind.INVOICE):
            try:
                services.invoice_cancel(invoice_id=document.pk, reason=reason)
                done += 1
            except BillingError as error:
                errors.append(str(error.message))
        self._report(request, done, errors)

    @confirmed_action(description=_("Record the payment of the selected invoices…"),
                      consequences=_payment_consequences, form_class=PaymentForm)
    def record_payment(self, request, queryset, paid_on=None, means="", reference=""):
        done, errors = 0, []
        for document in queryset.filter(kind=DocumentKind.INVOICE):
            try:
                services.invoice_record_payment(invoice_id=document.pk, paid_on=paid_on, means=means, reference=reference)
                done += 1
            except BillingError as error:
                errors.append(str(error.message))
        self._report(request, done, errors)
