"""Import/export of the contest through the portal's export base."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget, IntegerWidget

from contests.models import Edition, Juror, Submission
from portal.exports import PortalResource

# Who gets which pack
# -------------------
# The full export names the company (legal name, SIRET, region, headcount) and the team: it is
# the staff's working file for eligibility checks and deliberation, exported from the admin only
# (staff status and the "view submission" permission, IMPORT_EXPORT_EXPORT_PERMISSION_CODE).
# A pack meant for jurors is the anonymised one when the review is anonymised: jurors download it
# themselves from their jury space (their own projects only), and staff who send a pack by other
# means pick "anonymised" in the admin's export form.

PROJECT_FIELDS = (
    "stage", "state", "pitch", "description", "object_function", "connectivity", "data_handled", "target_market",
    "business_model",
)
SUPPORT_FIELDS = ("support_industrialisation", "support_export", "support_funding", "video_url", "submitted_at")


class _JuryPackBase(PortalResource):
    import_allowed = False
    edition = fields.Field(attribute="edition__slug", column_name="edition")
    theme = fields.Field(attribute="theme__name", column_name="theme")

    def filter_export(self, queryset, **kwargs):
        return queryset.exclude(state="draft").select_related("edition", "theme", "company__region")


class SubmissionJuryPackResource(_JuryPackBase):
    """Staff export: one row per submitted project (no drafts), with the company and the team."""

    company = fields.Field(attribute="company__legal_name", column_name="company")
    siret = fields.Field(attribute="company__siret", column_name="siret")
    region = fields.Field(attribute="company__region__name", column_name="region")
    headcount = fields.Field(attribute="company__headcount", column_name="headcount", widget=IntegerWidget())  # a number in XLSX

    class Meta:
        model = Submission
        name = _("Projects with their companies (staff only)")
        fields = (
            "id", "edition", "theme", "title", "company", "siret", "region", "headcount", *PROJECT_FIELDS,
            "team_members", *SUPPORT_FIELDS,
        )
        export_order = fields


class AnonymisedJuryPackResource(_JuryPackBase):
    """The jury pack of an anonymised review: the project only — no company, region, team or author."""

    class Meta:
        model = Submission
        name = _("Anonymised jury pack")
        fields = ("id", "edition", "theme", "title", *PROJECT_FIELDS, *SUPPORT_FIELDS)
        export_order = fields


class NamedJuryPackResource(_JuryPackBase):
    """The jury pack of a review that is not anonymised: what the juror's review page shows
    (company name, region, team), never the SIRET or the figures of the eligibility check."""

    company = fields.Field(attribute="company__legal_name", column_name="company")
    region = fields.Field(attribute="company__region__name", column_name="region")

    class Meta:
        model = Submission
        name = _("Jury pack with company names")
        fields = ("id", "edition", "theme", "title", "company", "region", *PROJECT_FIELDS, "team_members", *SUPPORT_FIELDS)
        export_order = fields


def jury_pack_resource_for(edition: Edition) -> type[PortalResource]:
    """The pack a juror of this edition may hold."""
    return AnonymisedJuryPackResource if edition.anonymised_review else NamedJuryPackResource


class JurorResource(PortalResource):
    """Import jurors (edition slug, e-mail, name): each new juror is added, and invited, by
    ``juror_add`` once the import is confirmed; an existing juror's row only updates the name."""

    service_routed_fields = frozenset({"edition", "email"})
    edition = fields.Field(attribute="edition", column_name="edition", widget=ForeignKeyWidget(Edition, field="slug"))

    class Meta:
        model = Juror
        fields = ("edition", "email", "name")
        import_id_fields = ("edition", "email")

    def before_import_row(self, row, **kwargs):
        if row.get("email"):
            row["email"] = str(row["email"]).strip().lower()

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create:
            return super().save_instance(instance, is_create, row, **kwargs)
        from contests.services import juror_add

        juror = juror_add(edition=instance.edition, email=instance.email, name=instance.name,
                          invite=not self._is_dry_run(kwargs), by=kwargs.get("user"))
        instance.pk, instance.token, instance._state.adding = juror.pk, juror.token, False
        return None
