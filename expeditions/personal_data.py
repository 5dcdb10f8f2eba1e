"""The expeditions' entry in the personal-data registry."""

from expeditions.models import CalendarFeed, GroupRegistration, Registration
from expeditions.services import registrations_erase_for_user


def export(user) -> dict:
    return {
        "registrations": list(
            Registration.objects.filter(user=user).order_by("created_at").values(
                "expedition__slug", "expedition__title", "status", "waitlist_position", "offer_expires_at",
                "passport_name", "dietary_needs", "dietary_consent", "remarks", "share_consent",
                "billing_organisation", "billing_address", "billing_tax_id", "billing_po_reference",
                "payment", "cancellation_requested_at", "created_at", "status_changed_at", "sensitive_data_purged_at",
            )
        ),
        "calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
        # Groups registered as contact: the colleagues named, never their own details.
        "groups_registered": [
            {"expedition": g.expedition.slug, "organisation": g.organisation.legal_name, "mode": g.mode,
             "created_at": g.created_at,
             "colleagues": [{"name": r.invited_name, "email": r.invited_email, "status": r.status}
                            for r in g.registrations.all()]}
            for g in GroupRegistration.objects.filter(contact=user).select_related("expedition", "organisation")
            .prefetch_related("registrations")
        ],
    }


def erase(user) -> None:
    registrations_erase_for_user(user=user)
