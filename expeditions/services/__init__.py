"""Every write of the expeditions app. The capacity rules are stated once, in :mod:`expeditions.services.core`."""
from expeditions.services.core import RegistrationError
from expeditions.services.groups import (
    Colleague,
    group_details_reminders_send,
    group_member_accept,
    group_member_cancel,
    group_member_substitute,
    group_offer_respond,
    group_register,
    registration_invitee,
)
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
        "cancellation_requested_at", "payment", "sensitive_data_purged_at", "created_at", "group", "invited_email",
        "group_token", "accepted_at",
    },
    "expeditions.GroupRegistration": {"expedition", "organisation", "contact", "mode", "details_due_at"},
}

__all__ = [
    "Colleague", "group_details_reminders_send", "group_member_accept", "group_member_cancel", "group_member_substitute", "group_offer_respond",
    "group_register", "registration_invitee",
    "SERVICE_OWNED_FIELDS", "RegistrationError", "calendar_feed_for", "calendar_feed_regenerate",
    "expedition_cancel", "expedition_change_capacity", "expedition_change_status", "expedition_message_registrants",
    "expeditions_purge_sensitive_data", "expeditions_resync_counters", "expeditions_sweep", "registration_after_delete",
    "registration_cancel", "registration_confirm",
    "registration_create", "registration_offer_accept", "registration_offer_decline", "registration_offer_place",
    "registration_refuse", "registration_request_cancellation",
    "registration_set_payment", "registrations_erase_for_user",
]
