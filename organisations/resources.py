"""Import/export of organisations through the portal's export base.

Staff import an organisation's identity and billing details (a row is checked like the admin
form: SIRET and VAT checksums, the VAT number's SIREN); members are never imported (nobody
acts for an organisation without accepting an invitation).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from organisations.models import Organisation
from portal.exports import PortalResource
from portal.models import Region


class OrganisationResource(PortalResource):
    region = fields.Field(attribute="region", column_name="region", widget=ForeignKeyWidget(Region, "code"))

    class Meta(PortalResource.Meta):
        model = Organisation
        name = _("Organisations")
        import_id_fields = ("siret",)
        fields = (
            "siret", "legal_name", "vat_number", "legal_form", "billing_address_line1", "billing_address_line2",
            "billing_postal_code", "billing_city", "billing_country", "region", "headcount", "turnover_eur",
            "balance_sheet_eur", "created_on", "independence_declared", "is_demo",
        )
        export_order = fields
