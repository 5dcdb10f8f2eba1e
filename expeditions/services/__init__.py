"""Every write of the expeditions app.

Capacity rules (the one door, after pretix's locking doc):
1. Everything that takes or frees a place runs in ``transaction.atomic()`` and first locks
   the expedition row with ``select_for_update()`` (:func:`_lock_expedition`), once, before
   it counts anything.
2. Places taken = confirmed + pending approval + offered. They never exceed capacity.
3. The waiting list is first come, first served; positions are 1..n without gaps (a newcomer
   gets n + 1 under the lock; whoever leaves shifts the ones behind by one).
4. When a place frees (cancellation, refusal, expired or declined offer, capacity raised),
   :func:`_fill_places` offers it to the head of the list with a deadline stored in the row.
5. Deadlines are acted on by the periodic sweep and also whenever a locked service reads
   the expedition (expired offers are expired first).
Every status change goes through :func:`_transition`, which checks the transition, saves
and queues the notification in the same transaction.
"""
from expeditions.services.core import LOCKING, RegistrationError, locking_switched_off_for_tests
from expeditions.services.periodic import expeditions_purge_sensitive_data, expeditions_sweep
from expeditions.services.personal import calendar_feed_for, calendar_feed_regenerate, registrations_erase_for_user
from expeditions.services.registration import (
    expedition_cancel,
    expedition_change_capacity,
    expedition_change_status,
    expedition_message_registrants,
    expeditions_resync_counters,
    registration_after_delete,
    registration_cancel,
    registration_confirm,
    registration_create,
    registration_offer_accept,
    registration_offer_decline,
    registration_offer_place,
    registration_refuse,
    registration_request_cancellation,
    registration_set_payment,
)

# Fields only these services write (portal.ownership): read-only in the admin, never imported
# as such (the expeditions import routes capacity and status through the services).
SERVICE_OWNED_FIELDS = {
    "expeditions.Expedition": {"capacity", "status", "places_held", "waitlist_length"},
    "expeditions.Registration": {
        "expedition", "user", "status", "waitlist_position", "offer_expires_at", "status_changed_at",
        "cancellation_requested_at", "payment", "sensitive_data_purged_at", "created_at",
    },
}

__all__ = [
    "SERVICE_OWNED_FIELDS", "LOCKING", "RegistrationError", "calendar_feed_for", "calendar_feed_regenerate",
    "expedition_cancel", "expedition_change_capacity", "expedition_change_status", "expedition_message_registrants", "expeditions_purge_sensitive_data",
    "expeditions_resync_counters", "expeditions_sweep", "locking_switched_off_for_tests", "registration_after_delete", "registration_cancel", "registration_confirm",
    "registration_create", "registration_offer_accept", "registration_offer_decline", "registration_offer_place",
    "registration_refuse", "registration_request_cancellation",
    "registration_set_payment", "registrations_erase_for_user",
]
