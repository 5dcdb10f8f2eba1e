"""Paid trips and confirmed registrations for the billing tests."""

from decimal import Decimal

from billing.models import TripBilling
from expeditions import services as expedition_services
from tests.expeditions.factories import ExpeditionFactory, participant

VALID_SIRET = "73282932000074"  # SIREN 732 829 320, passes Luhn


def paid_trip(*, price_cents: int = 190000, regime: str = "standard", vat_rate: str = "20.00", **kwargs):
    expedition = ExpeditionFactory(price_cents=price_cents, **kwargs)
    TripBilling.objects.create(expedition=expedition, vat_regime=regime, vat_rate=Decimal(vat_rate))
    return expedition


def register(expedition, user=None, **billing):
    user = user or participant()
    values = {"billing_organisation": "PME Exemple SAS", "billing_address": "12 rue de la Paix\n75002 Paris",
              "billing_tax_id": VALID_SIRET, "billing_po_reference": "BC-2026-17"}
    values.update(billing)
    return expedition_services.registration_create(expedition_id=expedition.pk, user=user, passport_name="DUPONT Marie",
                                                   **values)
