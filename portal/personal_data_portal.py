"""The shared kernel's own entries in the personal-data registry."""

from allauth.account.models import EmailAddress
from django.db.models import Q

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
