from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from expeditions.models import Registration


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters; invalid values are ignored, never an error page.

    Destinations and audiences are checked against ``choices`` (the cached
    :func:`expeditions.selectors.catalogue_filter_choices`), not queried on every request.
    """

    destination = forms.ChoiceField(label=_("Destination"), required=False)
    month = forms.CharField(label=_("Departure month"), required=False,
                            widget=forms.DateInput(attrs={"type": "month"}), help_text=_("Format: YYYY-MM"))
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    places_left = forms.BooleanField(label=_("Only trips with places left"), required=False)

    def __init__(self, data=None, *, choices: dict[str, list[tuple[str, str]]]):
        super().__init__(data)
        self.fields["destination"].choices = [("", _("All destinations")), *choices["destinations"]]
        self.fields["audience"].choices = [("", _("Every audience")), *choices["audiences"]]

    def clean_month(self) -> date | None:
        raw = (self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        try:
            year, month = (int(part) for part in raw.split("-")[:2])
            return date(year, month, 1)
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "destination": data.get("destination") or None,
            "month": data.get("month"),
            "audience": data.get("audience") or None,
            "places_left": bool(data.get("places_left")),
        }


class RegistrationForm(forms.ModelForm):
    """What the trip asks. Only these fields are read from the POST: status, capacity,
    position or another person's id cannot be forged through it."""

    class Meta:
        model = Registration
        fields = [
            "passport_name", "dietary_needs", "dietary_consent", "remarks", "share_consent",
            "billing_organisation", "billing_address", "billing_tax_id", "billing_po_reference",
        ]
        widgets = {
            "dietary_needs": forms.Textarea(attrs={"rows": 2}),
            "remarks": forms.Textarea(attrs={"rows": 3}),
            "billing_address": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "dietary_consent": _("I consent to the organisers keeping my dietary needs (health-related data) "
                                 "until they are erased after the trip."),
            "share_consent": _("I agree to appear (name, organisation) on the participant list shared with the delegation."),
        }
        help_texts = {
            "passport_name": _("Exactly as printed in the passport you will travel with."),
            "dietary_needs": _("Optional. Erased with your passport name after the trip."),
        }

    def __init__(self, *args, expedition, **kwargs):
        super().__init__(*args, **kwargs)
        self.expedition = expedition
        self.fields["passport_name"].required = True
        if expedition.is_paid:
            self.fields["billing_organisation"].required = True
            self.fields["billing_address"].required = True
        else:
            for name in ("billing_organisation", "billing_address", "billing_tax_id", "billing_po_reference"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if (data.get("dietary_needs") or "").strip() and not data.get("dietary_consent"):
            self.add_error("dietary_consent", _("Tick this box so that we may keep your dietary needs, or leave them empty."))
        return data


class StaffMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    statuses = forms.MultipleChoiceField(
        label=_("Send to"), choices=[(s, Registration.Status(s).label) for s in Registration.ACTIVE],
        initial=[Registration.Status.CONFIRMED, Registration.Status.PENDING], widget=forms.CheckboxSelectMultiple,
    )


GROUP_FORM_ROWS = 10


class GroupRegistrationForm(forms.Form):
    """A contact's group: the organisation, up to ten colleagues (name and address), how the group
    waits if places are short, a purchase-order reference. Empty rows are ignored."""

    organisation = forms.TypedChoiceField(label=_("In the name of"), coerce=int)
    mode = forms.ChoiceField(
        label=_("If fewer places are left than people in the group"), required=False, widget=forms.RadioSelect,
        help_text=_("A group waiting together is never split. Meanwhile, fewer free places than it needs go in list "
                    "order to whoever fits: it does not hold back single people."),
    )
    po_reference = forms.CharField(label=_("Purchase-order reference"), max_length=80, required=False)

    def __init__(self, data=None, *, organisations, rows: int = GROUP_FORM_ROWS):
        super().__init__(data)
        from expeditions.models import GroupRegistration

        self.fields["organisation"].choices = [(o.pk, o.legal_name) for o in organisations]
        self.fields["mode"].choices = GroupRegistration.Mode.choices
        self.rows = rows
        names = []
        for i in range(rows):
            self.fields[f"name_{i}"] = forms.CharField(label=_("Colleague %(n)s: name") % {"n": i + 1}, max_length=200,
                                                       required=False)
            self.fields[f"email_{i}"] = forms.EmailField(label=_("Colleague %(n)s: e-mail address") % {"n": i + 1},
                                                         max_length=254, required=False)
            names += [f"name_{i}", f"email_{i}"]
        # Fields are shown in this order, the colleagues before the choice of how to wait.
        self.order_fields(["organisation", *names, "mode", "po_reference"])
        self.fieldsets = [
            (_("The colleagues who travel"), names,
             _("Each gets an e-mail to complete his or her own details and accept. Leave the rows you do not need empty.")),
        ]

    def colleague_rows(self):
        return [(self[f"name_{i}"], self[f"email_{i}"]) for i in range(self.rows)]

    def colleagues(self):
        from expeditions.services.groups import Colleague

        return [Colleague(name=self.cleaned_data.get(f"name_{i}") or "", email=self.cleaned_data.get(f"email_{i}") or "")
                for i in range(self.rows)]


class GroupSubstituteForm(forms.Form):
    name = forms.CharField(label=_("Name of the new colleague"), max_length=200)
    email = forms.EmailField(label=_("E-mail address of the new colleague"), max_length=254)


class GroupMemberAcceptForm(forms.ModelForm):
    """What the trip asks of the colleague him- or herself; nothing else is read from the POST."""

    class Meta:
        model = Registration
        fields = ["passport_name", "dietary_needs", "dietary_consent", "share_consent"]
        widgets = RegistrationForm.Meta.widgets
        labels = RegistrationForm.Meta.labels
        help_texts = RegistrationForm.Meta.help_texts

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passport_name"].required = True

    def clean(self):
        data = super().clean()
        if (data.get("dietary_needs") or "").strip() and not data.get("dietary_consent"):
            self.add_error("dietary_consent", _("Tick this box so that we may keep your dietary needs, or leave them empty."))
        return data
