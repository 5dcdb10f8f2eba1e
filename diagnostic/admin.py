"""Staff's workplace for the diagnostic.

- A version's structure (dimensions → questions → options, and its bands) is edited only
  while it is a draft; published and retired versions are read-only everywhere (what past
  answers refer to). "Duplicate as a new draft" and "publish" call the services; publishing
  shows what will happen first.
- Responses and barometer snapshots are read-only; contact requests are worked on (expert,
  status, note), closed through the service.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from diagnostic import rules, services
from diagnostic.models import (
    Band,
    ContactRequest,
    ContactStatus,
    Dimension,
    DimensionResult,
    Expert,
    Option,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RecommendationKind,
    RecommendationRule,
    Response,
    Snapshot,
    VersionStatus,
)
from diagnostic.resources import ContactRequestResource, RecommendationRuleResource, ResponseResource
from diagnostic.services import DiagnosticError
from diagnostic.validators import version_problems
from portal.exports import PortalImportExportMixin, StreamedExportMixin


class _LockedWhenPublished:
    """Read-only once the version is published or retired (``rules.version_is_editable``)."""

    def _version_of(self, obj):
        return obj

    def _editable(self, obj) -> bool:
        return obj is None or rules.version_is_editable(self._version_of(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)


class _LockedInline(TranslationTabularInline):
    extra = 0

    def _editable(self, parent) -> bool:
        version = parent if isinstance(parent, QuestionnaireVersion) else getattr(parent, "version", None)
        if version is None and isinstance(parent, Question):
            version = parent.dimension.version
        return parent is None or rules.version_is_editable(version)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(TranslationAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ("title",)}


class DimensionInline(_LockedInline):
    model = Dimension
    fields = ["position", "code", "title", "description", "edit_link"]
    readonly_fields = ["edit_link"]
    ordering = ["position", "pk"]

    @admin.display(description=_("questions"))
    def edit_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:diagnostic_dimension_change", args=[obj.pk]), _("Questions"))


class BandInline(_LockedInline):
    model = Band
    fields = ["code", "min_score", "meaning"]
    ordering = ["min_score"]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(_LockedWhenPublished, admin.ModelAdmin):
    list_display = ["questionnaire", "number", "status", "published_at", "responses_count", "preview_link"]
    list_filter = ["status", "questionnaire"]
    list_select_related = ["questionnaire"]
    readonly_fields = ["status", "published_at", "created_at", "preview_link", "problems"]
    fields = ["questionnaire", "number", "estimated_minutes", "notes", "status", "published_at", "created_at", "problems", "preview_link"]
    inlines = [DimensionInline, BandInline]
    actions = ["duplicate_as_draft", "publish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(responses_n=Count("responses"))

    def has_change_permission(self, request, obj=None):
        # Staff notes stay editable; the structure is locked by the inlines.
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not rules.version_is_editable(obj):
            fields += ["questionnaire", "number", "estimated_minutes"]
        return fields

    @admin.display(description=_("responses"), ordering="responses_n")
    def responses_count(self, obj):
        return getattr(obj, "responses_n", 0)

    @admin.display(description=_("preview as a respondent"))
    def preview_link(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("diagnostic:preview", args=[obj.pk]), _("Preview"))

    @admin.display(description=_("before publishing"))
    def problems(self, obj):
        if not obj or not obj.pk or obj.status != VersionStatus.DRAFT:
            return "—"
        found = version_problems(obj)
        return format_html_join("", "<p>{}</p>", ((p,) for p in found)) if found else _("Ready to publish.")

    @admin.action(description=_("Duplicate as a new draft"), permissions=["add"])
    def duplicate_as_draft(self, request, queryset):
        for version in queryset:
            draft = services.version_duplicate(version=version)
            self.message_user(request, _("Draft version %(number)s created.") % {"number": draft.number})

    @admin.action(description=_("Publish the selected draft"), permissions=["change"])
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one draft to publish."), messages.WARNING)
            return None
        version = queryset.select_related("questionnaire").get()
        current = QuestionnaireVersion.objects.filter(questionnaire=version.questionnaire, status=VersionStatus.PUBLISHED).first()
        if "confirm" in request.POST:
            try:
                services.version_publish(version=version)
            except DiagnosticError as error:
                self.message_user(request, error.message, messages.ERROR)
                return None
            self.log_change(request, version, "published")
            self.message_user(request, _("Version %(number)s is published.") % {"number": version.number})
            return None
        return TemplateResponse(request, "admin/diagnostic/publish_confirm.html", {
            **self.admin_site.each_context(request), "title": _("Publish a questionnaire version"),
            "version": version, "current": current, "problems": version_problems(version) if version.status == VersionStatus.DRAFT else [],
            "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class QuestionInline(_LockedInline):
    model = Question
    fields = ["position", "code", "text", "kind", "required", "edit_link"]
    readonly_fields = ["edit_link"]
    ordering = ["position", "pk"]

    @admin.display(description=_("options"))
    def edit_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:diagnostic_question_change", args=[obj.pk]), _("Options"))


@admin.register(Dimension)
class DimensionAdmin(_LockedWhenPublished, TranslationAdmin):
    list_display = ["title", "code", "version", "position"]
    list_filter = ["version__questionnaire", "version", "code"]
    list_select_related = ["version__questionnaire"]
    fields = ["version", "code", "position", "title", "description"]
    inlines = [QuestionInline]

    def _version_of(self, obj):
        return obj.version

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj is not None else []


class OptionInline(_LockedInline):
    model = Option
    fields = ["position", "code", "label", "points", "exclusive"]
    ordering = ["position", "pk"]


@admin.register(Question)
class QuestionAdmin(_LockedWhenPublished, TranslationAdmin):
    list_display = ["text", "code", "kind", "dimension", "position"]
    list_filter = ["dimension__version", "kind", "dimension__code"]
    list_select_related = ["dimension__version__questionnaire"]
    search_fields = ["text", "code"]
    fields = ["dimension", "code", "position", "text", "hint", "kind", "required"]
    inlines = [OptionInline]

    def _version_of(self, obj):
        return obj.dimension.version

    def get_readonly_fields(self, request, obj=None):
        return ["dimension"] if obj is not None else []


@admin.register(RecommendationRule)
class RecommendationRuleAdmin(PortalImportExportMixin, TranslationAdmin):
    resource_classes = [RecommendationRuleResource]
    list_display = ["dimension", "band", "kind", "target", "when_answer", "position", "is_active"]
    list_filter = ["dimension", "band", "kind", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["key", "url", "title", "text", "when_answer"]
    fields = ["dimension", "band", "when_answer", "kind", "key", "url", "title", "text", "position", "is_active"]

    def changelist_view(self, request, extra_context=None):
        # MOOC modules' titles for the whole list in one query (not one per row)
        from mooc.selectors import module_labels

        keys = RecommendationRule.objects.filter(kind=RecommendationKind.MOOC_MODULE).values_list("key", flat=True)
        self._module_labels = module_labels(module_ids=[int(k) for k in keys if k.isdigit()])
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("points to"))
    def target(self, obj):
        if obj.kind == RecommendationKind.ADVICE:
            return (obj.text or "")[:60]
        if obj.kind == RecommendationKind.LINK:
            return obj.url
        if obj.kind == RecommendationKind.CONTEST:
            return _("the current edition")
        if obj.kind == RecommendationKind.MOOC_MODULE:
            label = getattr(self, "_module_labels", {}).get(int(obj.key)) if obj.key.isdigit() else None
            return label or f"{obj.key} ({_('not published')})"
        if obj.kind == RecommendationKind.MEASURE:
            return f"#{obj.key}"
        return obj.key


@admin.register(Expert)
class ExpertAdmin(TranslationAdmin):
    list_display = ["name", "organisation", "region_list", "is_active"]
    list_filter = ["is_active", "regions"]
    search_fields = ["name", "organisation", "email"]
    filter_horizontal = ["regions"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions")

    @admin.display(description=_("regions"))
    def region_list(self, obj):
        return ", ".join(r.name for r in obj.regions.all())


class DimensionResultInline(admin.TabularInline):
    model = DimensionResult
    fields = ["code", "score", "band"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(StreamedExportMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [ResponseResource]
    list_display = ["user", "version", "status", "overall_score", "overall_band", "region", "sector", "size_band", "completed_at", "is_demo"]
    list_filter = ["status", "overall_band", "is_demo", "size_band", "sector", "region", "version"]
    list_select_related = ["user", "version__questionnaire", "region"]
    search_fields = ["user__email", "user__last_name"]
    date_hierarchy = "completed_at"
    inlines = [DimensionResultInline]
    readonly_fields = [
        "public_id", "user", "version", "status", "step", "sector", "size_band", "region", "overall_score", "overall_band",
        "is_demo", "started_at", "completed_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactRequest)
class ContactRequestAdmin(StreamedExportMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [ContactRequestResource]
    list_display = ["created_at", "user", "region", "expert", "status", "overall"]
    list_filter = ["status", "region"]
    list_select_related = ["user", "region", "expert", "response"]
    search_fields = ["user__email", "user__last_name", "message"]
    autocomplete_fields = ["expert"]
    readonly_fields = ["user", "response", "region", "phone", "message", "consent_to_share", "created_at", "closed_at", "scores"]
    fields = ["user", "region", "phone", "message", "consent_to_share", "created_at", "scores", "expert", "status", "staff_note", "closed_at"]
    actions = ["close_requests"]
    service_routed_fields = frozenset({"status"})  # closing goes through contact_request_close (save_model)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("overall score"))
    def overall(self, obj):
        return obj.response.overall_score

    @admin.display(description=_("result shared with consent"))
    def scores(self, obj):
        rows = obj.response.dimension_results.order_by("position")
        return format_html_join("", "<p>{}: {} ({})</p>", ((r.get_code_display(), r.score, r.get_band_display()) for r in rows))

    def save_model(self, request, obj, form, change):
        closing = change and form.cleaned_data.get("status") == ContactStatus.CLOSED and "status" in form.changed_data
        if closing:
            obj.status = ContactRequest.objects.get(pk=obj.pk).status  # the service closes it
        super().save_model(request, obj, form, change)
        if closing:
            services.contact_request_close(request_id=obj.pk)

    @admin.action(description=_("Close the selected requests"), permissions=["change"])
    def close_requests(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            services.contact_request_close(request_id=pk)
        self.message_user(request, _("Requests closed."))


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["quarter", "respondents", "published", "computed_at", "public_link"]
    readonly_fields = ["quarter", "starts_on", "ends_on", "respondents", "published", "threshold", "computed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # frozen: the published figures never change

    @admin.display(description=_("public page"))
    def public_link(self, obj):
        return format_html('<a href="{}?quarter={}">{}</a>', reverse("diagnostic:barometer"), obj.quarter, _("See"))
