"""The seller's legal details must be real in production (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def seller_identity_check(app_configs=None, **kwargs) -> list[Warning]:
    mark = settings.BILLING_PLACEHOLDER_MARK
    seller = settings.BILLING_SELLER
    placeholders = sorted(k for k, v in seller.items() if mark in v or (k in ("siren", "vat_number") and set(v) <= set("FR0")))
    if placeholders:
        return [Warning(
            "Invoices would print placeholder legal details for the seller: " + ", ".join(placeholders) + ".",
            hint="Set the BILLING_SELLER_* variables (name, legal form, address, SIREN, RCS, VAT number).",
            id="billing.W001",
        )]
    return []
