"""The personal calendar feed and the erasure of a person's registrations."""

from __future__ import annotations

from django.db import transaction

from expeditions.models import CalendarFeed, GroupRegistration, Registration
from expeditions.services.registration import registration_cancel
from portal.models import User

# --- Personal calendar feed ---------------------------------------------------------------------------------


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """Revoke the old secret URL by issuing a new token."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


# --- Personal data -------------------------------------------------------------------------------------------


def registrations_erase_for_user(*, user: User) -> None:
    """Account deletion: each active registration is cancelled through :func:`registration_cancel`
    (its place passes to the waiting list, the next person is told; the person is not), then
    the person's registrations and every history row of them are deleted."""
    with transaction.atomic():
        for registration_id in Registration.objects.filter(user=user, status__in=Registration.ACTIVE).values_list("pk", flat=True):
            registration_cancel(registration_id=registration_id, user=user, account_erased=True)
        Registration.objects.filter(user=user).delete()
        Registration.history.filter(user_id=user.pk).delete()
        CalendarFeed.objects.filter(user=user).delete()
        # Groups the person registered as contact stay for the colleagues in them, without the contact.
        GroupRegistration.objects.filter(contact=user).update(contact=None)
        GroupRegistration.history.filter(contact_id=user.pk).update(contact_id=None)
