"""Learning expeditions: destinations, trips, their programme and the registrations.

Invariants the database holds:
- one *active* registration per person per expedition: a conditional unique constraint on
  (expedition, user) limited to the active statuses (pending, confirmed, waitlisted,
  offered). A cancelled, refused or expired row stays as history, so cancelling and
  registering again creates a new row (we do not reactivate the old one);
- a waiting-list position exists exactly when the status is "waitlisted", an offer deadline
  exactly when it is "offered" (check constraints).

Capacity (confirmed + pending approval + offered ≤ capacity) and gap-free waiting-list
positions are kept by the one locking service family in ``expeditions.services``.
"""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Audience, Partner


class Destination(models.Model):
    """A digital ecosystem abroad that learning expeditions visit (seed 000)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = models.CharField(_("country"), max_length=120)
    country_code = models.CharField(_("ISO country code"), max_length=2)
    summary = models.TextField(_("summary"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "country"]
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")

    def __str__(self) -> str:
        return self.country


class Tag(models.Model):
    """A theme staff give trips (e.g. "cybersecurity", "e-commerce"): other programmes, such as
    the diagnostic's recommendations, find upcoming trips by tag."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known IANA time zone (e.g. America/Los_Angeles)."), params={"value": value})


class Expedition(models.Model):
    """One trip of a delegation to a destination, with its places and its deadlines."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        REGISTRATION_CLOSED = "closed", _("Registration closed")
        CANCELLED = "cancelled", _("Cancelled")
        PAST = "past", _("Past")

    destination = models.ForeignKey(Destination, verbose_name=_("destination"), on_delete=models.PROTECT, related_name="expeditions")
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    city = models.CharField(_("city"), max_length=120)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone],
                                 help_text=_("IANA name of the local time zone, e.g. America/Los_Angeles."))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    practical_info = models.TextField(_("practical information"), blank=True)
    starts_on = models.DateField(_("departure date"))
    ends_on = models.DateField(_("return date"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    price_cents = models.PositiveIntegerField(_("price (euro cents, excl. VAT)"), default=0)
    price_includes = models.TextField(_("the price includes"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    audiences = models.ManyToManyField(Audience, verbose_name=_("audience categories that may register"), related_name="+",
                                       help_text=_("Leave empty to open the trip to every category."), blank=True)
    language = models.CharField(_("working language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    organiser_name = models.CharField(_("organiser"), max_length=200, blank=True)
    organiser_email = models.EmailField(_("organiser e-mail"), blank=True)
    organiser_phone = models.CharField(_("organiser phone"), max_length=40, blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("partner organisations"), related_name="+", blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="expeditions", blank=True,
                                  help_text=_("Themes of the programme; the diagnostic recommends trips by tag."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    requires_approval = models.BooleanField(_("registrations need staff approval"), default=False)
    offer_hours = models.PositiveSmallIntegerField(_("hours to accept a waiting-list offer"), default=48)
    cancellation_cutoff = models.DateTimeField(
        _("self-service cancellation until"), null=True, blank=True,
        help_text=_("After this moment participants ask staff to cancel. Empty: until departure."))
    purge_after_days = models.PositiveSmallIntegerField(
        _("days after return before sensitive data is purged"), default=30,
        help_text=_("Passport names and dietary needs are erased this many days after the trip."))
    is_demo = models.BooleanField(_("demo content"), default=False)
    # Denormalised counters, written ONLY by expeditions.services under the expedition's row
    # lock, in the transaction that changes the registrations (never by a plain save(), see
    # below): the catalogue reads places left without counting 200 registrations per card.
    places_held = models.PositiveIntegerField(
        _("places held (confirmed, pending, offered)"), default=0, editable=False)
    waitlist_length = models.PositiveIntegerField(_("people on the waiting list"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # modeltranslation adds title_fr/title_en... after simple_history built the historical
    # model: the history keeps the base (French) value of translated fields.
    history = HistoricalRecords(
        m2m_fields=[audiences, partners],
        excluded_fields=[f"{name}_{lang}" for name in ("title", "city", "summary", "practical_info", "price_includes")
                         for lang in ("fr", "en")] + ["places_held", "waitlist_length"],
    )
    COUNTERS = ("places_held", "waitlist_length")

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("expedition")
        verbose_name_plural = _("expeditions")
        indexes = [
            models.Index(fields=["status", "starts_on"], name="expedition_status_start_idx"),
            # the catalogue walks trips in date order and stops after one page
            models.Index(fields=["starts_on", "id"], name="expedition_catalogue_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="expedition_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gte=models.F("registration_opens_at")),
                name="expedition_registration_window_ordered",
            ),
            # the last line of defence behind the lock: never more places held than exist
            models.CheckConstraint(
                condition=Q(places_held__lte=models.F("capacity")), name="expedition_places_within_capacity",
                violation_error_message=_("The capacity cannot be lower than the places already taken."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        """A plain save (admin form, import, seed) never writes the counters: an instance loaded
        before a registration would otherwise put back a stale figure. Only the services move
        them, with an UPDATE under the row lock."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            skipped = set(self.COUNTERS) | self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skipped]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("expeditions:detail", args=[self.slug])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The return date cannot be before the departure date.")})
        if self.registration_opens_at and self.registration_closes_at and self.registration_closes_at < self.registration_opens_at:
            raise ValidationError({"registration_closes_at": _("Registration cannot close before it opens.")})

    @property
    def is_paid(self) -> bool:
        return self.price_cents > 0

    @property
    def price_euros(self) -> str:
        euros, cents = divmod(self.price_cents, 100)
        return f"{euros:,}".replace(",", "\u202f") + (f",{cents:02d}" if cents else "")

    # ``places_taken`` (the held places minus offers past their deadline not yet swept) and
    # ``waiting_count`` are annotated by expeditions.selectors from the counters.
    @property
    def places_left(self) -> int:
        return max(self.capacity - getattr(self, "places_taken", 0), 0)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_past(self) -> bool:
        return self.is_past_on(timezone.localdate())

    def is_past_on(self, today: date) -> bool:
        return self.status == self.Status.PAST or self.ends_on < today

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.registration_opens_at <= now <= self.registration_closes_at
            and self.starts_on > timezone.localdate(now)
        )


class ProgrammeItem(models.Model):
    """One visit or meeting of the day-by-day programme, in the destination's local time."""

    expedition = models.ForeignKey(Expedition, on_delete=models.CASCADE, related_name="programme_items")
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("start (local time)"), null=True, blank=True)
    end_time = models.TimeField(_("end (local time)"), null=True, blank=True)
    title = models.CharField(_("visit or meeting"), max_length=200)
    host_organisation = models.CharField(_("host organisation"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["day", "start_time", "position", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")

    def __str__(self) -> str:
        return f"{self.day} {self.title}"


class Registration(models.Model):
    """A person's place (or wait) on an expedition.

    One active registration per person per expedition is enforced by a *conditional unique
    constraint* (``registration_one_active_per_user``), not by reactivating cancelled rows:
    ended registrations stay as history and registering again inserts a new row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Place offered")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")
        OFFER_EXPIRED = "offer_expired", _("Offer expired")
        OFFER_DECLINED = "offer_declined", _("Offer declined")

    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    HOLDING_A_PLACE = (Status.PENDING, Status.CONFIRMED, Status.OFFERED)

    class Payment(models.TextChoices):
        NOT_DUE = "not_due", _("Free of charge")
        DUE = "due", _("To invoice")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")

    expedition = models.ForeignKey(Expedition, verbose_name=_("expedition"), on_delete=models.PROTECT, related_name="registrations")
    # Empty only for a group's colleague who has not accepted yet (``invited_email`` says who).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.CASCADE,
                             related_name="expedition_registrations", null=True, blank=True)
    group = models.ForeignKey("GroupRegistration", verbose_name=_("group"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="registrations")
    invited_name = models.CharField(_("name given by the group's contact"), max_length=200, blank=True)
    invited_email = models.EmailField(_("address the colleague was invited at"), blank=True)
    group_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("colleague accepted"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    waitlist_position = models.PositiveIntegerField(_("waiting-list position"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    # What the trip asks. passport_name and dietary_needs are purged after the trip.
    passport_name = models.CharField(_("name as in the passport"), max_length=200, blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    dietary_consent = models.BooleanField(_("consent to process dietary needs"), default=False)
    remarks = models.TextField(_("remarks"), blank=True)
    share_consent = models.BooleanField(_("appears on the delegation list"), default=False)
    billing_organisation = models.CharField(_("billing organisation"), max_length=200, blank=True)
    billing_address = models.TextField(_("billing address"), blank=True)
    billing_tax_id = models.CharField(_("SIRET or VAT number"), max_length=40, blank=True)
    billing_po_reference = models.CharField(_("purchase-order reference"), max_length=80, blank=True)
    payment = models.CharField(_("payment"), max_length=20, choices=Payment.choices, default=Payment.NOT_DUE)
    cancellation_requested_at = models.DateTimeField(_("cancellation requested"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    sensitive_data_purged_at = models.DateTimeField(_("sensitive data purged"), null=True, blank=True)

    # Sensitive fields stay out of the history, so purging them purges them for good.
    history = HistoricalRecords(excluded_fields=["passport_name", "dietary_needs", "remarks", "billing_address", "group_token"])

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["expedition", "user"],
                condition=Q(status__in=["pending", "confirmed", "waitlisted", "offered"]),
                name="registration_one_active_per_user",
                violation_error_message=_("You already have an active registration for this expedition."),
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="registration_position_iff_waitlisted",
            ),
            # One active place per address in a trip's groups (the same person twice in a group).
            models.UniqueConstraint(
                "expedition", Lower("invited_email"),
                condition=Q(status__in=["pending", "confirmed", "waitlisted", "offered"], group__isnull=False),
                name="registration_one_active_per_invited_email",
                violation_error_message=_("This colleague already has a place in a group for this expedition."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(group__isnull=False, invited_email__gt=""),
                name="registration_person_or_invited_colleague",
            ),
            models.CheckConstraint(
                condition=Q(status="offered", offer_expires_at__isnull=False)
                | (~Q(status="offered") & Q(offer_expires_at__isnull=True)),
                name="registration_deadline_iff_offered",
            ),
        ]
        indexes = [
            models.Index(fields=["expedition", "status"], name="registration_exp_status_idx"),
            models.Index(fields=["user", "status"], name="registration_user_status_idx"),
            models.Index(fields=["offer_expires_at"], name="registration_offer_due_idx", condition=Q(status="offered")),
            # the admin's list in its default order stops after one page, ties (bulk imports) included
            models.Index(fields=["created_at", "id"], name="registration_list_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.invited_email} → {self.expedition} ({self.status_label})"

    @property
    def status_label(self) -> str:
        """``get_status_display()``, without making every choice hashable at each call (the
        registrations list asks it twice per row)."""
        try:
            return str(self.Status(self.status).label)
        except ValueError:
            return str(self.status)

    @property
    def person_label(self) -> str:
        """The participant's name, or for a colleague who has not accepted yet the name the contact gave."""
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.invited_name or self.invited_email

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class GroupRegistration(models.Model):
    """Several named colleagues registered for one trip by an organisation's contact.

    Each colleague has a registration row of his or her own (``Registration.group``), so that the
    one door for places (``expeditions.services.core``) counts them like anyone else's. When fewer
    places are left than the group needs, the contact chose how it waits: take the places left
    and wait for the rest (each remaining row waits like a single person), or wait together as
    one entry (never split; it does not hold back single people when fewer places than it needs
    are free).
    """

    class Mode(models.TextChoices):
        TAKE_AND_WAIT = "take_and_wait", _("Take the places left and wait for the rest")
        TOGETHER = "together", _("Wait together as one entry")

    expedition = models.ForeignKey(Expedition, verbose_name=_("expedition"), on_delete=models.PROTECT,
                                   related_name="groups")
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="expedition_groups")
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("contact"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="expedition_groups")
    mode = models.CharField(_("when places are short"), max_length=20, choices=Mode.choices, default=Mode.TAKE_AND_WAIT)
    po_reference = models.CharField(_("purchase-order reference"), max_length=80, blank=True)
    details_due_at = models.DateTimeField(_("colleagues complete their details before"))
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("group registration")
        verbose_name_plural = _("group registrations")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.expedition}"

    @property
    def waits_together(self) -> bool:
        return self.mode == self.Mode.TOGETHER


class CalendarFeed(models.Model):
    """The secret token of a person's personal iCal feed; regenerating it revokes the old URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expedition_calendar_feed")
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    def __str__(self) -> str:
        return f"feed of {self.user}"
