from django import forms
from django.utils.translation import gettext_lazy as _

from measures.models import FollowFrequency, MeasureStatus


class MeasureFilterForm(forms.Form):
    """Filters of the overview; unknown values are form errors, never a crash."""

    origin = forms.ChoiceField(label=_("Origin"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *MeasureStatus.choices]
    )

    def __init__(self, *args, origins=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = [("", _("All origins"))] + [(o.code, o.name) for o in origins]


class FollowForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Tell me"), choices=FollowFrequency.choices, initial=FollowFrequency.IMMEDIATE, widget=forms.RadioSelect
    )
