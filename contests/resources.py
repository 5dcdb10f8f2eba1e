"""Import/export of the contest through the portal's export base."""

from __future__ import annotations

from import_export import fields
from import_export.widgets import ForeignKeyWidget

from contests.models import Edition, Juror, Submission
from portal.exports import PortalResource


class SubmissionJuryPackResource(PortalResource):
    """The jury pack: one row per submitted project (no drafts), what the jury needs to read."""

    edition = fields.Field(attribute="edition__slug", column_name="edition")
    theme = fields.Field(attribute="theme__name", column_name="theme")
    company = fields.Field(attribute="company__legal_name", column_name="company")
    siret = fields.Field(attribute="company__siret", column_name="siret")
    region = fields.Field(attribute="company__region__name", column_name="region")
    headcount = fields.Field(attribute="company__headcount", column_name="headcount")

    class Meta:
        model = Submission
        fields = (
            "id", "edition", "theme", "title", "company", "siret", "region", "headcount", "stage", "state", "pitch",
            "description", "object_function", "connectivity", "data_handled", "target_market", "business_model",
            "team_members", "support_industrialisation", "support_export", "support_funding", "video_url", "submitted_at",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.exclude(state="draft").select_related("edition", "theme", "company__region")


class JurorResource(PortalResource):
    """Import jurors (edition slug, e-mail, name); each new juror gets the invitation e-mail after the real import."""

    edition = fields.Field(attribute="edition", column_name="edition", widget=ForeignKeyWidget(Edition, field="slug"))

    class Meta:
        model = Juror
        fields = ("edition", "email", "name")
        import_id_fields = ("edition", "email")
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        if row.get("email"):
            row["email"] = str(row["email"]).strip().lower()

    def after_save_instance(self, instance, row, **kwargs):
        if self._is_dry_run(kwargs) or instance.invited_at:
            return
        from contests.services import juror_invite

        juror_invite(edition=instance.edition, email=instance.email, name=instance.name)
