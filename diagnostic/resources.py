"""Import/export of the diagnostic, on the portal's formula-safe export base."""

from import_export import fields

from diagnostic.models import ContactRequest, DimensionCode, RecommendationRule, Response
from portal.exports import PortalResource


class RecommendationRuleResource(PortalResource):
    """Rules staff can prepare in a spreadsheet and import (previewed before writing)."""

    class Meta:
        model = RecommendationRule
        skip_unchanged = True
        report_skipped = True
        fields = (
            "id", "dimension", "band", "when_answer", "kind", "key", "url", "title_fr", "title_en", "text_fr", "text_en",
            "position", "is_active",
        )
        export_order = fields

    def before_save_instance(self, instance, row, **kwargs):
        instance.full_clean()


class ResponseResource(PortalResource):
    """Results for analysis: no name, no e-mail (the contact requests carry those). Export only."""

    import_allowed = False

    version = fields.Field(attribute="version__number", column_name="version")
    region = fields.Field(attribute="region__code", column_name="region")

    class Meta:
        model = Response
        fields = ("public_id", "version", "status", "started_at", "completed_at", "sector", "size_band", "region",
                  "overall_score", "overall_band", "is_demo")
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        return [*super().get_export_headers(selected_fields), *DimensionCode.values]

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields, **kwargs)
        scores = {r.code: r.score for r in instance.dimension_results.all()}
        return [*row, *(scores.get(code, "") for code in DimensionCode.values)]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("version", "region").prefetch_related("dimension_results")


class ContactRequestResource(PortalResource):
    import_allowed = False  # export only
    email = fields.Field(attribute="user__email", column_name="email")
    first_name = fields.Field(attribute="user__first_name", column_name="first_name")
    last_name = fields.Field(attribute="user__last_name", column_name="last_name")
    region = fields.Field(attribute="region__code", column_name="region")
    expert = fields.Field(attribute="expert__name", column_name="expert")
    overall_score = fields.Field(attribute="response__overall_score", column_name="overall_score")

    class Meta:
        model = ContactRequest
        fields = ("created_at", "email", "first_name", "last_name", "phone", "region", "expert", "status", "message",
                  "overall_score", "staff_note", "closed_at")
        export_order = fields
