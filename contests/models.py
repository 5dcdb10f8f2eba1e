"""Data of the connected-object contest: editions, companies, submissions, jury and reviews.

The database holds what it can: one project per (edition, company, case-folded title), one
review per assignment, one score per criterion, scores between 0 and 10, one assignment per
(juror, submission), one conflict per (juror, company).
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisations.models import Organisation, keep_history_of_proxy
from portal.models import ReferenceData


class Theme(ReferenceData):
    """One of the contest's four themes (seed 000): smart home, smart city, quantified-self, connected factory."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for submissions")
    REVIEWING = "reviewing", _("Jury reviewing")
    DELIBERATION = "deliberation", _("Deliberation")
    PUBLISHED = "published", _("Results published")
    ARCHIVED = "archived", _("Archived")


# Paths under /contests/ that an edition's slug must not shadow.
RESERVED_SLUGS = {"archive", "companies", "projects", "files", "jury"}


class Edition(models.Model):
    """One yearly call for projects. Its phase follows from its dates and from staff actions."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    rules = models.TextField(_("rules"), blank=True, help_text=_("Markdown; rendered as sanitised HTML."))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), help_text=_("Submissions are refused from this second on."))
    review_deadline = models.DateTimeField(_("reviewing deadline"), null=True, blank=True)
    results_on = models.DateField(_("results date"))
    partners = models.ManyToManyField("portal.Partner", verbose_name=_("partners"), blank=True, related_name="contest_editions")
    jurors_per_submission = models.PositiveSmallIntegerField(
        _("jurors per submission"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    anonymised_review = models.BooleanField(
        _("anonymised review"), default=False, help_text=_("Jurors see neither the company nor the team.")
    )
    feedback_to_submitters = models.BooleanField(
        _("send feedback to submitters"), default=True, help_text=_("The jury's feedback goes with the result e-mail.")
    )
    is_visible = models.BooleanField(_("visible on the site"), default=True)
    deliberation_started_at = models.DateTimeField(_("deliberation started"), null=True, blank=True)
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # History is registered in translation.py, once title_fr/title_en... exist.

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("contest edition")
        verbose_name_plural = _("contest editions")
        permissions = [("publish_results", _("Can prepare, release or cancel the publication of results"))]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="contest_edition_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This slug is used by the site itself: choose another one.")})

    def phase_at(self, now) -> str:
        if self.archived_at:
            return Phase.ARCHIVED
        if self.published_at:
            return Phase.PUBLISHED
        if self.deliberation_started_at:
            return Phase.DELIBERATION
        if now < self.opens_at:
            return Phase.UPCOMING
        if now < self.closes_at:
            return Phase.OPEN
        return Phase.REVIEWING

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        return Phase(self.phase).label

    # Named checks of the phase: the one place that says what each phase allows (the rules
    # and services ask these, never a tuple of phases written again).

    def accepts_drafts_at(self, now) -> bool:
        """Projects are opened and changed while the call is upcoming or open, to the second."""
        return self.phase_at(now) in (Phase.UPCOMING, Phase.OPEN) and now < self.closes_at

    def accepts_projects_at(self, now) -> bool:
        """Projects are submitted from opens_at included to closes_at excluded (to the second)."""
        return self.phase_at(now) == Phase.OPEN

    def is_past_deadline_at(self, now) -> bool:
        return now >= self.closes_at

    def reviews_open_at(self, now) -> bool:
        """The jury writes from the submission deadline until the reviewing deadline (excluded, to
        the second) and never once the deliberation has started: the reviews are then final."""
        if self.phase_at(now) != Phase.REVIEWING:
            return False
        return self.review_deadline is None or now < self.review_deadline

    @property
    def reviews_are_final(self) -> bool:
        """From the deliberation on, reviews and recusals no longer change."""
        return self.phase in (Phase.DELIBERATION, Phase.PUBLISHED, Phase.ARCHIVED)

    @property
    def results_are_published(self) -> bool:
        return self.published_at is not None

    # The same checks for querysets (``prefix`` reaches the edition from another model).

    @staticmethod
    def q_reviews_not_final(prefix: str = "") -> Q:
        """Editions whose reviews may still change (``not reviews_are_final``)."""
        return Q(**{f"{prefix}deliberation_started_at__isnull": True, f"{prefix}published_at__isnull": True,
                    f"{prefix}archived_at__isnull": True})

    @staticmethod
    def q_results_not_published(prefix: str = "") -> Q:
        return Q(**{f"{prefix}published_at__isnull": True})

    def decisions_open_at(self, now) -> bool:
        """Staff decide (shortlist, not retained, laureate) after the deadline and until the results
        are published; a prepared publication freezes them too (see ``ResultsPublication``)."""
        return self.is_past_deadline_at(now) and self.phase_at(now) in (Phase.REVIEWING, Phase.DELIBERATION)

    def deliberation_can_start_at(self, now) -> bool:
        """Once, after the deadline, before the results are published."""
        return self.phase_at(now) == Phase.REVIEWING

    def results_can_be_prepared_at(self, now) -> bool:
        """Results are prepared only in the deliberation: the reviews are final by then."""
        return self.phase_at(now) == Phase.DELIBERATION


class EditionTheme(models.Model):
    """A theme as one edition runs it: its own description and prize."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="edition_themes", verbose_name=_("edition"))
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="edition_themes", verbose_name=_("theme"))
    description = models.TextField(_("description"), blank=True)
    prize = models.CharField(_("prize"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "theme__position"]
        verbose_name = _("edition theme")
        verbose_name_plural = _("edition themes")
        constraints = [models.UniqueConstraint(fields=["edition", "theme"], name="contest_edition_theme_unique")]

    def __str__(self) -> str:
        return f"{self.edition} — {self.theme}"


class Criterion(models.Model):
    """One weighted criterion of an edition's rubric, scored 0–10."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("edition"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="contest_criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name


# --- Companies ------------------------------------------------------------------------------


class Company(Organisation):
    """The contest's view of an organisation: the same row (``organisations.Organisation``), with
    the contest's eligibility rules on top (``contests/eligibility.py``). A proxy, so that the
    contest's admin, permissions (``contests.view_company``…) and pages keep their names."""

    class Meta:
        proxy = True
        ordering = ["legal_name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")


keep_history_of_proxy(Company)


# --- Submissions ----------------------------------------------------------------------------


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    NOT_RETAINED = "not_retained", _("Not retained")
    LAUREATE = "laureate", _("Laureate")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT = "pilot", _("Pilot")
    MARKET = "market", _("On the market")


class Submission(models.Model):
    """A project a company submits to an edition, under one theme."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("edition"))
    company = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("company"))
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("theme"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contest_submissions",
        verbose_name=_("created by"),
    )
    title = models.CharField(_("project title"), max_length=200)
    pitch = models.CharField(_("short pitch"), max_length=400, blank=True)
    description = models.TextField(_("description"), max_length=6000, blank=True)
    object_function = models.TextField(_("what the object measures or controls"), max_length=2000, blank=True)
    connectivity = models.CharField(_("connectivity"), max_length=300, blank=True, help_text=_("e.g. LoRa, Sigfox, Bluetooth LE, Wi-Fi, 4G"))
    data_handled = models.TextField(_("data handled"), max_length=2000, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    target_market = models.TextField(_("target market"), max_length=2000, blank=True)
    business_model = models.TextField(_("business model"), max_length=2000, blank=True)
    team_members = models.TextField(
        _("team members"), max_length=2000, blank=True, help_text=_("One person per line: name and role.")
    )
    support_industrialisation = models.BooleanField(_("industrialisation with the Cité de l'Objet Connecté"), default=False)
    support_export = models.BooleanField(_("export"), default=False)
    support_funding = models.BooleanField(_("funding"), default=False)
    video_url = models.URLField(_("video link"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank in its theme"), null=True, blank=True)
    prize = models.CharField(_("prize"), max_length=300, blank=True)
    feedback = models.TextField(_("feedback to the submitter"), max_length=4000, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                "edition", "company", Lower("title"), name="contest_submission_unique_title",
                violation_error_message=_("This company already has a project with this title in this edition."),
            ),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1), name="contest_submission_rank_positive"),
        ]
        indexes = [models.Index(fields=["edition", "state", "theme"], name="contest_submission_state_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def support_wanted(self) -> list[str]:
        labels = []
        for name in ("support_industrialisation", "support_export", "support_funding"):
            if getattr(self, name):
                labels.append(str(self._meta.get_field(name).verbose_name))
        return labels


class SubmissionVersion(models.Model):
    """What a submission said after each change once submitted (the leader may edit until the deadline)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    data = models.JSONField(_("content"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="contest_submission_version_unique")]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"


class SubmissionStateChange(models.Model):
    """The log of every state change: who, when, from → to."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(_("from"), max_length=20, choices=SubmissionState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=SubmissionState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    # The stored name is ours, never the uploader's: a random name with the checked extension.
    ext = PurePosixPath(filename).suffix.lower()
    return f"contests/{instance.submission.edition_id}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    """A pitch deck (PDF) or an image of the project, checked by content and stored under a generated name."""

    class Kind(models.TextChoices):
        DECK = "deck", _("Pitch deck (PDF)")
        IMAGE = "image", _("Image")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The uploader's file name, cleaned, shown to the company's members only (it may name the
    # company: jurors of an anonymised review see the kind, and download under a neutral name).
    original_name = models.CharField(_("original file name"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def download_name(self) -> str:
        ext = PurePosixPath(self.file.name).suffix
        return f"{self.submission.edition.slug}-{self.submission_id}-{self.kind}-{self.pk}{ext}"


# --- Jury -----------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(32)


# Referenced by migration 0004 (the invitations moved to ``organisations.Invitation``).
invitation_token = new_token


class Juror(models.Model):
    """A person invited to an edition's jury by e-mail; accepting — logged in with the invited address,
    verified (``rules.is_invitee``) — links the invitation to that account. The row is the juror's
    record (conflicts, assignments, reviews): it is never purged like a colleague's invitation."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="jurors", verbose_name=_("edition"))
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contest_jurors", verbose_name=_("account")
    )
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"), help_text=_("Empty: every theme."))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    conflicts_declared_at = models.DateTimeField(
        _("conflicts declared"), null=True, blank=True,
        help_text=_("In an anonymised review, the juror sees his or her projects only once this is set."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "email"]
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        constraints = [
            models.UniqueConstraint("edition", Lower("email"), name="contest_juror_unique_email"),
            models.UniqueConstraint(fields=["edition", "user"], condition=Q(user__isnull=False), name="contest_juror_unique_user"),
        ]

    def __str__(self) -> str:
        return self.name or self.email


class Conflict(models.Model):
    """A juror's conflict of interest with a company.

    Declared against a company named by the juror (before an anonymised list is shown), or
    on a project the juror recognised (``submission`` set, ``via_project``): the conflict is
    still with the company behind it, but the juror is never told which company that is.
    """

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    company = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="jury_conflicts", verbose_name=_("company"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    via_project = models.BooleanField(
        _("declared on a project"), default=False,
        help_text=_("The juror recognised an anonymised project: never show him or her the company."),
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("project recognised")
    )
    created_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["juror", "company"], name="contest_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.juror} ≠ {self.company}"


class Assignment(models.Model):
    """A submission given to a juror to review."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["juror", "submission"], name="contest_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.juror} → {self.submission}"


class Review(models.Model):
    """A juror's review of one assigned submission; scores count once it is submitted."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"review #{self.pk}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(10)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="contest_score_unique"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=10), name="contest_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


# --- Publication of the results ------------------------------------------------------------------


class ResultsPublication(models.Model):
    """One attempt to publish an edition's results, in two stages (pretalx's outbox is the model).

    *Prepared*: the decisions are checked and frozen, and every result e-mail is written as a
    held notification in ``batch``; no project changes state and nobody is told anything.
    *Released*: the transitions are applied, the edition's ``published_at`` is set and the
    held e-mails are freed, in one transaction. *Cancelled* (only before release): the held
    e-mails are deleted and the edition stays in deliberation; the row stays as a record.
    """

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared, not released")
        RELEASED = "released", _("Released")
        CANCELLED = "cancelled", _("Cancelled")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="publications", verbose_name=_("edition"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREPARED)
    not_retained_for_remaining = models.BooleanField(
        _("not retained for every project without a final decision"), default=False,
    )
    themes_without_laureate = models.ManyToManyField(
        Theme, blank=True, related_name="+", verbose_name=_("themes without a laureate"),
    )
    decisions = models.JSONField(
        _("decisions as prepared"), default=dict,
        help_text=_("Each project's state, rank and prize when the publication was prepared."),
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("prepared by")
    )
    prepared_at = models.DateTimeField(_("prepared"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("released by")
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cancelled by")
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-prepared_at", "-pk"]
        verbose_name = _("publication of results")
        verbose_name_plural = _("publications of results")
        constraints = [
            models.UniqueConstraint(
                fields=["edition"], condition=Q(status="prepared"), name="contest_one_prepared_publication",
            ),
            models.UniqueConstraint(
                fields=["edition"], condition=Q(status="released"), name="contest_one_released_publication",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.get_status_display()}"

    @property
    def batch(self) -> str:
        """The name of its held e-mails in the outbox."""
        return f"contests.results:{self.pk}"
