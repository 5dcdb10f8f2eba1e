"""Import/export of the MOOC through the portal's export base (formula-safe, dry run first)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from mooc import selectors
from mooc.models import Certificate, Choice, Enrollment, Question, Quiz
from portal.exports import PortalResource, ReadableExportResource


class QuestionResource(PortalResource):
    """Questions with their choices, one row each.

    ``choices_fr``/``choices_en``: choices separated by ``|``; a leading ``*`` marks a right
    one, e.g. ``*Oui|Non``. Importing replaces the choices of the imported question.
    """

    quiz = fields.Field(attribute="quiz", column_name="quiz", widget=ForeignKeyWidget(Quiz, "pk"))
    choices_fr = fields.Field(column_name="choices_fr")
    choices_en = fields.Field(column_name="choices_en")

    class Meta:
        model = Question
        fields = (
            "id", "quiz", "position", "kind", "text_fr", "text_en", "feedback_fr", "feedback_en",
            "correct_bool", "numeric_answer", "tolerance", "points", "choices_fr", "choices_en",
        )
        export_order = fields

    def dehydrate_choices_fr(self, question):
        return "|".join(("*" if c.is_correct else "") + (c.text_fr or "") for c in question.choices.all())

    def dehydrate_choices_en(self, question):
        return "|".join(("*" if c.is_correct else "") + (c.text_en or "") for c in question.choices.all())

    def before_import_row(self, row, **kwargs):
        if row.get("tolerance") in (None, ""):
            row["tolerance"] = Decimal("0")

    def after_save_instance(self, instance, row, **kwargs):
        fr = [c for c in str(row.get("choices_fr") or "").split("|") if c.strip()]
        en = [c for c in str(row.get("choices_en") or "").split("|") if c.strip()]
        if not fr:
            return
        instance.choices.all().delete()
        for position, text in enumerate(fr, start=1):
            correct = text.strip().startswith("*")
            english = en[position - 1].strip().lstrip("*") if position <= len(en) else ""
            Choice.objects.create(
                question=instance, position=position, is_correct=correct,
                text_fr=text.strip().lstrip("*").strip(), text_en=english.strip(),
            )


class EnrollmentResource(ReadableExportResource):
    """Learners per course run (export only: readable headers and values)."""

    header_labels = {"progress": _("completion (%)"), "grade": _("grade (%)")}

    email = fields.Field(attribute="user__email", column_name="email")
    course = fields.Field(attribute="run__course__title", column_name="course")
    run = fields.Field(attribute="run__label", column_name="run")
    progress = fields.Field(column_name="progress_percent")
    grade = fields.Field(column_name="grade_percent")

    import_allowed = False

    class Meta:
        model = Enrollment
        fields = ("id", "email", "course", "run", "is_active", "enrolled_at", "unenrolled_at", "last_activity_at", "progress", "grade")
        export_order = fields

    def before_export(self, queryset, **kwargs):
        self._progress = selectors.enrollments_progress_bulk(list(queryset.select_related("run__course", "user")))

    def dehydrate_progress(self, enrollment):
        return self._progress[enrollment.pk].percent if hasattr(self, "_progress") else None

    def dehydrate_grade(self, enrollment):
        return self._progress[enrollment.pk].grade if hasattr(self, "_progress") else None


class CertificateResource(ReadableExportResource):
    """Certificates issued (export only: readable headers and values)."""

    course = fields.Field(attribute="run__course__title", column_name="course")
    run = fields.Field(attribute="run__label", column_name="run")

    import_allowed = False

    class Meta:
        model = Certificate
        fields = ("id", "code", "learner_name", "course", "run", "grade", "issued_at", "revoked_at", "revoked_reason")
        export_order = fields
