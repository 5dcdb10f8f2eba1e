"""Every write of the expeditions app. The capacity rules are stated once, in :mod:`expeditions.services.core`."""
from expeditions.services.core import RegistrationError
from expeditions.services.periodic import expeditions_purge_sensitive_data, expeditions_sweep
from expeditions.services.personal import calendar_feed_for, calendar_feed_regenerate, registrations_erase_for_user
from expeditions.services.registration import (
    expedition_cancel,
    expedition_change_capacity,
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

__all__ = [
    "RegistrationError", "calendar_feed_for", "calendar_feed_regenerate",
    "expedition_cancel", "expedition_change_capacity", "expedition_message_registrants", "expeditions_purge_sensitive_data",
    "expeditions_resync_counters", "expeditions_sweep", "registration_after_delete", "registration_cancel", "registration_confirm",
    "registration_create", "registration_offer_accept", "registration_offer_decline", "registration_offer_place",
    "registration_refuse", "registration_request_cancellation",
    "registration_set_payment", "registrations_erase_for_user",
]
