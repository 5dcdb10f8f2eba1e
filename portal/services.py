"""Writes of the shared kernel that are not notifications."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from portal.models import Profile, User

# Fields only the services write (portal.ownership): the outbox's delivery state and content.
SERVICE_OWNED_FIELDS = {
    "portal.Notification": {
        "recipient_email", "user", "kind", "language", "subject", "body_text", "body_html", "link", "headers", "state",
        "attempts", "next_attempt_at", "lease_expires_at", "last_error", "dedup_key", "batch", "created_at", "sent_at",
        "read_at",
    },
}


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str, language: str, **profile_fields) -> Profile:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.language = language
    user.save(update_fields=["first_name", "last_name", "language"])
    profile, _ = Profile.objects.get_or_create(user=user)
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def profile_for(user: User) -> Profile:
    profile, _ = Profile.objects.select_related("audience", "region").get_or_create(user=user)
    profile.user = user  # the person at hand: not read again (the profile's completeness asks for the name)
    return profile


def user_language_set(*, user: User, language: str) -> None:
    """The language the person chose in the header: saved on the account, so that the e-mails
    and inbox notifications queued from now on are written in it (those queued before keep
    the language they were rendered in)."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- Retention (periodic, idempotent) -----------------------------------------------------------


def accounts_unverified_purge(*, now=None, days: int | None = None) -> int:
    """An account whose address was never confirmed (so never used: login needs a confirmed
    address) is erased ``PORTAL_UNVERIFIED_ACCOUNT_RETENTION_DAYS`` after sign-up, through every
    app's eraser like a deletion asked for in Mon espace. Staff accounts are never touched."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.utils import timezone

    from portal import personal_data

    days = days or settings.PORTAL_UNVERIFIED_ACCOUNT_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=days)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    stale = User.objects.filter(date_joined__lt=cutoff, last_login__isnull=True, is_staff=False, is_superuser=False).exclude(
        pk__in=verified
    )
    erased = 0
    for user in stale.order_by("pk"):
        personal_data.user_account_delete(user)
        erased += 1
    return erased


def sessions_clear_expired() -> None:
    """Expired sessions (who was logged in, from where) are deleted daily, as `clearsessions` would."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
