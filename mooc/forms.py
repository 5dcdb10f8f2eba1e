from django import forms
from django.utils.translation import gettext_lazy as _

from mooc.models import CourseLanguage, Topic


class CatalogueFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices])
    effort = forms.ChoiceField(
        label=_("Effort"),
        required=False,
        choices=[("", _("Any effort")), ("short", _("Up to 5 hours")), ("medium", _("6 to 15 hours")), ("long", _("More than 15 hours"))],
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("All languages")), *CourseLanguage.choices])
