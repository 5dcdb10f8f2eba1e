from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from portal.models import Profile
from portal.notifications.kinds import optional_kinds


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(label=_("Preferred language"), choices=get_user_model()._meta.get_field("language").choices)

    class Meta:
        model = Profile
        fields = ["organisation", "job_title", "audience", "region", "company_size", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["language"].initial = user.language
        for name in ("organisation", "job_title", "audience", "region"):
            self.fields[name].required = True
        self.order_fields(["first_name", "last_name", "organisation", "job_title", "audience", "region", "company_size", "sector", "language"])


class NotificationPreferencesForm(forms.Form):
    def __init__(self, *args, enabled: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in optional_kinds():
            self.fields[kind.code] = forms.BooleanField(
                label=kind.label, required=False, initial=enabled.get(kind.code, True)
            )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=_("I understand that my account and my personal data will be erased."))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."))
        return password


class StyleguideForm(forms.Form):
    """The styleguide's example form (never saved): every kind of field the portal uses."""

    name = forms.CharField(label=_("Full name"), max_length=80, help_text=_("As on your identity papers."))
    email = forms.EmailField(label=_("E-mail address"))
    size = forms.ChoiceField(label=_("Company size"), choices=[("", "—"), ("micro", _("Fewer than 10 people")),
                                                               ("sme", _("10 to 249 people"))])
    topics = forms.MultipleChoiceField(label=_("Support wanted"), required=False, widget=forms.CheckboxSelectMultiple,
                                       choices=[("export", _("Export")), ("funding", _("Funding"))])
    remarks = forms.CharField(label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label=_("I agree to be contacted about my request"))

    fieldsets = [(_("About you"), ["name", "email"]), (_("Your company"), ["size", "topics", "remarks"])]


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up, timed alike for a new and a known address.

    With ``ACCOUNT_PREVENT_ENUMERATION`` both answer the same page, but only a new address had
    its password hashed (about 240 ms against 12 ms): the time told whether an address has an
    account. A known address now pays the same hashing, and its result is thrown away.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
