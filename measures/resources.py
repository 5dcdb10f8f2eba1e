"""Import/export of the measures through the portal's export base."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from measures import services
from measures.models import Measure, MeasureUpdate, Origin
from portal.exports import PortalResource


class OriginResource(PortalResource):
    class Meta:
        model = Origin
        fields = ("id", "code", "name_fr", "name_en", "theme_fr", "theme_en", "position")
        import_id_fields = ("code",)


class MeasureResource(PortalResource):
    """Status and progress are exported but never imported: they change only by publishing an update."""

    origin = fields.Field(attribute="origin", column_name="origin", widget=ForeignKeyWidget(Origin, field="code"))

    class Meta:
        model = Measure
        fields = (
            "number",
            "origin",
            "short_title_fr",
            "short_title_en",
            "full_text_fr",
            "full_text_en",
            "status",
            "progress",
            "progress_mode",
            "responsible_organisations_fr",
            "responsible_organisations_en",
            "updated_at",
        )
        export_order = fields
        import_id_fields = ("number",)
        clean_model_instances = True

    def get_import_fields(self):
        return [f for f in super().get_import_fields() if f.attribute not in {"status", "progress", "updated_at"}]


class MeasureUpdateResource(PortalResource):
    """Updates are imported as new timeline entries, each published through the one service
    (status/progress applied, followers notified); existing rows are never rewritten."""

    measure = fields.Field(attribute="measure", column_name="measure", widget=ForeignKeyWidget(Measure, field="number"))

    class Meta:
        model = MeasureUpdate
        fields = (
            "id",
            "measure",
            "published_on",
            "title_fr",
            "title_en",
            "text_fr",
            "text_en",
            "status_before",
            "status_after",
            "progress_before",
            "progress_after",
            "published_at",
        )
        export_order = fields
        import_id_fields = ("id",)
        clean_model_instances = True
        skip_diff = False

    def get_import_fields(self):
        # status/progress "before" and the publication time are recorded by the service.
        return [f for f in super().get_import_fields() if f.attribute not in {"status_before", "progress_before", "published_at"}]

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create:
            raise ValidationError(_("A published update cannot be replaced by an import: edit it in the admin."))
        self.before_save_instance(instance, row, **kwargs)
        services.measure_update_publish(update=instance, by=kwargs.get("user"))
        self.after_save_instance(instance, row, **kwargs)
