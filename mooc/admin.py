"""The staff's MOOC workplace: courses with ordered modules and lessons, quizzes with their
questions, enrollments with progress and grades, certificates (revocation)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from mooc import selectors, services
from mooc.content import cover_image_clean
from mooc.models import (
    Certificate,
    Choice,
    Course,
    CourseRun,
    Enrollment,
    Lesson,
    LessonKind,
    Module,
    Question,
    Quiz,
    QuizAttempt,
)
from mooc.resources import CertificateResource, EnrollmentResource, QuestionResource
from portal.admin_actions import confirmed_action
from portal.exports import PortalImportExportMixin, ReadableExportMixin
from portal.history import HistoryAdmin
from portal.ownership import OwnedFieldsAdminMixin


class RevocationForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown on the verification page)"), max_length=300)


class CourseRunInline(TranslationTabularInline):
    model = CourseRun
    extra = 0
    fields = ("label", "enrollment_start", "enrollment_end", "start", "end", "is_demo")


class ModuleInline(TranslationTabularInline):
    model = Module
    extra = 0
    fields = ("position", "title", "summary", "edit_link")
    readonly_fields = ("edit_link",)
    ordering = ("position", "id")

    @admin.display(description=_("lessons"))
    def edit_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:mooc_module_change", args=[obj.pk]), _("Edit the lessons"))


class CourseAdminForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = "__all__"  # noqa: DJ007 - the admin (and modeltranslation) choose the fields shown

    def clean_cover_image(self):
        image = self.cleaned_data.get("cover_image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            return cover_image_clean(image)
        return image


@admin.register(Course)
class CourseAdmin(HistoryAdmin, TranslationAdmin):
    form = CourseAdminForm
    list_display = ("title", "topic", "language", "effort_hours", "pass_mark", "is_published", "is_demo", "active_enrollments", "preview")
    list_filter = ("is_published", "topic", "language", "is_demo")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title_fr",)}
    filter_horizontal = ("partners",)
    inlines = [CourseRunInline, ModuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _active=Count("runs__enrollments", filter=Q(runs__enrollments__is_active=True), distinct=True)
        )

    @admin.display(description=_("active enrollments"), ordering="_active")
    def active_enrollments(self, obj):
        return obj._active

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("mooc:preview", args=[obj.pk]), _("Preview as a learner"))


class LessonInline(TranslationTabularInline):
    model = Lesson
    extra = 0
    fields = ("position", "kind", "title", "weight", "duration_minutes", "edit_link")
    readonly_fields = ("edit_link",)
    ordering = ("position", "id")

    @admin.display(description=_("content"))
    def edit_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:mooc_lesson_change", args=[obj.pk]), _("Edit"))


@admin.register(Module)
class ModuleAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ("title", "course", "position")
    list_filter = ("course",)
    list_select_related = ("course",)
    search_fields = ("title", "course__title")
    autocomplete_fields = ("course",)
    inlines = [LessonInline]


class QuizInline(admin.StackedInline):
    model = Quiz
    extra = 0
    max_num = 1
    fields = ("pass_threshold", "max_attempts", "weight", "show_answers", "questions_link")
    readonly_fields = ("questions_link",)

    @admin.display(description=_("questions"))
    def questions_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:mooc_quiz_change", args=[obj.pk]), _("Edit the questions"))


# A link typed without a scheme is an https:// one (Django 6's default, chosen now rather than
# Django 5's http:// with its deprecation warning).
URL_HTTPS = {models.URLField: {"assume_scheme": "https"}}


def _formfield_https_urls(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class LessonAdminForm(forms.ModelForm):
    """A video lesson shows a video (an uploaded file or an external link) and always has a transcript."""

    class Meta:
        model = Lesson
        fields = "__all__"  # noqa: DJ007 - the admin (and modeltranslation) choose the fields shown
        formfield_callback = _formfield_https_urls  # the admin builds its own form with formfield_overrides

    def clean(self):
        data = super().clean()
        if data.get("kind") == LessonKind.VIDEO:
            if not (data.get("video_file") or data.get("video_url")) and "video_url" in self.fields:
                self.add_error("video_url", _("A video lesson needs a video file or an external link."))
            if not (data.get("transcript_fr") or "").strip() and "transcript_fr" in self.fields:
                self.add_error("transcript_fr", _("A video lesson always has a transcript."))
        return data


@admin.register(Lesson)
class LessonAdmin(HistoryAdmin, TranslationAdmin):
    form = LessonAdminForm
    formfield_overrides = URL_HTTPS
    list_display = ("title", "module", "course", "kind", "position", "weight")
    list_filter = ("kind", "module__course")
    list_select_related = ("module__course",)
    search_fields = ("title", "module__title")
    autocomplete_fields = ("module",)
    inlines = [QuizInline]

    @admin.display(description=_("course"), ordering="module__course__title")
    def course(self, obj):
        return obj.module.course


class QuestionInline(TranslationStackedInline):
    model = Question
    extra = 0
    fields = ("position", "kind", "text", "feedback", "correct_bool", "numeric_answer", "tolerance", "points", "choices_link")
    readonly_fields = ("choices_link",)
    ordering = ("position", "id")

    @admin.display(description=_("choices"))
    def choices_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:mooc_question_change", args=[obj.pk]), _("Edit the choices"))


@admin.register(Quiz)
class QuizAdmin(HistoryAdmin):
    list_display = ("__str__", "pass_threshold", "max_attempts", "weight")
    list_select_related = ("lesson",)
    search_fields = ("lesson__title",)
    autocomplete_fields = ("lesson",)
    inlines = [QuestionInline]


class ChoiceInline(TranslationTabularInline):
    model = Choice
    extra = 0
    fields = ("position", "text", "is_correct")
    ordering = ("position", "id")


@admin.register(Question)
class QuestionAdmin(PortalImportExportMixin, HistoryAdmin, TranslationAdmin):
    resource_classes = [QuestionResource]
    list_display = ("__str__", "quiz", "kind", "position", "points")
    list_filter = ("kind",)
    list_select_related = ("quiz__lesson",)
    search_fields = ("text", "quiz__lesson__title")
    autocomplete_fields = ("quiz",)
    inlines = [ChoiceInline]


class EnrollmentChangeList(ChangeList):
    """Computes progress and grade for the page's rows in a constant number of queries."""

    def get_results(self, request):
        super().get_results(request)
        reports = selectors.enrollments_progress_bulk(list(self.result_list))
        for enrollment in self.result_list:
            enrollment._report = reports[enrollment.pk]


@admin.register(Enrollment)
class EnrollmentAdmin(OwnedFieldsAdminMixin, ReadableExportMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [EnrollmentResource]
    list_display = ("user", "run", "is_active", "enrolled_at", "last_activity_at", "progress", "grade")
    list_filter = ("is_active", "run__course", "run")
    list_select_related = ("user", "run__course")
    search_fields = ("user__email", "user__last_name", "run__course__title")
    readonly_fields = ("user", "run", "is_active", "enrolled_at", "unenrolled_at", "last_lesson", "last_activity_at")
    fields = readonly_fields
    actions = ["unenroll", "reenroll"]

    @confirmed_action(description=_("Unenroll the selected learners"), consequences=lambda a, qs: [
        _("Each learner selected leaves the course run: lessons and quizzes are closed to him or her."),
        _("Progress, quiz attempts and certificates are kept: re-enrolling restores them."),
    ])
    def unenroll(self, request, queryset):
        for enrollment in queryset:
            services.enrollment_cancel(enrollment=enrollment)
        messages.success(request, _("Learners unenrolled: %(n)s.") % {"n": queryset.count()})

    @admin.action(description=_("Re-enroll the selected learners (progress kept)"), permissions=["change"])
    def reenroll(self, request, queryset):
        done = 0
        for enrollment in queryset.select_related("run__course", "user"):
            try:
                services.enrollment_reactivate(enrollment=enrollment)
                done += 1
            except services.MoocError as error:
                messages.error(request, f"{enrollment}: {error}")
        if done:
            messages.success(request, _("Learners re-enrolled: %(n)s.") % {"n": done})

    def get_changelist(self, request, **kwargs):
        return EnrollmentChangeList

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("progress"))
    def progress(self, obj):
        report = getattr(obj, "_report", None)
        return f"{report.percent} %" if report else "—"

    @admin.display(description=_("grade"))
    def grade(self, obj):
        report = getattr(obj, "_report", None)
        return f"{report.grade} %" if report else "—"


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ("enrollment", "quiz", "number", "score", "passed", "submitted_at")
    list_filter = ("passed",)
    list_select_related = ("enrollment__user", "enrollment__run__course", "quiz__lesson")
    search_fields = ("enrollment__user__email",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(OwnedFieldsAdminMixin, ReadableExportMixin, ExportMixin, HistoryAdmin):
    resource_classes = [CertificateResource]
    list_display = ("code", "learner_name", "run", "grade", "issued_at", "revoked_at")
    list_filter = ("run__course", "revoked_at")
    list_select_related = ("run__course",)
    search_fields = ("code", "learner_name")
    readonly_fields = ("code", "user", "run", "learner_name", "grade", "issued_at", "revoked_at", "revoked_reason")
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @confirmed_action(description=_("Revoke the selected certificates"), form_class=RevocationForm, consequences=lambda a, qs: [
        _("The verification page of each certificate selected then says it is revoked, with the reason below."),
        _("A revoked certificate is not issued again."),
        _("Its digital credential (Open Badge) is reported revoked by the public status list within five minutes."),
    ])
    def revoke(self, request, queryset, reason):
        for certificate in queryset:
            services.certificate_revoke(certificate=certificate, reason=reason)
        messages.success(request, _("Certificates revoked: %(n)s.") % {"n": queryset.count()})
