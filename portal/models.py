"""The shared kernel's data: users and profiles, reference data, the notification outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account. Logs in with the e-mail address (no username)."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class ReferenceData(models.Model):
    """A short list staff curate and the seed loads (audiences, regions, contest themes, measure
    origins): each table adds its stable key (``code`` or ``slug``, what imports and the seed
    match on) and its ordering; the name is translated (``portal/translation.py`` registers it
    once for every table built on this one) and ``position`` orders the lists."""

    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Audience(ReferenceData):
    """Who the programme speaks to (seed 000: chefs d'entreprise, élus, agents publics...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("audience category")
        verbose_name_plural = _("audience categories")


class Region(ReferenceData):
    """The 18 French regions, plus "outside France"."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Partner(models.Model):
    """An organisation the programme works with (Medef, CNAM, Cité de l'Objet Connecté...)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class CompanySize(models.TextChoices):
    MICRO = "micro", _("Micro-enterprise (fewer than 10 employees)")
    SMALL = "small", _("Small enterprise (10 to 49 employees)")
    MEDIUM = "medium", _("Medium-sized enterprise (50 to 249 employees)")
    INTERMEDIATE = "intermediate", _("Mid-cap (250 to 4,999 employees)")
    LARGE = "large", _("Large company (5,000 employees or more)")
    NOT_APPLICABLE = "n/a", _("Not applicable")


class NafSection(models.TextChoices):
    """The 21 sections of the French activity nomenclature (INSEE NAF rév. 2 = NACE Rev. 2)."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air-conditioning supply")
    E = "E", _("Water supply, sewerage, waste management and remediation")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade; repair of motor vehicles and motorcycles")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741 — the section's letter
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence; compulsory social security")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work activities")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Activities of households as employers")
    U = "U", _("Activities of extraterritorial organisations and bodies")


class Profile(models.Model):
    """What features need to know about a person, asked when a feature needs it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    audience = models.ForeignKey(
        Audience, verbose_name=_("audience category"), on_delete=models.PROTECT, null=True, blank=True
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True)
    company_size = models.CharField(_("company size"), max_length=20, choices=CompanySize.choices, blank=True)
    sector = models.CharField(_("sector of activity (NAF section)"), max_length=1, choices=NafSection.choices, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The fields a feature may require; names live on the user (first_name, last_name).
    COMPLETION_FIELDS = ("first_name", "last_name", "organisation", "job_title", "audience", "region")

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)

    def missing_fields(self) -> list[str]:
        values = {
            "first_name": self.user.first_name,
            "last_name": self.user.last_name,
            "organisation": self.organisation,
            "job_title": self.job_title,
            "audience": self.audience_id,
            "region": self.region_id,
        }
        return [name for name in self.COMPLETION_FIELDS if not values[name]]

    @property
    def is_complete(self) -> bool:
        return not self.missing_fields()


# --- Notifications ------------------------------------------------------------------------


class NotificationQuerySet(models.QuerySet):
    def in_inbox_of(self, user) -> NotificationQuerySet:
        """What a person's inbox shows: everything addressed to the account but held rows
        (a decision not released yet must reach nobody, not even the inbox)."""
        return self.filter(user=user).exclude(state=Notification.State.HELD)


class Notification(models.Model):
    """One message to one person: an outbox row first, then an e-mail, and an inbox entry.

    States: pending → sending (claimed by one worker, under a lease) → sent, or back to
    pending with a later ``next_attempt_at`` after a failure, or failed after the last
    attempt. ``suppressed`` rows are optional notifications the person opted out of by
    e-mail: they are shown in the inbox only. ``held`` rows wait in a named ``batch`` for
    staff to release them (pending) or discard them (deleted): no worker, sweep or inbox
    sees them until then (contest results, prepared before they are published).
    """

    class State(models.TextChoices):
        HELD = "held", _("Held for review")
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not e-mailed (opted out)")

    recipient_email = models.EmailField(_("recipient e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    dedup_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Makes a notification that must go out once (a reminder, say) idempotent."),
    )
    batch = models.CharField(
        _("batch"), max_length=80, blank=True, db_index=True,
        help_text=_("Held notifications released or discarded together (e.g. one publication of results)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due_idx",
                condition=Q(state__in=["pending", "sending"]),
            ),
            models.Index(fields=["user", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_email} ({self.state})"


class NotificationPreference(models.Model):
    """A person's choice not to receive one kind of optional notification by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=80)
    email_enabled = models.BooleanField(_("receive by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {'on' if self.email_enabled else 'off'}"
