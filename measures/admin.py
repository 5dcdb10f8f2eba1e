"""Staff's workplace for the measures.

Status and progress are read-only on the measure form: they change only by publishing an
update (inline on the measure, or the "measure update" add page, or an import), and each of
those paths calls ``services.measure_update_publish`` exactly once per new update.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from measures import services
from measures.models import (
    Follow,
    Measure,
    MeasureUpdate,
    Milestone,
    Origin,
    ProgressMode,
    RelatedLink,
    Support,
    UpdateLink,
)
from measures.resources import MeasureResource, MeasureUpdateResource, OriginResource
from portal.exports import PortalImportExportMixin
from portal.history import HistoryAdmin
from portal.ownership import OwnedFieldsAdminMixin


@admin.register(Origin)
class OriginAdmin(PortalImportExportMixin, HistoryAdmin, TranslationAdmin):
    resource_classes = [OriginResource]
    list_display = ["name", "code", "theme", "position"]
    search_fields = ["name", "code", "theme"]


class MilestoneFormSet(forms.BaseInlineFormSet):
    """In milestone mode the weights of the (kept) milestones must add up to exactly 100 %."""

    def clean(self):
        super().clean()
        weights = [
            form.cleaned_data.get("weight") or 0
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        error = services.milestone_weights_error(mode=self.instance.progress_mode, weights=weights)
        if error:
            raise forms.ValidationError(error)


class MilestoneInline(TranslationTabularInline):
    model = Milestone
    formset = MilestoneFormSet
    extra = 0
    fields = ["position", "title", "weight", "done"]


URL_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class RelatedLinkInline(TranslationTabularInline):
    model = RelatedLink
    formfield_overrides = URL_HTTPS
    extra = 0
    fields = ["position", "label", "url", "kind", "key"]


class MeasureUpdateAdminForm(forms.ModelForm):
    """Refuses, with a clear message, what the publishing service would refuse."""

    class Meta:
        model = MeasureUpdate
        fields = ["measure", "published_on", "title", "text", "status_after", "progress_after"]

    def clean(self):
        data = super().clean()
        measure = data.get("measure") or (self.instance.measure if self.instance.measure_id else None)
        progress = data.get("progress_after")
        if measure is not None and progress is not None and measure.progress_mode == ProgressMode.MILESTONES and not self.instance.pk:
            self.add_error(
                "progress_after", _("This measure's progress is computed from its milestones: leave it empty.")
            )
        return data


class MeasureUpdateAddFormSet(forms.BaseInlineFormSet):
    """Checks against the measure as posted (its progress mode may change in the same save)."""

    def clean(self):
        super().clean()
        if self.instance.progress_mode != ProgressMode.MILESTONES:
            return
        for form in self.forms:
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("progress_after") is not None:
                form.add_error(
                    "progress_after", _("This measure's progress is computed from its milestones: leave it empty.")
                )


class MeasureUpdateAddInline(TranslationStackedInline):
    """A blank form to publish a new update from the measure page (through the service)."""

    model = MeasureUpdate
    formset = MeasureUpdateAddFormSet
    extra = 1
    can_delete = False
    verbose_name = _("new update to publish")
    verbose_name_plural = _("publish an update")
    fields = ["published_on", "title", "text", "status_after", "progress_after"]

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class MeasureUpdateTimelineInline(admin.TabularInline):
    model = MeasureUpdate
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("published update")
    verbose_name_plural = _("timeline")
    fields = ["published_on", "title", "status_before", "status_after", "progress_before", "progress_after", "published_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("published_by")


@admin.register(Measure)
class MeasureAdmin(OwnedFieldsAdminMixin, PortalImportExportMixin, HistoryAdmin, TranslationAdmin):
    resource_classes = [MeasureResource]
    list_display = ["number", "short_title", "origin", "status", "progress", "progress_mode", "supporters", "updated_at"]
    list_display_links = ["number", "short_title"]
    list_filter = ["origin", "status", "progress_mode"]
    search_fields = ["short_title", "full_text", "responsible_organisations"]
    list_select_related = ["origin"]
    ordering = ["number"]
    readonly_fields = ["status", "progress"]
    fields = [
        "number",
        "origin",
        "short_title",
        "full_text",
        "responsible_organisations",
        "status",
        "progress",
        "progress_mode",
    ]
    inlines = [MilestoneInline, RelatedLinkInline, MeasureUpdateAddInline, MeasureUpdateTimelineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            supporters_total=Count("supports", filter=Q(supports__active=True), distinct=True)
        )

    @admin.display(description=_("supporters"), ordering="supporters_total")
    def supporters(self, obj):
        return obj.supporters_total

    def save_formset(self, request, form, formset, change):
        if formset.model is MeasureUpdate:
            # New updates are published by the one service, once each; never saved directly.
            for update in formset.save(commit=False):
                if update.pk is None:
                    services.measure_update_publish(update=update, by=request.user)
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        # Milestones first (inline order), then new updates; then the computed progress.
        super().save_related(request, form, formsets, change)
        services.measure_progress_recompute(measure=form.instance)


class UpdateLinkInline(TranslationTabularInline):
    model = UpdateLink
    formfield_overrides = URL_HTTPS
    extra = 1
    fields = ["label", "url"]


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(OwnedFieldsAdminMixin, PortalImportExportMixin, HistoryAdmin, TranslationAdmin):
    resource_classes = [MeasureUpdateResource]
    form = MeasureUpdateAdminForm
    list_display = ["measure", "published_on", "title", "status_before", "status_after", "progress_before", "progress_after", "published_by"]
    list_filter = ["status_after", "measure__origin"]
    search_fields = ["title", "text", "measure__short_title"]
    list_select_related = ["measure", "published_by"]
    date_hierarchy = "published_on"
    inlines = [UpdateLinkInline]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["measure", "published_on", "title", "text", "status_after", "progress_after"]
        return ["measure", "published_on", "title", "text", "status_before", "status_after", "progress_before", "progress_after", "published_by", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Once published, only the wording and date can be corrected: the change it made stays.
        return ["measure", "status_before", "status_after", "progress_before", "progress_after", "published_by", "published_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)  # only what the form edits
        else:
            services.measure_update_publish(update=obj, by=request.user)


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["measure", "user", "active", "created_at", "withdrawn_at"]
    list_filter = ["active", "measure"]
    search_fields = ["user__email"]
    list_select_related = ["measure", "user"]
    readonly_fields = ["measure", "user", "active", "created_at", "withdrawn_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["measure", "user", "frequency", "created_at"]
    list_filter = ["frequency", "measure"]
    search_fields = ["user__email"]
    list_select_related = ["measure", "user"]
    readonly_fields = ["measure", "user", "frequency", "created_at"]

    def has_add_permission(self, request):
        return False
