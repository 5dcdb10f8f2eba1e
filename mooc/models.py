"""The Université du numérique MOOC: courses, runs, modules, lessons, quizzes, progress, certificates.

Invariants the database holds:
- one *active* enrollment per learner and run (conditional unique constraint); unenrolling
  and re-enrolling reactivates the same row, so completions and attempts are never lost;
- a lesson is completed at most once per enrollment;
- attempt numbers are unique per enrollment and quiz (the attempt limit cannot be raced past);
- one certificate per learner and run, and verification codes are unique.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mooc.content import cover_upload_to, resource_upload_to, validate_resource, validate_video, video_upload_to
from portal.models import Partner

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Topic(models.TextChoices):
    DIGITAL_TRANSFORMATION = "digital-transformation", _("Digital transformation")
    EXPORT = "export", _("Export")
    INNOVATION = "innovation", _("Innovation")
    CUSTOMER_RELATIONS = "customer-relations", _("Customer relations")
    OTHER = "other", _("Other")


class CourseLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Course(models.Model):
    """A course of the catalogue. Its runs are the editions people enroll in."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="mooc_courses")
    teachers = models.CharField(_("teachers"), max_length=300, blank=True, help_text=_("Names, separated by commas."))
    effort_hours = models.PositiveSmallIntegerField(_("estimated effort (hours)"), default=1)
    language = models.CharField(_("language"), max_length=2, choices=CourseLanguage.choices, default=CourseLanguage.FRENCH)
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices, default=Topic.DIGITAL_TRANSFORMATION)
    cover_image = models.ImageField(_("cover image"), upload_to=cover_upload_to, blank=True)
    cover_alt = models.CharField(_("cover image description"), max_length=200, blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=PERCENT_VALIDATORS,
        help_text=_("Course grade (weighted quiz scores) needed for the certificate."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mooc:course_detail", args=[self.slug])

    @property
    def teacher_list(self) -> list[str]:
        return [t.strip() for t in self.teachers.split(",") if t.strip()]


class CourseRun(models.Model):
    """An edition of a course. A run without start/end dates is self-paced."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="runs")
    label = models.CharField(_("label"), max_length=120, help_text=_("E.g. \"Spring 2016\" or \"Self-paced\"."))
    enrollment_start = models.DateTimeField(_("enrollment opens"), null=True, blank=True)
    enrollment_end = models.DateTimeField(_("enrollment closes"), null=True, blank=True)
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        ordering = ["course", "-start", "id"]
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="mooc_run_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(enrollment_start__isnull=True)
                | Q(enrollment_end__isnull=True)
                | Q(enrollment_end__gt=models.F("enrollment_start")),
                name="mooc_run_enrollment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} — {self.label}"

    @property
    def is_self_paced(self) -> bool:
        return self.start is None and self.end is None

    def enrollment_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.enrollment_start and now < self.enrollment_start:
            return False
        if self.enrollment_end and now > self.enrollment_end:
            return False
        return not (self.end and now > self.end)

    def has_started(self, now=None) -> bool:
        return self.start is None or (now or timezone.now()) >= self.start

    def has_ended(self, now=None) -> bool:
        return self.end is not None and (now or timezone.now()) > self.end


class Module(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


class LessonKind(models.TextChoices):
    TEXT = "text", _("Text")
    VIDEO = "video", _("Video")
    RESOURCE = "resource", _("Downloadable resource")
    QUIZ = "quiz", _("Quiz")


class Lesson(models.Model):
    """One step of a module. Its weight counts in the progress when it is completed."""

    module = models.ForeignKey(Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices, default=LessonKind.TEXT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    video_file = models.FileField(_("video file"), upload_to=video_upload_to, validators=[validate_video], blank=True)
    video_url = models.URLField(_("external video link"), blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    resource_file = models.FileField(_("resource file"), upload_to=resource_upload_to, validators=[validate_resource], blank=True)
    resource_name = models.CharField(_("resource file name"), max_length=120, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight in progress"), default=1)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=5)

    class Meta:
        ordering = ["module__position", "module_id", "position", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title


class AnswersShown(models.TextChoices):
    """When a learner sees which answers were right (and the questions' feedback)."""

    PASSED_OR_LAST = "passed_or_last", _("After passing or after the last attempt")
    PASSED = "passed", _("Only after passing")
    LAST_ATTEMPT = "last_attempt", _("Only after the last attempt")
    NEVER = "never", _("Never")


class Quiz(models.Model):
    """The quiz of a quiz lesson. Graded on the server; the best attempt counts."""

    lesson = models.OneToOneField(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="quiz")
    pass_threshold = models.PositiveSmallIntegerField(_("pass threshold (%)"), default=60, validators=PERCENT_VALIDATORS)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3, help_text=_("0 = unlimited."))
    weight = models.PositiveSmallIntegerField(_("weight in the course grade"), default=1)
    show_answers = models.CharField(
        _("correct answers shown"), max_length=20, choices=AnswersShown.choices, default=AnswersShown.PASSED_OR_LAST,
        help_text=_("Shown earlier, the answers of a failed attempt would make the next one trivial."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return str(self.lesson)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True / false")
    NUMERIC = "numeric", _("Numeric")


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField(_("question"))
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Shown after the answer is submitted."))
    correct_bool = models.BooleanField(_("true/false answer"), null=True, blank=True)
    numeric_answer = models.DecimalField(_("numeric answer"), max_digits=14, decimal_places=4, null=True, blank=True)
    tolerance = models.DecimalField(_("tolerance (±)"), max_digits=14, decimal_places=4, default=Decimal("0"))
    points = models.PositiveSmallIntegerField(_("points"), default=1)

    class Meta:
        ordering = ["quiz", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        """A question that cannot be answered right is refused where staff write it."""
        from django.core.exceptions import ValidationError

        if self.kind == QuestionKind.NUMERIC and self.numeric_answer is None:
            raise ValidationError({"numeric_answer": _("Give the expected answer of a numeric question.")})
        if self.kind == QuestionKind.TRUE_FALSE and self.correct_bool is None:
            raise ValidationError({"correct_bool": _("Say whether the statement is true or false.")})


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("text"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class Enrollment(models.Model):
    """A learner in a run. Unenrolling deactivates it; re-enrolling reactivates the same row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="mooc_enrollments")
    run = models.ForeignKey(CourseRun, verbose_name=_("course run"), on_delete=models.PROTECT, related_name="enrollments")
    is_active = models.BooleanField(_("active"), default=True)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    unenrolled_at = models.DateTimeField(_("unenrolled"), null=True, blank=True)
    last_lesson = models.ForeignKey(Lesson, verbose_name=_("last lesson"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["user", "run"], condition=Q(is_active=True), name="mooc_one_active_enrollment"),
        ]
        indexes = [models.Index(fields=["run", "is_active"], name="mooc_enrollment_run_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.run}"


class LessonCompletion(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [models.UniqueConstraint(fields=["enrollment", "lesson"], name="mooc_completion_once")]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.lesson_id}"


class QuizAttempt(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt number"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2)
    passed = models.BooleanField(_("passed"), default=False)
    answers = models.JSONField(_("answers"), default=dict)
    results = models.JSONField(_("results per question"), default=dict)

    class Meta:
        ordering = ["enrollment", "quiz", "number"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [models.UniqueConstraint(fields=["enrollment", "quiz", "number"], name="mooc_attempt_number_unique")]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number}: {self.score} %"


class Certificate(models.Model):
    """Issued once per learner and run. The name is a snapshot; erasing the account blanks it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.SET_NULL, null=True, blank=True, related_name="mooc_certificates"
    )
    run = models.ForeignKey(CourseRun, verbose_name=_("course run"), on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    learner_name = models.CharField(_("name as issued"), max_length=300, blank=True)
    grade = models.DecimalField(_("grade (%)"), max_digits=5, decimal_places=2)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    # The certificate's entry in a W3C Bitstring Status List (its Open Badges credential points
    # there): allocated once, at random within the list, never shared (mooc.services).
    status_list = models.PositiveSmallIntegerField(_("status list"), null=True, blank=True)
    status_index = models.PositiveIntegerField(_("index in the status list"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["user", "run"], name="mooc_one_certificate_per_run"),
            models.UniqueConstraint(fields=["status_list", "status_index"], name="mooc_certificate_status_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.run}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_verification_url(self) -> str:
        return reverse("mooc_public:certificate_verify", args=[self.code])
