from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.services import Buyer, split_tax_id
from organisations.validators import compact, is_valid_siren, is_valid_siret


class QuoteRequestForm(forms.Form):
    places = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=500, initial=1)
    organisation = forms.CharField(label=_("Organisation to invoice"), max_length=200)
    address = forms.CharField(label=_("Billing address"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    tax_id = forms.CharField(label=_("SIRET or VAT number"), max_length=40, required=False,
                             help_text=_("14-digit SIRET, or an intra-EU VAT number such as FR12345678901."))
    purchase_order = forms.CharField(label=_("Purchase-order reference"), max_length=80, required=False)

    def clean_tax_id(self) -> str:
        raw = compact(self.cleaned_data.get("tax_id", "")).upper()
        if not raw:
            return ""
        siren, vat = split_tax_id(raw)
        if raw.isdigit():
            if not (is_valid_siret(raw) if len(raw) == 14 else is_valid_siren(raw)):
                raise forms.ValidationError(_("This SIRET number is not valid: its check digit does not match."))
        elif not vat:
            raise forms.ValidationError(_("Enter a 14-digit SIRET or a VAT number starting with its country code."))
        elif siren and not is_valid_siren(siren):
            raise forms.ValidationError(_("This French VAT number does not contain a valid SIREN."))
        return raw

    def buyer(self) -> Buyer:
        data = self.cleaned_data
        siren, vat = split_tax_id(data["tax_id"])
        return Buyer(name=data["organisation"].strip(), address=data["address"].strip(), siren=siren, vat_number=vat,
                     purchase_order=data["purchase_order"].strip())
