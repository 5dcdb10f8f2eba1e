"""The shared kernel's own entries in the personal-data registry."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import personal_data
from portal.models import Notification, NotificationPreference


def _export_account(user):
    profile = getattr(user, "profile", None)
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "profile": None
        if profile is None
        else {
            "organisation": profile.organisation,
            "job_title": profile.job_title,
            "audience": profile.audience.code if profile.audience_id else None,
            "region": profile.region.code if profile.region_id else None,
            "company_size": profile.company_size,
            "sector": profile.sector,
        },
    }


def _erase_account(user):
    EmailAddress.objects.filter(user=user).delete()  # the user row itself goes last


def _theirs(user) -> Q:
    """Rows linked to the account, and rows sent without a link (to an address no account used
    then: an invitation, a mail before sign-up) to any of its VERIFIED addresses — typing someone
    else's address into one's account must not export, nor erase, what was sent to that person."""
    query = Q(user=user)
    for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True):
        query |= Q(user__isnull=True, recipient_email__iexact=email)
    return query


def _export_notifications(user):
    return {
        "notifications": list(
            # What the erase below removes, but held rows: a decision not yet released (contest
            # results being reviewed) is staff's draft until it is sent.
            Notification.objects.filter(_theirs(user)).exclude(state=Notification.State.HELD)
            .order_by("created_at", "pk")
            .values("kind", "subject", "body_text", "state", "created_at", "sent_at", "read_at")
        ),
        "preferences": list(NotificationPreference.objects.filter(user=user).values("kind", "email_enabled")),
    }


def _erase_notifications(user):
    Notification.objects.filter(_theirs(user)).delete()
    NotificationPreference.objects.filter(user=user).delete()


personal_data.register("account", export=_export_account, erase=_erase_account, order=0)
# Before the account (order 0), which deletes the verified addresses the rows are matched on.
personal_data.register("notifications", export=_export_notifications, erase=_erase_notifications, order=-1)
personal_data.describe(
    "account", position=0, title=_("Your account and profile"),
    holds=_("Your e-mail addresses, your name, your password (hashed, never readable), your language, and the profile "
            "the services ask for: organisation, job title, audience, region, company size."),
    purpose=_("To log you in, to write to you, and to check that a service is open to you (a trip's audience, the "
              "contest's eligibility)."),
    retention=lambda: _("As long as your account exists. An account whose address was never confirmed is deleted "
                        "%(days)s days after sign-up; expired sessions are deleted every day.")
    % {"days": settings.PORTAL_UNVERIFIED_ACCOUNT_RETENTION_DAYS},
)
personal_data.describe(
    "notifications", position=90, title=_("Messages sent to you"),
    holds=_("The e-mails and in-app messages sent to you, and your notification preferences."),
    purpose=_("To show you what was sent to you, to prove it was delivered, and to respect your choices."),
    retention=lambda: _("%(days)s days after sending, then deleted by a daily job; preferences as long as your account exists.")
    % {"days": settings.PORTAL_NOTIFICATION_RETENTION_DAYS},
)
