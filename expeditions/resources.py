"""Import/export of expeditions and participants, on the portal's export base."""

from django.core.exceptions import ValidationError
from import_export import fields
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from expeditions import rules, services
from expeditions.models import Destination, Expedition, Registration, Tag
from portal.exports import PortalResource, ReadableExportResource
from portal.models import Audience, Partner


class ExpeditionResource(PortalResource):
    """Expeditions by slug; destination by its slug, audiences by code, partners by slug.

    ``capacity`` and ``status`` belong to the services: a new trip takes them as given; for an
    existing one they are checked in the preview by the same rules (a capacity below the places
    held, a status change the trip cannot make: the row's error) and applied by the services —
    a raised capacity offers the new places, "cancelled" cancels every registration.
    """

    service_routed_fields = frozenset({"capacity", "status"})

    destination = fields.Field(attribute="destination", column_name="destination",
                               widget=ForeignKeyWidget(Destination, field="slug"))
    audiences = fields.Field(attribute="audiences", column_name="audiences",
                             widget=ManyToManyWidget(Audience, field="code", separator="|"))
    partners = fields.Field(attribute="partners", column_name="partners",
                            widget=ManyToManyWidget(Partner, field="slug", separator="|"))
    tags = fields.Field(attribute="tags", column_name="tags", widget=ManyToManyWidget(Tag, field="slug", separator="|"))

    class Meta:
        model = Expedition
        import_id_fields = ("slug",)
        fields = (
            "slug", "destination", "city", "time_zone", "title_fr", "title_en", "summary_fr", "summary_en",
            "starts_on", "ends_on", "registration_opens_at", "registration_closes_at", "price_cents",
            "price_includes_fr", "price_includes_en", "capacity", "audiences", "language", "organiser_name",
            "organiser_email", "organiser_phone", "partners", "status", "requires_approval", "offer_hours",
            "cancellation_cutoff", "purge_after_days", "tags",
        )
        export_order = fields

    def import_instance(self, instance, row, **kwargs):
        """Fields other than capacity and status as usual; those two, for an existing trip, are
        kept aside (``_service_changes``) and checked against the rules now, for the preview."""
        current = Expedition.objects.filter(pk=instance.pk).first() if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        instance._service_changes = {}
        if current is None:
            return
        errors = {}
        for name in self.service_routed_fields:
            wanted = getattr(instance, name)
            setattr(instance, name, getattr(current, name))  # never written by the import itself
            if wanted == getattr(current, name) or wanted in (None, ""):
                continue
            refusal = (rules.capacity_change_refusal(current, wanted) if name == "capacity"
                       else rules.status_change_refusal(current, wanted))
            if refusal:
                errors[name] = refusal
            else:
                instance._service_changes[name] = wanted
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if getattr(instance, "_service_changes", None):
            return False
        return super().skip_row(instance, original, row, import_validation_errors=import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        changes = getattr(instance, "_service_changes", {})
        try:
            if "capacity" in changes:
                services.expedition_change_capacity(expedition_id=instance.pk, capacity=changes["capacity"])
            if "status" in changes:
                services.expedition_change_status(expedition_id=instance.pk, status=changes["status"])
        except services.RegistrationError as error:  # changed since the preview: the row's error
            raise ValidationError({"capacity" if error.code == "capacity" else "status": error.message}) from None


class ParticipantResource(ReadableExportResource):
    """The participants list staff download (CSV/XLSX); export only: readable headers and values."""

    import_allowed = False

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

    def filter_export(self, queryset, **kwargs):
        """The columns this file shows and nothing else: 200,000 rows are read as they are written
        (portal.exports.stream_csv), and a whole trip or account per row would be built for nothing."""
        related = ["expedition__slug", "user__email", "user__last_name", "user__first_name", "user__profile__organisation",
                   "user__profile__job_title", "user__profile__audience__code", "user__profile__region__code"]
        own = [name for name in self._meta.fields if name not in {f.split("__")[0] for f in related}
               and name not in ("last_name", "first_name", "email", "organisation", "job_title", "audience", "region")]
        return (super().filter_export(queryset, **kwargs)
                .select_related("expedition", "user__profile__audience", "user__profile__region")
                .only(*own, *related))
