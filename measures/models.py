"""The 19 Renaissance numérique measures and how the portal tracks them.

Invariants the database holds: measure numbers 1–19 and unique; progress 0–100; one active
support per person and measure; one follow per person and measure; a related link is
either a URL or a (kind, key) reference resolved through ``portal.links``.
Milestone weights adding up to 100 % is checked where staff edit them (admin formset) and
by ``services.measure_progress_recompute`` — a sum across rows is not a row constraint.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import ReferenceData

MEASURE_COUNT = 19
PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Origin(ReferenceData):
    """Where a measure was proposed: a workshop city or one of the three Paris groups."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    theme = models.CharField(
        _("group title"), max_length=300, blank=True, help_text=_("The theme of a Paris working group, as the source gives it.")
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("origin")
        verbose_name_plural = _("origins")


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    UNDER_STUDY = "under_study", _("under study")
    COMMITTED = "committed", _("committed")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("achieved")
    ABANDONED = "abandoned", _("abandoned")


class ProgressMode(models.TextChoices):
    DIRECT = "direct", _("set directly")
    MILESTONES = "milestones", _("computed from weighted milestones")


class Measure(models.Model):
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(MEASURE_COUNT)]
    )
    origin = models.ForeignKey(Origin, verbose_name=_("origin"), on_delete=models.PROTECT, related_name="measures")
    short_title = models.CharField(_("short title"), max_length=200, help_text=_("Editorial title, not from the source."))
    full_text = models.TextField(_("full text"), help_text=_("French: the measure exactly as the source states it. English: its translation."))
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=PERCENT_VALIDATORS)
    progress_mode = models.CharField(
        _("progress mode"), max_length=20, choices=ProgressMode.choices, default=ProgressMode.DIRECT
    )
    responsible_organisations = models.TextField(
        _("responsible organisations"), blank=True, help_text=_("One organisation per line.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=MEASURE_COUNT), name="measure_number_1_to_19"
            ),
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="measure_progress_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.short_title}"

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.number])

    @property
    def organisations(self) -> list[str]:
        return [line.strip() for line in (self.responsible_organisations or "").splitlines() if line.strip()]


class Milestone(models.Model):
    """A step of a measure; done milestones' weights add up to its progress in milestone mode."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    done = models.BooleanField(_("done"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["measure", "position", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="milestone_weight_1_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.weight} %)"


class MeasureUpdate(models.Model):
    """A dated entry of a measure's public timeline, published by staff through one service.

    ``status_after``/``progress_after`` are what the update asked for (blank: unchanged);
    the service records the values before and after it was applied.
    """

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="updates")
    published_on = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    status_before = models.CharField(_("status before"), max_length=20, choices=MeasureStatus.choices, blank=True, editable=False)
    status_after = models.CharField(
        _("new status"), max_length=20, choices=MeasureStatus.choices, blank=True, help_text=_("Leave empty to keep the status.")
    )
    progress_before = models.PositiveSmallIntegerField(_("progress before"), null=True, blank=True, editable=False)
    progress_after = models.PositiveSmallIntegerField(
        _("new progress (%)"),
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("Leave empty to keep the progress (always computed in milestone mode)."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-published_on", "-published_at", "-pk"]
        verbose_name = _("measure update")
        verbose_name_plural = _("measure updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_after__isnull=True) | Q(progress_after__gte=0, progress_after__lte=100),
                name="measure_update_progress_0_to_100",
            ),
        ]
        indexes = [models.Index(fields=["measure", "-published_on"], name="measure_update_timeline_idx")]

    def __str__(self) -> str:
        return f"#{self.measure.number if self.measure_id else '?'} — {self.title}"

    @property
    def status_changed(self) -> bool:
        return bool(self.status_before and self.status_after and self.status_before != self.status_after)

    @property
    def progress_changed(self) -> bool:
        return self.progress_before is not None and self.progress_after is not None and self.progress_before != self.progress_after


class UpdateLink(models.Model):
    """A link (document, article, decree...) attached to an update."""

    update = models.ForeignKey(MeasureUpdate, verbose_name=_("update"), on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("update link")
        verbose_name_plural = _("update links")

    def __str__(self) -> str:
        return self.label


class RelatedLink(models.Model):
    """Related content: a plain link (label + URL) or a (kind, key) reference to a published object
    of another app, resolved through ``portal.links.resolve`` when shown (never its tables)."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="related_links")
    label = models.CharField(_("label"), max_length=200, blank=True, help_text=_("Optional for a reference: its own title is used."))
    url = models.URLField(_("URL"), max_length=500, blank=True)
    kind = models.CharField(_("reference kind"), max_length=60, blank=True, help_text=_('For example "mooc.course".'))
    key = models.CharField(_("reference key"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["measure", "position", "pk"]
        verbose_name = _("related link")
        verbose_name_plural = _("related links")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(url="") & Q(kind="", key=""))
                | (Q(url="") & ~Q(kind="") & ~Q(key="")),
                name="related_link_url_xor_reference",
            ),
            models.UniqueConstraint(
                fields=["measure", "kind", "key"], condition=~Q(kind=""), name="related_link_unique_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.kind}:{self.key}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.url and (self.kind or self.key):
            raise ValidationError(_("Give either a URL or a reference (kind and key), not both."))
        if not self.url and not (self.kind and self.key):
            raise ValidationError(_("Give a URL with its label, or a reference with its kind and key."))
        if self.url and not (self.label_fr or self.label):
            raise ValidationError({"label_fr": _("A link to a URL needs a label.")})


class Support(models.Model):
    """A person's public support of a measure. Withdrawing keeps the row, inactive;
    supporting again reactivates the same row."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="measure_supports"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("supported on"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "user"], condition=Q(active=True), name="support_one_active_per_user_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → #{self.measure.number}"


class FollowFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("at each update")
    WEEKLY = "weekly", _("in a weekly digest")


class Follow(models.Model):
    """A person wants to hear about a measure's updates, at once or in a weekly digest."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="measure_follows"
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=FollowFrequency.choices, default=FollowFrequency.IMMEDIATE
    )
    created_at = models.DateTimeField(_("followed on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["measure", "user"], name="follow_one_per_user_measure")]

    def __str__(self) -> str:
        return f"{self.user} follows #{self.measure.number}"
