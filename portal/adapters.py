"""allauth goes through the portal's outbox for every e-mail it sends.

Each e-mail is written in its recipient's saved language (``User.language``), whatever the
language of the page that triggered it; an address with no account (a signup attempt, an
unknown address asking for a reset) gets the page's language.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from portal.notifications.services import notification_queue


def _account_for(email: str):
    """The account an address belongs to, even when it is no longer the primary one."""
    User = get_user_model()
    return User.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email)).order_by("pk").first()


# The length of every e-mail column (EmailField's default, RFC 5321's limit on a path).
EMAIL_MAX_LENGTH = 254


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Every allauth form that takes an address (sign-up, reset, adding an address) asks here:
        a longer address would pass the form and then fail on the outbox's column (a 500)."""
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("An e-mail address has at most %(max)s characters.") % {"max": EMAIL_MAX_LENGTH}, code="max_length"
            )
        return super().clean_email(email)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed logins are counted per address *and client IP* (allauth counts per address):
        five wrong passwords typed by anyone would otherwise lock the owner out everywhere.
        allauth's own per-IP limit (10 a minute, every address together) stays on top."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = context.get("request") or getattr(self, "request", None)
        ctx = {"email": email, "current_site": None}
        ctx.update(context)
        ctx.setdefault("request", request)
        if ctx.get("current_site") is None:
            from django.contrib.sites.shortcuts import get_current_site

            ctx["current_site"] = get_current_site(request)
        user = ctx.get("user") if getattr(ctx.get("user"), "pk", None) else _account_for(email)
        page_language = translation.get_language() or settings.LANGUAGE_CODE
        language = user.language if user is not None and user.language in dict(settings.LANGUAGES) else page_language
        if language != page_language:
            # allauth built the links (reset, confirmation...) in the page's language: the
            # recipient lands on pages in theirs (English under /en/).
            for key, value in list(ctx.items()):
                if key.endswith("_url") and isinstance(value, str):
                    ctx[key] = translate_url(value, language)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        notification_queue(
            kind="account." + template_prefix.rsplit("/", 1)[-1],
            user=user,
            recipient_email=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            language=language,
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = (translation.get_language() or "fr")[:2]
        if commit:
            user.save()
        return user
