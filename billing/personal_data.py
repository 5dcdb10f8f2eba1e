"""Billing's entry in the personal-data registry: invoices are kept, quotes erased."""

from billing.models import Document
from billing.services import documents_release_user


def export(user) -> dict:
    return {
        "documents": list(
            Document.objects.filter(user=user).order_by("issued_at").values(
                "kind", "number", "issue_date", "expedition__title", "buyer_name", "buyer_address", "buyer_siren",
                "buyer_vat_number", "purchase_order", "total_excl_vat_cents", "total_vat_cents", "total_incl_vat_cents",
                "paid_on",
            )
        ),
    }


def erase(user) -> None:
    documents_release_user(user=user)
