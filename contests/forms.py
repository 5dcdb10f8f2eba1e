from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests.models import Attachment, Company, Criterion, Submission, SubmissionState, Theme
from contests.rules import JURY_VISIBLE_STATES
from contests.validators import compact, validate_siret


class CompanyForm(forms.ModelForm):
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        help_text=_(
            "14 digits. We check its format and check digit only: we cannot check that the company exists "
            "(there is no access to the INSEE register)."
        ),
    )

    class Meta:
        model = Company
        fields = ["legal_name", "siret", "region", "headcount", "turnover_eur", "balance_sheet_eur", "created_on", "independence_declared"]
        widgets = {"created_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"independence_declared": _("I declare that no large company holds 25% or more of our capital or voting rights")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional for an organisation, required to enter the contest (its SME rules need them).
        for name in ("region", "headcount", "created_on"):
            self.fields[name].required = True

    def clean_siret(self):
        value = compact(self.cleaned_data["siret"])
        validate_siret(value)
        return value

    def clean_created_on(self):
        value = self.cleaned_data["created_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The creation date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("turnover_eur") is None and data.get("balance_sheet_eur") is None and not self.errors:
            raise forms.ValidationError(_("Give your annual turnover, your balance-sheet total, or both."))
        return data

    def validate_unique(self):
        pass  # a SIRET registered twice gets the service's message (ask its members to add you)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of a colleague"),
        max_length=254,  # the column's length
        help_text=_("They will get a link to accept or decline, valid 14 days. They join only if they accept."),
    )


class SubmissionForm(forms.ModelForm):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Submission
        fields = [
            "title", "theme", "pitch", "description", "object_function", "connectivity", "data_handled", "stage",
            "target_market", "business_model", "team_members", "support_industrialisation", "support_export",
            "support_funding", "video_url",
        ]
        widgets = {
            "pitch": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "object_function": forms.Textarea(attrs={"rows": 3}),
            "data_handled": forms.Textarea(attrs={"rows": 3}),
            "target_market": forms.Textarea(attrs={"rows": 3}),
            "business_model": forms.Textarea(attrs={"rows": 3}),
            "team_members": forms.Textarea(attrs={"rows": 3}),
        }

    fieldsets = [
        (_("The project"), ["title", "theme", "pitch", "description", "stage"]),
        (_("The object"), ["object_function", "connectivity", "data_handled"]),
        (_("Market and team"), ["target_market", "business_model", "team_members"]),
        (_("Support wanted"), ["support_industrialisation", "support_export", "support_funding"],
         _("Tick every kind of support you would like from the partners.")),
        (_("Video"), ["video_url"]),
    ]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        from contests.services.submissions import REQUIRED_TO_SUBMIT

        self.required_to_submit = REQUIRED_TO_SUBMIT  # marked before the person tries to submit
        self.fields["theme"].queryset = Theme.objects.filter(edition_themes__edition=edition).order_by("position")
        # A draft may be saved incomplete; completeness is checked by the submit service.
        for name in ("pitch",):
            self.fields[name].required = False

    def validate_unique(self):
        pass  # the service owns the (edition, company, title) rule and its message

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        theme = data.pop("theme")
        data["theme_id"] = theme.pk
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("File"), help_text=_("Pitch deck: PDF, 10 MB at most. Images: JPEG, PNG or WebP, 5 MB at most, 5 images."))


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Overall comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000)

    def __init__(self, *args, criteria: list[Criterion], initial_scores: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_scores = initial_scores or {}
        for c in criteria:
            value, text = initial_scores.get(c.pk, (None, ""))
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.name} (×{c.weight})", min_value=0, max_value=10, required=False, initial=value,
                help_text=c.description or _("From 0 to 10."),
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on “%(name)s”") % {"name": c.name}, required=False, initial=text, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields([*[name for name in self.fields if name != "comment"], "comment"])

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"comment_{c.pk}") or "")
            for c in self.criteria
        }


class ConflictForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        # Every company with a project the jury sees (one filter() call: the same project must
        # match both conditions, and a company with a draft besides is still listed).
        self.fields["company"].queryset = (
            Company.objects.filter(submissions__edition=edition, submissions__state__in=JURY_VISIBLE_STATES).distinct()
            .order_by("legal_name")
        )


class RecusalForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


DECISIONS = [
    (SubmissionState.UNDER_REVIEW, _("Under review")),
    (SubmissionState.SHORTLISTED, _("Shortlisted")),
    (SubmissionState.NOT_RETAINED, _("Not retained")),
    (SubmissionState.LAUREATE, _("Laureate")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    rank = forms.IntegerField(label=_("Rank"), min_value=1, max_value=99, required=False)
    prize = forms.CharField(label=_("Prize"), max_length=300, required=False)
    feedback = forms.CharField(
        label=_("Feedback to the submitter"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == SubmissionState.LAUREATE and not data.get("rank"):
            self.add_error("rank", _("A laureate needs a rank in its theme."))
        return data


class PublicationForm(forms.Form):
    """Staff's two explicit choices before results are prepared (nothing is decided by default)."""

    not_retained_for_remaining = forms.BooleanField(
        label=_("“Not retained” for every project still without a final decision"), required=False,
        help_text=_("Otherwise every project needs a decision first: laureate or not retained."),
    )
    themes_without_laureate = forms.MultipleChoiceField(
        label=_("Themes published without a laureate"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick a theme only if the jury names no laureate in it."),
    )

    def __init__(self, *args, edition_themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes_without_laureate"].choices = [(str(t.theme_id), t.theme.name) for t in edition_themes]

    def theme_ids(self) -> set[int]:
        return {int(v) for v in self.cleaned_data.get("themes_without_laureate", [])}
