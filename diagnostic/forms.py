"""The diagnostic's forms: the company context, one step of questions, the contact request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostic.models import QuestionKind, SizeBand
from diagnostic.scoring import DimensionSpec, QuestionSpec
from portal.models import NafSection, Region


class ContextForm(forms.Form):
    """Asked once: prefilled from the profile (and the profile completed from it)."""

    sector = forms.ChoiceField(
        label=_("Sector of activity"),
        help_text=_("The section of your main activity in the French nomenclature (NAF)."),
        choices=[("", _("Choose a sector"))] + [(code, f"{code} — {label}") for code, label in NafSection.choices],
        error_messages={"required": _("Choose your sector of activity."), "invalid_choice": _("Choose a sector from the list.")},
    )
    size_band = forms.ChoiceField(
        label=_("Headcount"),
        choices=SizeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your headcount."), "invalid_choice": _("Choose a headcount from the list.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("position", "name"),
        to_field_name="code",
        empty_label=_("Choose a region"),
        error_messages={"required": _("Choose your region."), "invalid_choice": _("Choose a region from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].widget.attrs["aria-describedby"] = "sector-hint"

    def full_clean(self):
        super().full_clean()
        for name in ("sector", "region"):
            if name in self.errors:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = " ".join(filter(None, [widget.attrs.get("aria-describedby"), f"{name}-error"]))
                widget.attrs["aria-invalid"] = "true"


def field_name(question: QuestionSpec) -> str:
    return f"q{question.id}"


class StepForm(forms.Form):
    """One dimension's questions. Only options of each question are accepted (an id from another
    question or version is an invalid choice, with a message, never an error page)."""

    def __init__(self, *args, dimension: DimensionSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        for question in dimension.questions:
            choices = [(str(o.id), o.label) for o in question.options]
            messages = {
                "required": _("Answer this question."),
                "invalid_choice": _("Choose one of the answers offered."),
                "invalid_list": _("Choose among the answers offered."),
            }
            if question.kind == QuestionKind.MULTI:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=False, error_messages=messages
                )
            else:
                field = forms.ChoiceField(
                    choices=choices, widget=forms.RadioSelect, required=question.required, error_messages=messages
                )
            field.label = question.text
            field.help_text = question.hint
            field.question = question
            self.fields[field_name(question)] = field

    def clean(self):
        cleaned = super().clean()
        for question in self.dimension.questions:
            name = field_name(question)
            if question.kind != QuestionKind.MULTI or name in self.errors:
                continue
            chosen = set(cleaned.get(name) or [])
            exclusive = [o for o in question.options if o.exclusive and str(o.id) in chosen]
            if exclusive and len(chosen) > 1:
                self.add_error(name, _("“%(label)s” cannot be ticked with another answer.") % {"label": exclusive[0].label})
            elif question.required and not chosen and any(o.exclusive for o in question.options):
                self.add_error(name, _("Tick what applies, or “%(label)s”.") % {"label": next(o.label for o in question.options if o.exclusive)})
        return cleaned

    def valid_answers(self) -> dict[int, set[int]]:
        """question id → option ids for every question answered validly (kept even when another
        question of the step has an error)."""
        answers = {}
        for question in self.dimension.questions:
            name = field_name(question)
            if name in self.errors or name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if question.kind == QuestionKind.MULTI:
                answers[question.id] = {int(v) for v in value}
            elif value:
                answers[question.id] = {int(value)}
        return answers

    def rows(self):
        """(question, bound field) for the template."""
        return [(f.field.question, f) for f in self]


class ContactForm(forms.Form):
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    message = forms.CharField(
        label=_("What would you like to talk about? (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent = forms.BooleanField(
        label=_("I agree that the referenced expert of my region receives my result (scores per dimension) and my contact details."),
        error_messages={"required": _("Tick the box to agree that the expert sees your result: without it we cannot pass on your request.")},
    )
