"""The staff's workplace. Every state change goes through contests.services (logged)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from contests import rules, services
from contests.models import (
    Assignment,
    Company,
    Conflict,
    Criterion,
    Edition,
    EditionTheme,
    Juror,
    ResultsPublication,
    Review,
    Score,
    Submission,
    SubmissionState,
    SubmissionStateChange,
    SubmissionVersion,
    Theme,
)
from contests.resources import (
    AnonymisedJuryPackResource,
    JurorResource,
    NamedJuryPackResource,
    SubmissionJuryPackResource,
)
from organisations.admin import MembershipAdminMixin, MembershipInline
from portal.admin_actions import confirmed_action
from portal.exports import PortalImportExportMixin
from portal.history import HistoryAdmin
from portal.ownership import OwnedFieldsAdminMixin


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]


class EditionThemeInline(TranslationTabularInline):
    model = EditionTheme
    extra = 0
    autocomplete_fields = ["theme"]


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0


@admin.register(Edition)
class EditionAdmin(OwnedFieldsAdminMixin, HistoryAdmin, TranslationAdmin):
    list_display = ["title", "slug", "opens_at", "closes_at", "results_on", "phase_label", "is_visible", "is_demo"]
    list_filter = ["is_visible", "is_demo"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["partners"]
    inlines = [EditionThemeInline, CriterionInline]
    readonly_fields = ["ranking_link", "deliberation_started_at", "published_at", "archived_at"]
    # Results are published from the ranking page, in two steps (prepare, read, release): never
    # by one click on a list of editions.
    actions = ["assign_jurors", "start_deliberation", "archive"]

    @admin.display(description=_("phase"))
    def phase_label(self, obj):
        return obj.get_phase_display()

    @admin.display(description=_("ranking and deliberation"))
    def ranking_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("contests:ranking", args=[obj.slug]),
                           _("Open the ranking page (decisions and publication of the results)"))

    def _run(self, request, queryset, fn, done):
        for edition in queryset:
            try:
                fn(edition)
            except ValidationError as exc:
                self.message_user(request, f"{edition}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{edition}: {done}", messages.SUCCESS)

    @admin.action(description=_("Assign jurors automatically (balanced per theme)"), permissions=["change"])
    def assign_jurors(self, request, queryset):
        self._run(request, queryset, lambda e: services.assignments_auto_balance(edition=e), _("assignments done"))

    @confirmed_action(description=_("Start the deliberation"), consequences=lambda a, qs: [
        _("The jury's reviews become final: jurors can no longer write, change or withdraw from a review."),
        _("Staff then take the decisions on the ranking page and prepare the publication."),
    ])
    def start_deliberation(self, request, queryset):
        self._run(request, queryset, lambda e: services.edition_start_deliberation(edition=e, by=request.user), _("deliberation started"))

    @confirmed_action(description=_("Archive"), consequences=lambda a, qs: [
        _("The edition leaves the contest page and moves to the archive, with its laureates."),
    ])
    def archive(self, request, queryset):
        self._run(request, queryset, lambda e: services.edition_archive(edition=e, by=request.user), _("archived"))


@admin.register(Company)
class CompanyAdmin(MembershipAdminMixin, OwnedFieldsAdminMixin, HistoryAdmin):
    """The contest's view of organisations (the same rows as Organisations), with its size figures;
    adding a member here is ``member_add_by_staff``: a juror who joins is in conflict with the company."""

    list_display = ["legal_name", "siret", "region", "headcount", "independence_declared", "is_demo"]
    list_filter = ["region", "is_demo"]
    search_fields = ["legal_name", "siret"]
    list_select_related = ["region"]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]


class StateChangeInline(admin.TabularInline):
    model = SubmissionStateChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "by", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    """What the project said after each change once submitted."""

    model = SubmissionVersion
    extra = 0
    can_delete = False
    fields = ["number", "created_at", "created_by", "data"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AssignmentInlineForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["juror"]

    def clean(self):
        data = super().clean()
        juror = data.get("juror")
        submission = self.instance.submission if self.instance.submission_id else getattr(self, "parent_submission", None)
        if juror and submission and (self.instance.pk is None or "juror" in self.changed_data):
            reason = rules.can_assign(juror, submission)  # the service's own rule
            if reason:
                raise forms.ValidationError(reason)
        return data


class AssignmentFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            removing = form in self.deleted_forms or "juror" in getattr(form, "changed_data", ())
            if form.instance.pk and removing:  # another juror on an existing row takes the project away too
                reason = rules.unassign_refusal(Assignment.objects.select_related("submission__edition").get(pk=form.instance.pk))
                if reason:
                    raise forms.ValidationError(reason)


class AssignmentInline(admin.TabularInline):
    """Staff assign jurors by hand here, through ``assignment_create`` and ``assignment_remove``
    (see ``SubmissionAdmin.save_formset``): the same rules as the automatic assignment."""

    model = Assignment
    form = AssignmentInlineForm
    formset = AssignmentFormSet
    extra = 0
    autocomplete_fields = ["juror"]
    service_routed_fields = frozenset({"juror"})

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class WithParent(formset):
            def _construct_form(self, i, **kw):
                form = super()._construct_form(i, **kw)
                form.parent_submission = obj
                return form

        return WithParent


@admin.register(Submission)
class SubmissionAdmin(OwnedFieldsAdminMixin, PortalImportExportMixin, HistoryAdmin):
    resource_classes = [SubmissionJuryPackResource, AnonymisedJuryPackResource, NamedJuryPackResource]
    list_display = ["title", "state", "rank", "theme", "edition", "company", "region_name", "stage", "submitted_at"]
    list_filter = ["edition", "theme", "state", "company__region", "stage", "is_demo"]
    search_fields = ["title", "pitch", "company__legal_name", "company__siret"]
    list_select_related = ["edition", "theme", "company__region"]
    # State and decisions change on the ranking page and through the actions (the one door,
    # submission_transition); who submitted what, for whom, stays as the company wrote it.
    readonly_fields = ["edition", "company", "created_by", "state", "submitted_at", "rank", "prize", "feedback",
                       "anonymised_at", "created_at", "updated_at"]
    inlines = [AssignmentInline, StateChangeInline, VersionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["mark_under_review", "mark_shortlisted", "mark_not_retained"]

    def has_add_permission(self, request):
        return False  # projects are written by their companies (submission_create_draft)

    def get_readonly_fields(self, request, obj=None):
        # After the deadline the theme is part of what the jury reviewed and staff decide on.
        if obj is not None and obj.edition_id and obj.edition.is_past_deadline_at(timezone.now()):
            return [*self.readonly_fields, "theme"]
        return self.readonly_fields

    def has_import_permission(self, request):
        return False  # projects are written by their companies, not imported

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        assignments = formset.save(commit=False)
        try:
            for assignment in formset.deleted_objects:
                services.assignment_remove(assignment=assignment, by=request.user)
            for assignment in assignments:
                if assignment.pk is not None:  # another juror on an existing row: remove, then assign
                    services.assignment_remove(assignment=Assignment.objects.get(pk=assignment.pk), by=request.user)
                services.assignment_create(juror=assignment.juror, submission=form.instance, by=request.user)
        except ValidationError as exc:  # changed meanwhile
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        return None

    @admin.display(description=_("region"), ordering="company__region__name")
    def region_name(self, obj):
        return obj.company.region.name

    def _transition(self, request, queryset, to_state):
        done = 0
        for submission in queryset:
            try:
                services.submission_transition(submission=submission, to_state=to_state, by=request.user, note="admin")
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{submission}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, ngettext("%(n)s project changed.", "%(n)s projects changed.", done) % {"n": done}, messages.SUCCESS)

    @confirmed_action(description=_("Move to “under review”"), consequences=lambda a, qs: [
        _("Each submitted project selected goes under review (after the deadline only); its company is told by e-mail."),
    ])
    def mark_under_review(self, request, queryset):
        self._transition(request, queryset, SubmissionState.UNDER_REVIEW)

    @confirmed_action(description=_("Shortlist"), consequences=lambda a, qs: [
        _("Each project selected is shortlisted; nobody is told before the results are published."),
    ])
    def mark_shortlisted(self, request, queryset):
        self._transition(request, queryset, SubmissionState.SHORTLISTED)

    @confirmed_action(description=_("Not retained"), consequences=lambda a, qs: [
        _("Each project selected is decided “not retained”; its company is told when the results are published."),
    ])
    def mark_not_retained(self, request, queryset):
        self._transition(request, queryset, SubmissionState.NOT_RETAINED)


class ConflictInline(admin.TabularInline):
    """Staff may add a conflict here; it is saved by ``conflict_add_by_staff`` (see
    ``JurorAdmin.save_formset``): in an anonymised review the juror has already seen, it is stored
    like a recusal, so the juror is never shown the company's name."""

    model = Conflict
    extra = 0
    autocomplete_fields = ["company"]
    fields = ["company", "reason", "via_project", "submission", "created_at"]
    readonly_fields = ["via_project", "submission", "created_at"]
    service_routed_fields = frozenset({"company"})


@admin.register(Juror)
class JurorAdmin(OwnedFieldsAdminMixin, PortalImportExportMixin, HistoryAdmin):
    resource_classes = [JurorResource]
    list_display = ["email", "name", "edition", "user", "accepted_at", "assigned_count", "reviewed_count"]
    list_filter = ["edition"]
    search_fields = ["email", "name"]
    list_select_related = ["edition", "user"]
    filter_horizontal = ["themes"]
    readonly_fields = ["user", "invited_at", "accepted_at", "conflicts_declared_at", "created_at"]
    inlines = [ConflictInline]
    actions = ["send_invitation"]
    change_form_template = "admin/contests/juror/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # The invitation went to this address for this edition; only its invitee links an account.
        return [*self.readonly_fields, "edition", "email"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        juror = services.juror_add(edition=obj.edition, email=obj.email, name=obj.name, invite=False, by=request.user)
        obj.pk, obj.token, obj._state.adding = juror.pk, juror.token, False
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        juror = form.instance
        if "_saveandinvite" in request.POST and juror.accepted_at is None:
            services.juror_invite(edition=juror.edition, email=juror.email, name=juror.name, by=request.user)
            self.message_user(request, _("The invitation e-mail is on its way to %(email)s.") % {"email": juror.email},
                              messages.SUCCESS)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _assigned=Count("assignments", distinct=True),
            _reviewed=Count("assignments", filter=Q(assignments__review__submitted_at__isnull=False), distinct=True),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Conflict:
            return super().save_formset(request, form, formset, change)
        conflicts = formset.save(commit=False)
        for conflict in formset.deleted_objects:
            conflict.delete()
        company_changed = {obj.pk for obj, fields in formset.changed_objects if "company" in fields}
        for conflict in conflicts:
            if conflict.pk is None or conflict.pk in company_changed:
                # Another company is a new conflict: the service decides how the juror sees it.
                if conflict.pk is not None:
                    Conflict.objects.filter(pk=conflict.pk).delete()
                services.conflict_add_by_staff(juror=form.instance, company=conflict.company, reason=conflict.reason, by=request.user)
            else:
                conflict.save()
        formset.save_m2m()
        return None

    @admin.display(description=_("assigned"), ordering="_assigned")
    def assigned_count(self, obj):
        return obj._assigned

    @admin.display(description=_("reviews submitted"), ordering="_reviewed")
    def reviewed_count(self, obj):
        return obj._reviewed

    @admin.action(description=_("Send (again) the invitation e-mail"), permissions=["change"])
    def send_invitation(self, request, queryset):
        for juror in queryset.select_related("edition"):
            services.juror_invite(edition=juror.edition, email=juror.email, name=juror.name, by=request.user)
        self.message_user(request, _("Invitations sent."), messages.SUCCESS)


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    fields = ["criterion", "value", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews are written by jurors in the jury space; staff read them here."""

    list_display = ["submission", "juror", "edition", "submitted_at", "updated_at"]
    list_filter = ["assignment__juror__edition", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["assignment__submission__title", "assignment__juror__email"]
    list_select_related = ["assignment__submission__edition", "assignment__juror"]
    readonly_fields = ["assignment", "comment", "submitted_at", "updated_at"]
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("submission"), ordering="assignment__submission__title")
    def submission(self, obj):
        return obj.assignment.submission

    @admin.display(description=_("juror"), ordering="assignment__juror__email")
    def juror(self, obj):
        return obj.assignment.juror

    @admin.display(description=_("edition"))
    def edition(self, obj):
        return obj.assignment.submission.edition


@admin.register(ResultsPublication)
class ResultsPublicationAdmin(admin.ModelAdmin):
    """The record of each publication attempt (prepared, released, cancelled): written only by
    the publication services from the ranking page."""

    list_display = ["edition", "status", "prepared_at", "prepared_by", "released_at", "cancelled_at"]
    list_filter = ["status", "edition"]
    list_select_related = ["edition", "prepared_by"]
    readonly_fields = [
        "edition", "status", "not_retained_for_remaining", "themes_without_laureate", "decisions", "prepared_by",
        "prepared_at", "released_by", "released_at", "cancelled_by", "cancelled_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
