from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.validators import compact, normalise_vat, validate_siret, validate_vat_number


class OrganisationForm(forms.ModelForm):
    siret = forms.CharField(
        label=_("SIRET"), max_length=20,
        help_text=_("14 digits. We check its format and check digit only (there is no access to the INSEE register)."),
    )
    vat_number = forms.CharField(
        label=_("Intra-community VAT number"), max_length=24, required=False,
        help_text=_("E.g. FR 12 345678901: FR, a two-digit key, then your SIREN. It appears on your invoices."),
    )

    class Meta:
        model = Organisation
        fields = ["legal_name", "siret", "vat_number", "legal_form", "billing_address_line1", "billing_address_line2",
                  "billing_postal_code", "billing_city", "billing_country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("legal_form", "billing_address_line1", "billing_postal_code", "billing_city"):
            self.fields[name].required = True  # an invoice names them

    def clean_siret(self):
        value = compact(self.cleaned_data["siret"])
        validate_siret(value)
        return value

    def clean_vat_number(self):
        value = normalise_vat(self.cleaned_data.get("vat_number") or "")
        if value:
            validate_vat_number(value)
        return value

    def validate_unique(self):
        pass  # a SIRET registered twice gets the service's message (ask its members to invite you)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of a colleague"), max_length=254,
        help_text=_("They will get a link to accept or decline, valid 14 days. They join only if they accept."),
    )
