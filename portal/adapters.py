"""allauth goes through the portal's outbox for every e-mail it sends."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.utils import translation

from portal.notifications.services import notification_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = context.get("request") or getattr(self, "request", None)
        ctx = {"email": email, "current_site": None}
        ctx.update(context)
        ctx.setdefault("request", request)
        if ctx.get("current_site") is None:
            from django.contrib.sites.shortcuts import get_current_site

            ctx["current_site"] = get_current_site(request)
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        user = ctx.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        notification_queue(
            kind="account." + template_prefix.rsplit("/", 1)[-1],
            user=user if getattr(user, "pk", None) else None,
            recipient_email=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            language=translation.get_language() or "fr",
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = (translation.get_language() or "fr")[:2]
        if commit:
            user.save()
        return user
