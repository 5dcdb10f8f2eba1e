"""Import/export of expeditions and participants, on the portal's export base."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from expeditions.models import Destination, Expedition, Registration
from portal.exports import PortalResource, ReadableExportResource
from portal.models import Audience, Partner


class ExpeditionResource(PortalResource):
    """Expeditions by slug; destination by its slug, audiences by code, partners by slug."""

    destination = fields.Field(attribute="destination", column_name="destination",
                               widget=ForeignKeyWidget(Destination, field="slug"))
    audiences = fields.Field(attribute="audiences", column_name="audiences",
                             widget=ManyToManyWidget(Audience, field="code", separator="|"))
    partners = fields.Field(attribute="partners", column_name="partners",
                            widget=ManyToManyWidget(Partner, field="slug", separator="|"))

    class Meta:
        model = Expedition
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        fields = (
            "slug", "destination", "city", "time_zone", "title_fr", "title_en", "summary_fr", "summary_en",
            "starts_on", "ends_on", "registration_opens_at", "registration_closes_at", "price_cents",
            "price_includes_fr", "price_includes_en", "capacity", "audiences", "language", "organiser_name",
            "organiser_email", "organiser_phone", "partners", "status", "requires_approval", "offer_hours",
            "cancellation_cutoff", "purge_after_days",
        )
        export_order = fields

    def before_import_row(self, row, **kwargs):
        # A new capacity below the places taken is refused row by row (clear row error).
        slug, capacity = row.get("slug"), row.get("capacity")
        if slug and capacity not in (None, ""):
            from expeditions.selectors import with_availability

            current = with_availability(Expedition.objects.filter(slug=slug)).first()
            if current is not None and int(capacity) < current.places_taken:
                from django.core.exceptions import ValidationError

                raise ValidationError(f"capacity {capacity} < {current.places_taken} places already taken")

    def save_instance(self, instance, is_create, row, **kwargs):
        instance.full_clean(exclude=["audiences", "partners"], validate_unique=False)
        super().save_instance(instance, is_create, row, **kwargs)


class ParticipantResource(ReadableExportResource):
    """The participants list staff download (CSV/XLSX); export only: readable headers and values."""

    expedition = fields.Field(attribute="expedition__slug", column_name="expedition")
    email = fields.Field(attribute="user__email", column_name="email")
    last_name = fields.Field(attribute="user__last_name", column_name="last_name")
    first_name = fields.Field(attribute="user__first_name", column_name="first_name")
    organisation = fields.Field(attribute="user__profile__organisation", column_name="organisation")
    job_title = fields.Field(attribute="user__profile__job_title", column_name="job_title")
    audience = fields.Field(attribute="user__profile__audience__code", column_name="audience")
    region = fields.Field(attribute="user__profile__region__code", column_name="region")

    class Meta:
        model = Registration
        fields = (
            "id", "expedition", "last_name", "first_name", "email", "organisation", "job_title", "audience", "region",
            "status", "waitlist_position", "passport_name", "dietary_needs", "remarks", "share_consent",
            "billing_organisation", "billing_address", "billing_tax_id", "billing_po_reference", "payment", "created_at",
        )
        export_order = fields
