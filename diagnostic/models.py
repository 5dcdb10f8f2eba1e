"""The digital-maturity diagnostic: versioned questionnaires, responses, paths, the barometer.

Invariants the database holds:
- a questionnaire has at most one published version; version numbers are unique per
  questionnaire; dimension codes are unique per version, question codes per dimension,
  option codes per question; band codes and thresholds are unique per version;
- a response is pinned to the version it was started on (PROTECT: a version with answers
  cannot be deleted) and a person has at most one response in progress;
- one answer per response and question (two tabs saving the same step update one row);
- a completed response carries its scores (dimension results, overall score and band), so
  later edits of bands or rules never change a past result;
- a contact request always carries the person's consent to share the result, and a
  response has at most one open request;
- barometer snapshots are one per quarter and hold only publishable figures: a suppressed
  cell is stored without its count and sum (NULL), never computed again at display time.

A published version is frozen where staff edit it (the admin shows it read-only and offers
"duplicate as a new draft"); ``services.version_publish`` checks the structure first.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import NafSection

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
# "Select all that apply", "0 not used … 5 operational": the EU DMA's two main answer forms.
SCALE_LEVELS = range(0, 6)


class DimensionCode(models.TextChoices):
    """The six dimensions of the EU Digital Maturity Assessment for SMEs (JRC)."""

    STRATEGY = "strategy", _("Digital business strategy")
    READINESS = "readiness", _("Digital readiness")
    HUMAN = "human", _("Human-centric digitalisation")
    DATA = "data", _("Data management and security")
    AUTOMATION = "automation", _("Automation and artificial intelligence")
    GREEN = "green", _("Green digitalisation")


class BandCode(models.TextChoices):
    BEGINNER = "beginner", _("beginner")
    PROGRESSING = "progressing", _("progressing")
    ADVANCED = "advanced", _("advanced")
    LEADER = "leader", _("leader")


class Questionnaire(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


class QuestionnaireVersion(models.Model):
    """One edition of the questions. Answers refer to it for ever; publishing another
    version retires this one but never changes what was answered on it."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version number"))
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=12)
    notes = models.TextField(_("staff notes"), blank=True, help_text=_("What changed from the previous version."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="diagnostic_version_number_unique"),
            models.UniqueConstraint(
                fields=["questionnaire"], condition=Q(status="published"), name="diagnostic_one_published_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} — v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Dimension(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("dimension"), max_length=20, choices=DimensionCode.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it measures"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="diagnostic_dimension_code_unique")]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTI = "multi", _("checklist (several answers)")
    SCALE = "scale", _("scale from 0 to 5")


class Question(models.Model):
    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=60, help_text=_("Stable across versions; recommendation rules use it."))
    text = models.CharField(_("question"), max_length=400)
    hint = models.TextField(_("hint"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["dimension", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="diagnostic_question_code_unique")]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=300)
    points = models.PositiveSmallIntegerField(_("points"), default=0, validators=[MaxValueValidator(100)])
    exclusive = models.BooleanField(
        _("excludes the others"), default=False, help_text=_('For a checklist: "none of these" cannot be ticked with another answer.')
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="diagnostic_option_code_unique"),
            models.CheckConstraint(condition=Q(points__lte=100), name="diagnostic_option_points_max_100"),
        ]

    def __str__(self) -> str:
        return self.label


class Band(models.Model):
    """A maturity band: scores from ``min_score`` up to the next band's threshold."""

    version = models.ForeignKey(QuestionnaireVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("band"), max_length=20, choices=BandCode.choices)
    min_score = models.PositiveSmallIntegerField(_("from score"), validators=PERCENT_VALIDATORS)
    meaning = models.TextField(_("what it means"), blank=True)

    class Meta:
        ordering = ["version", "min_score"]
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="diagnostic_band_code_unique"),
            models.UniqueConstraint(fields=["version", "min_score"], name="diagnostic_band_threshold_unique"),
            models.CheckConstraint(condition=Q(min_score__lte=100), name="diagnostic_band_threshold_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} (≥ {self.min_score})"


# --- Company context ------------------------------------------------------------------------


class SizeBand(models.TextChoices):
    """Headcount bands (the values of the portal profile's company size, "not applicable" aside)."""

    MICRO = "micro", _("fewer than 10 employees")
    SMALL = "small", _("10 to 49 employees")
    MEDIUM = "medium", _("50 to 249 employees")
    INTERMEDIATE = "intermediate", _("250 to 4,999 employees")
    LARGE = "large", _("5,000 employees or more")


# --- Responses --------------------------------------------------------------------------------


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")


class Response(models.Model):
    """A person's diagnostic on one version. Anonymous answers live in the session until
    log-in (``services.response_attach_from_session``): a row always has an account."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("respondent"), on_delete=models.CASCADE, related_name="diagnostic_responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    step = models.PositiveSmallIntegerField(_("step reached"), default=0)
    sector = models.CharField(_("sector (NAF section)"), max_length=1, choices=NafSection.choices, blank=True)
    size_band = models.CharField(_("headcount"), max_length=20, choices=SizeBand.choices, blank=True)
    region = models.ForeignKey(
        "portal.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overall_score = models.PositiveSmallIntegerField(_("overall score"), null=True, blank=True, validators=PERCENT_VALIDATORS)
    overall_band = models.CharField(_("overall band"), max_length=20, choices=BandCode.choices, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False, help_text=_("Never counted in the barometer."))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="in_progress"), name="diagnostic_one_response_in_progress"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress", completed_at__isnull=True, overall_score__isnull=True)
                | Q(status="completed", completed_at__isnull=False, overall_score__isnull=False),
                name="diagnostic_completed_iff_scored",
            ),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | Q(overall_score__lte=100), name="diagnostic_overall_0_to_100"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "completed_at"], name="diagnostic_completed_idx"),
            models.Index(fields=["user", "-completed_at"], name="diagnostic_user_results_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.version} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("diagnostic:result", args=[self.public_id])

    @property
    def is_completed(self) -> bool:
        return self.status == ResponseStatus.COMPLETED


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    options = models.ManyToManyField(Option, verbose_name=_("options chosen"), blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["response", "question__dimension__position", "question__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="diagnostic_one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.question_id}"


class DimensionResult(models.Model):
    """A dimension's score, frozen when the response is completed."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="dimension_results")
    code = models.CharField(_("dimension"), max_length=20, choices=DimensionCode.choices)
    score = models.PositiveSmallIntegerField(_("score"), validators=PERCENT_VALIDATORS)
    band = models.CharField(_("band"), max_length=20, choices=BandCode.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["response", "position"]
        verbose_name = _("dimension result")
        verbose_name_plural = _("dimension results")
        constraints = [
            models.UniqueConstraint(fields=["response", "code"], name="diagnostic_one_result_per_dimension"),
            models.CheckConstraint(condition=Q(score__lte=100), name="diagnostic_dimension_score_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.score}"


# --- Recommendations and the path -------------------------------------------------------------


class RecommendationKind(models.TextChoices):
    ADVICE = "advice", _("advice (text only)")
    MOOC_MODULE = "mooc.module", _("MOOC module")
    EXPEDITIONS_TAG = "expeditions.tag", _("upcoming expeditions with a tag")
    CONTEST = "contests.current", _("the connected-object contest (current edition)")
    MEASURE = "measures.measure", _("one of the 19 measures")
    LINK = "link", _("other link")


# Kinds whose progress the path follows through the other programme's selectors.
TRACKED_KINDS = {
    RecommendationKind.MOOC_MODULE,
    RecommendationKind.EXPEDITIONS_TAG,
    RecommendationKind.CONTEST,
    RecommendationKind.MEASURE,
}


class RecommendationRule(models.Model):
    """Dimension + band (+ optionally an answer) → content. Data edited by staff, never code."""

    dimension = models.CharField(
        _("dimension"), max_length=20, choices=DimensionCode.choices, blank=True,
        help_text=_("Empty: whatever the dimension (then leave the band empty and give a condition on an answer)."),
    )
    band = models.CharField(
        _("band"), max_length=20, choices=BandCode.choices, blank=True, help_text=_("Empty: any band of the dimension.")
    )
    when_answer = models.CharField(
        _("only when this answer was chosen"), max_length=130, blank=True,
        help_text=_('Optional: "question code=option code", e.g. "connected-objects=develops".'),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RecommendationKind.choices)
    key = models.CharField(
        _("reference"), max_length=120, blank=True,
        help_text=_("MOOC module id, expedition tag slug or measure number, depending on the kind."),
    )
    url = models.CharField(_("link"), max_length=500, blank=True, help_text=_("For the kind \"other link\": https://… or /path/."))
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Optional: the content's own title is used."))
    text = models.TextField(_("why and what to do"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["dimension", "band", "position", "pk"]
        verbose_name = _("recommendation rule")
        verbose_name_plural = _("recommendation rules")
        constraints = [
            models.CheckConstraint(condition=~Q(dimension="") | Q(band=""), name="diagnostic_rule_band_needs_dimension"),
            models.CheckConstraint(
                condition=~Q(dimension="") | ~Q(when_answer=""), name="diagnostic_rule_global_needs_condition"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display() or '*'} / {self.get_band_display() or '*'} → {self.get_kind_display()} {self.key}"

    def clean(self) -> None:
        from diagnostic.validators import rule_problems

        problems = rule_problems(self)
        if problems:
            from django.core.exceptions import ValidationError

            raise ValidationError(problems)


class PathItem(models.Model):
    """One step of a person's path, chosen by the rules when the response was completed."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="path_items")
    rule = models.ForeignKey(RecommendationRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dimension = models.CharField(_("dimension"), max_length=20, choices=DimensionCode.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=RecommendationKind.choices)
    key = models.CharField(_("reference"), max_length=120, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("why and what to do"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["response", "position"]
        verbose_name = _("path step")
        verbose_name_plural = _("path steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key or self.url}"


# --- Experts ----------------------------------------------------------------------------------


class Expert(models.Model):
    """A referenced expert people of a region can ask to be contacted by."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    regions = models.ManyToManyField("portal.Region", verbose_name=_("regions"), related_name="+")
    speciality = models.CharField(_("speciality"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class ContactStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("closed")


class ContactRequest(models.Model):
    """A person asks a referenced expert of the region to contact them about a result."""

    response = models.ForeignKey(Response, verbose_name=_("result"), on_delete=models.CASCADE, related_name="contact_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="diagnostic_contact_requests"
    )
    region = models.ForeignKey("portal.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.SET_NULL, null=True, blank=True, related_name="requests")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    consent_to_share = models.BooleanField(_("consents to share the result"))
    status = models.CharField(_("status"), max_length=12, choices=ContactStatus.choices, default=ContactStatus.NEW)
    staff_note = models.TextField(_("staff note"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        constraints = [
            models.CheckConstraint(condition=Q(consent_to_share=True), name="diagnostic_contact_needs_consent"),
            models.UniqueConstraint(
                fields=["response"], condition=Q(status__in=["new", "in_progress"]), name="diagnostic_one_open_contact_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.region} ({self.get_status_display()})"


# --- The barometer ----------------------------------------------------------------------------


class Snapshot(models.Model):
    """A closed quarter's barometer, computed once and frozen."""

    quarter = models.CharField(_("quarter"), max_length=7, unique=True, help_text=_("e.g. 2026-Q1"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    respondents = models.PositiveIntegerField(_("respondents (distinct accounts)"))
    published = models.BooleanField(
        _("figures published"), help_text=_("False when too few people responded: nothing but the quarter is shown.")
    )
    threshold = models.PositiveSmallIntegerField(_("suppression threshold"))
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("barometer snapshot")
        verbose_name_plural = _("barometer snapshots")

    def __str__(self) -> str:
        return self.quarter


class SnapshotCell(models.Model):
    """One published figure pair of a one-way table: NULL where it is suppressed."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="cells")
    variable = models.CharField(_("table"), max_length=10)
    category = models.CharField(_("category"), max_length=40)
    measure = models.CharField(_("measure"), max_length=20)
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    score_sum = models.PositiveIntegerField(_("sum of scores"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["snapshot", "variable", "measure", "position"]
        verbose_name = _("barometer figure")
        verbose_name_plural = _("barometer figures")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "variable", "category", "measure"], name="diagnostic_snapshot_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.variable}:{self.category} {self.measure}"
