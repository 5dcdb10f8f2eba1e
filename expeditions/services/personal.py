"""The personal calendar feed and the erasure of a person's registrations."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from expeditions.models import CalendarFeed, Registration
from expeditions.services.core import (
    S,
    _fill_places,
    _leave_waitlist,
    _locked_registration,
    _move_counters,
)
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
    """Account deletion: free the person's places (passing them on to the waiting list),
    then delete their registrations and their history rows. No notification: the account goes."""
    now = timezone.now()
    for registration_id in Registration.objects.filter(user=user, status__in=Registration.ACTIVE).values_list("pk", flat=True):
        with transaction.atomic():
            expedition, registration = _locked_registration(registration_id=registration_id, user=None)
            held_a_place = registration.status in Registration.HOLDING_A_PLACE
            old_status = registration.status
            if registration.status == S.WAITLISTED:
                _leave_waitlist(registration)
            registration.status, registration.offer_expires_at = S.CANCELLED, None
            registration.save(update_fields=["status", "waitlist_position", "offer_expires_at"])
            _move_counters(expedition.pk, old=old_status, new=S.CANCELLED)
            if held_a_place:
                _fill_places(expedition, now=now)
    Registration.objects.filter(user=user).delete()
    Registration.history.filter(user_id=user.pk).delete()
    CalendarFeed.objects.filter(user=user).delete()
