"""Every write of the expeditions app.

Capacity rules (the one door, after pretix's locking doc):
1. Everything that takes or frees a place runs in ``transaction.atomic()`` and first locks
   the expedition row with ``select_for_update()`` (:func:`_lock_expedition`), once, before
   it counts anything.
2. Places taken = confirmed + pending approval + offered. They never exceed capacity.
3. The waiting list is first come, first served; positions are 1..n without gaps (a newcomer
   gets n + 1 under the lock; whoever leaves shifts the ones behind by one).
4. When a place frees (cancellation, refusal, expired or declined offer, capacity raised),
   :func:`_fill_places` offers it to the head of the list with a deadline stored in the row.
5. Deadlines are acted on by the periodic sweep and also whenever a locked service reads
   the expedition (expired offers are expired first).
Every status change goes through :func:`_transition`, which checks the transition, saves
and queues the notification in the same transaction.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expeditions.models import CalendarFeed, Expedition, Registration
from expeditions.selectors import with_availability
from portal.models import Profile, User
from portal.notifications.services import notify

logger = logging.getLogger(__name__)
S = Registration.Status


class RegistrationError(Exception):
    """A rule refused the action. ``message`` is translated and safe to show to the person."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


# --- The lock (and its test-only hook) --------------------------------------------------------


@dataclass
class _LockingSwitch:
    enabled: bool = True
    pause_seconds: float = 0.0


LOCKING = _LockingSwitch()


@contextmanager
def locking_switched_off_for_tests(*, pause_seconds: float = 0.05):
    """TEST ONLY: skip the row lock and pause inside the critical section, to prove the race."""
    LOCKING.enabled, LOCKING.pause_seconds = False, pause_seconds
    try:
        yield
    finally:
        LOCKING.enabled, LOCKING.pause_seconds = True, 0.0


def _lock_expedition(expedition_id: int) -> Expedition:
    if not connection.in_atomic_block:
        raise RuntimeError("_lock_expedition must run inside transaction.atomic().")
    qs = Expedition.objects.all()
    if LOCKING.enabled:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # never wait forever behind a stuck transaction
                cursor.execute("SET LOCAL lock_timeout = '15s'")
        qs = qs.select_for_update()
    return qs.get(pk=expedition_id)


def _critical_section_pause() -> None:
    if LOCKING.pause_seconds:
        time.sleep(LOCKING.pause_seconds)


def _counts(expedition: Expedition) -> dict[str, int]:
    return Registration.objects.filter(expedition=expedition).aggregate(
        taken=Count("pk", filter=Q(status__in=Registration.HOLDING_A_PLACE)),
        waiting=Count("pk", filter=Q(status=S.WAITLISTED)),
    )


# --- Transitions and notifications -----------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.CONFIRMED, S.REFUSED, S.CANCELLED},
    S.CONFIRMED: {S.CANCELLED},
    S.WAITLISTED: {S.OFFERED, S.CANCELLED},
    S.OFFERED: {S.CONFIRMED, S.PENDING, S.OFFER_EXPIRED, S.OFFER_DECLINED, S.CANCELLED},
}
NOTIFICATION_FOR_STATUS = {
    S.PENDING: "expeditions.received",
    S.CONFIRMED: "expeditions.confirmed",
    S.WAITLISTED: "expeditions.waitlisted",
    S.OFFERED: "expeditions.offered",
    S.REFUSED: "expeditions.refused",
    S.CANCELLED: "expeditions.cancelled",
    S.OFFER_EXPIRED: "expeditions.offer_expired",
}


def _my_space_link() -> str:
    return reverse("me:dashboard") + "#me-expeditions"


def _notify_status(registration: Registration) -> None:
    kind = NOTIFICATION_FOR_STATUS.get(registration.status)
    if kind is None:
        return
    notify(
        kind=kind,
        user=registration.user,
        context={"registration": registration, "expedition": registration.expedition},
        link=_my_space_link(),
    )


def _leave_waitlist(registration: Registration) -> None:
    position = registration.waitlist_position
    registration.waitlist_position = None
    if position is not None:
        Registration.objects.filter(
            expedition_id=registration.expedition_id, status=S.WAITLISTED, waitlist_position__gt=position
        ).exclude(pk=registration.pk).update(waitlist_position=F("waitlist_position") - 1)


def _transition(registration: Registration, new_status: str, *, now: datetime, offer_hours: int | None = None) -> Registration:
    """The one door for a status change: check, save, notify (inside the caller's lock)."""
    old = registration.status
    if new_status not in TRANSITIONS.get(old, set()):
        raise RegistrationError(_("This registration cannot change from “%(old)s” to “%(new)s”.")
                                % {"old": S(old).label, "new": S(new_status).label}, "transition")
    if old == S.WAITLISTED:
        _leave_waitlist(registration)
    registration.status = new_status
    registration.status_changed_at = now
    registration.offer_expires_at = now + timedelta(hours=offer_hours or 48) if new_status == S.OFFERED else None
    if new_status not in Registration.ACTIVE:
        registration.cancellation_requested_at = None
    registration.save(update_fields=["status", "status_changed_at", "waitlist_position", "offer_expires_at",
                                      "cancellation_requested_at"])
    _notify_status(registration)
    logger.info("registration %s: %s → %s", registration.pk, old, new_status)
    return registration


def _fill_places(expedition: Expedition, *, now: datetime) -> int:
    """Offer every free place to the head of the waiting list. Needs the expedition lock."""
    if expedition.status not in (Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED):
        return 0
    if expedition.starts_on <= timezone.localdate(now):
        return 0
    free = expedition.capacity - _counts(expedition)["taken"]
    offered = 0
    while free > 0:
        head = (
            Registration.objects.select_related("user", "expedition")
            .filter(expedition=expedition, status=S.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if head is None:
            break
        _transition(head, S.OFFERED, now=now, offer_hours=expedition.offer_hours)
        free -= 1
        offered += 1
    return offered


def _expire_due_offers(expedition: Expedition, *, now: datetime) -> int:
    due = list(
        Registration.objects.select_related("user", "expedition")
        .filter(expedition=expedition, status=S.OFFERED, offer_expires_at__lt=now)
        .order_by("offer_expires_at", "pk")
    )
    for registration in due:
        _transition(registration, S.OFFER_EXPIRED, now=now)
    return len(due)


REASON_INCOMPLETE_PROFILE = _("Complete your profile before registering.")

# --- Registering -------------------------------------------------------------------------------


def registration_refusal_reason(*, expedition: Expedition, user: User, now: datetime | None = None):
    """Why this person may not register now (a translated message), or None. No lock, no write."""
    now = now or timezone.now()
    if expedition.status == Expedition.Status.DRAFT:
        return _("This expedition is not published.")
    if expedition.status == Expedition.Status.CANCELLED:
        return _("This expedition has been cancelled.")
    if expedition.is_past or expedition.starts_on <= timezone.localdate(now):
        return _("This expedition has already taken place.")
    if expedition.status == Expedition.Status.REGISTRATION_CLOSED or now > expedition.registration_closes_at:
        return _("Registration for this expedition is closed.")
    if now < expedition.registration_opens_at:
        return _("Registration for this expedition is not open yet.")
    if not user.is_authenticated:
        return _("Log in to register.")
    profile = Profile.objects.filter(user_id=user.pk).first()
    if profile is None or not profile.is_complete:
        return REASON_INCOMPLETE_PROFILE
    allowed = [a.pk for a in expedition.audiences.all()]
    if allowed and profile.audience_id not in allowed:
        return _("This expedition is not open to your audience category (%(audience)s).") % {"audience": profile.audience}
    return None


def registration_create(
    *,
    expedition_id: int,
    user: User,
    passport_name: str,
    dietary_needs: str = "",
    dietary_consent: bool = False,
    remarks: str = "",
    share_consent: bool = False,
    billing_organisation: str = "",
    billing_address: str = "",
    billing_tax_id: str = "",
    billing_po_reference: str = "",
    now: datetime | None = None,
) -> Registration:
    """Register a person: a place if one is free and nobody waits, else the waiting list.

    Confirmed directly, or pending when the trip needs staff approval (pending holds a
    place). Refused with a RegistrationError for a draft/cancelled/past/closed trip, an
    ineligible audience, an incomplete profile or an existing active registration.
    Dietary needs are kept only with explicit consent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        expedition = _lock_expedition(expedition_id)
        reason = registration_refusal_reason(expedition=expedition, user=user, now=now)
        if reason:
            raise RegistrationError(reason, "not_allowed")
        if dietary_needs.strip() and not dietary_consent:
            raise RegistrationError(_("Tick the consent box so that we may keep your dietary needs."), "consent")
        if expedition.is_paid and not (billing_organisation.strip() and billing_address.strip()):
            raise RegistrationError(_("This expedition is paid: billing organisation and address are required."), "billing")
        _expire_due_offers(expedition, now=now)
        if Registration.objects.filter(expedition=expedition, user=user, status__in=Registration.ACTIVE).exists():
            raise RegistrationError(_("You are already registered for this expedition."), "duplicate")
        counts = _counts(expedition)
        _critical_section_pause()
        registration = Registration(
            expedition=expedition,
            user=user,
            passport_name=passport_name.strip(),
            dietary_needs=dietary_needs.strip() if dietary_consent else "",
            dietary_consent=dietary_consent and bool(dietary_needs.strip()),
            remarks=remarks.strip(),
            share_consent=share_consent,
            billing_organisation=billing_organisation.strip(),
            billing_address=billing_address.strip(),
            billing_tax_id=billing_tax_id.strip(),
            billing_po_reference=billing_po_reference.strip(),
            payment=Registration.Payment.DUE if expedition.is_paid else Registration.Payment.NOT_DUE,
            created_at=now,
            status_changed_at=now,
        )
        if counts["taken"] < expedition.capacity and counts["waiting"] == 0:
            registration.status = S.PENDING if expedition.requires_approval else S.CONFIRMED
        else:
            registration.status = S.WAITLISTED
            registration.waitlist_position = counts["waiting"] + 1
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise RegistrationError(_("You are already registered for this expedition."), "duplicate") from None
        _notify_status(registration)
    return registration


# --- Participant actions --------------------------------------------------------------------------


def _locked_registration(*, registration_id: int, user: User | None) -> tuple[Expedition, Registration]:
    """Lock the expedition, then load the registration (the person's own when ``user`` is given)."""
    expedition_id = Registration.objects.filter(pk=registration_id).values_list("expedition_id", flat=True).first()
    if expedition_id is None:
        raise Registration.DoesNotExist
    expedition = _lock_expedition(expedition_id)
    qs = Registration.objects.select_related("user").filter(pk=registration_id)
    if user is not None:
        qs = qs.filter(user=user)
    registration = qs.get()  # DoesNotExist for another person's id: the view answers 404
    registration.expedition = expedition
    return expedition, registration


def registration_cancel(*, registration_id: int, user: User | None = None, by_staff: bool = False,
                        now: datetime | None = None) -> Registration:
    """Cancel a registration and pass its place on.

    A participant (``user``) may cancel their own active registration until the trip's
    cancellation cut-off (and never after departure); after it they ask staff
    (:func:`registration_request_cancellation`). Staff (``by_staff=True``) may always cancel.
    """
    if user is None and not by_staff:
        raise ValueError("Say who cancels: the participant (user=...) or staff (by_staff=True).")
    now = now or timezone.now()
    with transaction.atomic():
        expedition, registration = _locked_registration(registration_id=registration_id, user=None if by_staff else user)
        if registration.status not in Registration.ACTIVE:
            raise RegistrationError(_("This registration is no longer active."), "inactive")
        if not by_staff:
            if expedition.cancellation_cutoff and now > expedition.cancellation_cutoff:
                raise RegistrationError(_("The cancellation deadline has passed: ask the organisers to cancel."), "cutoff")
            if expedition.starts_on <= timezone.localdate(now):
                raise RegistrationError(_("The expedition has started: ask the organisers."), "cutoff")
        held_a_place = registration.status in Registration.HOLDING_A_PLACE
        _transition(registration, S.CANCELLED, now=now)
        if held_a_place:
            _fill_places(expedition, now=now)
    return registration


def registration_request_cancellation(*, registration_id: int, user: User, now: datetime | None = None) -> Registration:
    """After the cut-off a participant asks staff to cancel; staff accept with :func:`registration_cancel`."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition, registration = _locked_registration(registration_id=registration_id, user=user)
        if registration.status not in Registration.ACTIVE:
            raise RegistrationError(_("This registration is no longer active."), "inactive")
        if registration.cancellation_requested_at:
            raise RegistrationError(_("You have already asked to cancel this registration."), "already_requested")
        registration.cancellation_requested_at = now
        registration.save(update_fields=["cancellation_requested_at"])
        if expedition.organiser_email:
            notify(
                kind="expeditions.cancellation_requested",
                recipient_email=expedition.organiser_email,
                language="fr",
                context={"registration": registration, "expedition": expedition},
                link=reverse("admin:expeditions_registration_change", args=[registration.pk]),
            )
    return registration


def registration_offer_accept(*, registration_id: int, user: User, now: datetime | None = None) -> Registration:
    """Accept an offered place before its deadline (inclusive): confirmed, or pending on approval trips.

    A late accept is refused; the offer is then expired and the place passes on (committed
    before the refusal is raised).
    """
    now = now or timezone.now()
    late = False
    with transaction.atomic():
        expedition, registration = _locked_registration(registration_id=registration_id, user=user)
        if registration.status != S.OFFERED:
            raise RegistrationError(_("There is no place on offer for this registration."), "no_offer")
        if now > registration.offer_expires_at:
            late = True
            _transition(registration, S.OFFER_EXPIRED, now=now)
            _fill_places(expedition, now=now)
        else:
            _transition(registration, S.PENDING if expedition.requires_approval else S.CONFIRMED, now=now)
    if late:
        raise RegistrationError(_("Sorry, the deadline to accept this place has passed."), "offer_expired")
    return registration


def registration_offer_decline(*, registration_id: int, user: User, now: datetime | None = None) -> Registration:
    """Decline an offered place: the registration leaves the list and the place passes on."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition, registration = _locked_registration(registration_id=registration_id, user=user)
        if registration.status != S.OFFERED:
            raise RegistrationError(_("There is no place on offer for this registration."), "no_offer")
        _transition(registration, S.OFFER_DECLINED, now=now)
        _fill_places(expedition, now=now)
    return registration


# --- Staff actions ----------------------------------------------------------------------------------


def registration_confirm(*, registration_id: int, now: datetime | None = None) -> Registration:
    """Staff approve a pending registration (its place is already held)."""
    now = now or timezone.now()
    with transaction.atomic():
        _expedition, registration = _locked_registration(registration_id=registration_id, user=None)
        return _transition(registration, S.CONFIRMED, now=now)


def registration_refuse(*, registration_id: int, now: datetime | None = None) -> Registration:
    """Staff refuse a pending registration; its place passes to the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition, registration = _locked_registration(registration_id=registration_id, user=None)
        _transition(registration, S.REFUSED, now=now)
        _fill_places(expedition, now=now)
    return registration


def registration_offer_place(*, registration_id: int, now: datetime | None = None) -> Registration:
    """Staff offer a free place to a given waitlisted person (out of turn); only if a place is free."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition, registration = _locked_registration(registration_id=registration_id, user=None)
        if registration.status != S.WAITLISTED:
            raise RegistrationError(_("Only a person on the waiting list can be offered a place."), "not_waitlisted")
        if _counts(expedition)["taken"] >= expedition.capacity:
            raise RegistrationError(_("No place is free: raise the capacity or wait for a cancellation."), "full")
        return _transition(registration, S.OFFERED, now=now, offer_hours=expedition.offer_hours)


def registration_set_payment(*, registration_ids: list[int], payment: str) -> int:
    """Staff record that registrations were invoiced or paid (no online payment)."""
    if payment not in (Registration.Payment.INVOICED, Registration.Payment.PAID):
        raise ValueError(payment)
    updated = 0
    with transaction.atomic():
        for registration in Registration.objects.filter(pk__in=registration_ids).exclude(payment=Registration.Payment.NOT_DUE):
            registration.payment = payment
            registration.save(update_fields=["payment"])
            updated += 1
    return updated


def expedition_change_capacity(*, expedition_id: int, capacity: int, now: datetime | None = None) -> Expedition:
    """Staff change the capacity: never below the places taken; a raise offers the new places."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition = _lock_expedition(expedition_id)
        taken = _counts(expedition)["taken"]
        if capacity < taken:
            raise RegistrationError(
                _("The capacity cannot be lower than the %(taken)d places already taken.") % {"taken": taken}, "capacity")
        expedition.capacity = capacity
        expedition.save(update_fields=["capacity", "updated_at"])
        _fill_places(expedition, now=now)
    return expedition


def expedition_cancel(*, expedition_id: int, now: datetime | None = None) -> int:
    """Staff cancel a whole trip: every active registration is cancelled and told so."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition = _lock_expedition(expedition_id)
        expedition.status = Expedition.Status.CANCELLED
        expedition.save(update_fields=["status", "updated_at"])
        active = list(Registration.objects.select_related("user").filter(expedition=expedition, status__in=Registration.ACTIVE)
                      .order_by("waitlist_position", "pk"))
        for registration in reversed(active):  # from the back of the list: no position shuffling
            registration.expedition = expedition
            _transition(registration, S.CANCELLED, now=now)
    return len(active)


def expedition_message_registrants(*, expedition_id: int, subject: str, body: str, statuses: list[str]) -> int:
    """Staff send one message to the registrants with the given statuses (an explicit act, never on save)."""
    expedition = Expedition.objects.get(pk=expedition_id)
    with transaction.atomic():
        registrations = Registration.objects.select_related("user").filter(expedition=expedition, status__in=statuses)
        count = 0
        for registration in registrations:
            notify(
                kind="expeditions.staff_message",
                user=registration.user,
                context={"expedition": expedition, "registration": registration, "subject": subject, "message": body},
                link=expedition.get_absolute_url(),
            )
            count += 1
    return count


# --- Periodic jobs (idempotent) ---------------------------------------------------------------------------


def expeditions_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Act on deadlines: expire due offers (and pass places on), warn of offers expiring within 24 h,
    remind confirmed participants 7 days and 1 day before departure (once each), move ended trips to past."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = {"expired": 0, "offered": 0, "warned": 0, "reminded": 0, "past": 0}
    due_expeditions = set(
        Registration.objects.filter(status=S.OFFERED, offer_expires_at__lt=now).values_list("expedition_id", flat=True)
    )
    # Free places with people waiting (a capacity raised by an import, say) are offered too.
    waiting_with_room = set(
        with_availability(
            Expedition.objects.filter(
                status__in=[Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED], starts_on__gt=today
            ),
            now=now,
        )
        .filter(waiting_count__gt=0, places_taken__lt=F("capacity"))
        .values_list("pk", flat=True)
    )
    for expedition_id in sorted(due_expeditions | waiting_with_room):
        with transaction.atomic():
            expedition = _lock_expedition(expedition_id)
            result["expired"] += _expire_due_offers(expedition, now=now)
            result["offered"] += _fill_places(expedition, now=now)
    with transaction.atomic():
        expiring = Registration.objects.select_related("user", "expedition").filter(
            status=S.OFFERED, offer_expires_at__gte=now, offer_expires_at__lte=now + timedelta(hours=24)
        )
        for registration in expiring:
            sent = notify(
                kind="expeditions.offer_expiring",
                user=registration.user,
                context={"registration": registration, "expedition": registration.expedition},
                link=_my_space_link(),
                dedup_key=f"expeditions.offer_expiring:{registration.pk}",
            )
            result["warned"] += sent is not None
        upcoming = Registration.objects.select_related("user", "expedition").filter(
            status=S.CONFIRMED,
            expedition__status__in=[Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED],
            expedition__starts_on__gte=today,
            expedition__starts_on__lte=today + timedelta(days=7),
        )
        for registration in upcoming:
            days_left = (registration.expedition.starts_on - today).days
            which = 1 if days_left <= 1 else 7
            sent = notify(
                kind="expeditions.reminder",
                user=registration.user,
                context={"registration": registration, "expedition": registration.expedition, "days_left": days_left},
                link=_my_space_link(),
                dedup_key=f"expeditions.reminder{which}:{registration.pk}",
            )
            result["reminded"] += sent is not None
        result["past"] = Expedition.objects.filter(
            status__in=[Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED], ends_on__lt=today
        ).update(status=Expedition.Status.PAST, updated_at=now)
    return result


def expeditions_purge_sensitive_data(*, now: datetime | None = None) -> int:
    """Erase passport names and dietary needs ``purge_after_days`` after each trip's return."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Registration.objects.filter(sensitive_data_purged_at__isnull=True).select_related("expedition")
    ids = [
        r.pk
        for r in candidates.only("pk", "expedition__ends_on", "expedition__purge_after_days").filter(expedition__ends_on__lt=today)
        if r.expedition.ends_on + timedelta(days=r.expedition.purge_after_days) < today
    ]
    return Registration.objects.filter(pk__in=ids).update(
        passport_name="", dietary_needs="", dietary_consent=False, sensitive_data_purged_at=now
    )


# --- Personal calendar feed ---------------------------------------------------------------------------------


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """Revoke the old secret URL by issuing a new token."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


# --- Personal data -------------------------------------------------------------------------------------------


def registrations_erase_for_user(*, user: User) -> None:
    """Account deletion: free the person's places (passing them on to the waiting list),
    then delete their registrations and their history rows. No notification: the account goes."""
    now = timezone.now()
    for registration_id in Registration.objects.filter(user=user, status__in=Registration.ACTIVE).values_list("pk", flat=True):
        with transaction.atomic():
            expedition, registration = _locked_registration(registration_id=registration_id, user=None)
            held_a_place = registration.status in Registration.HOLDING_A_PLACE
            if registration.status == S.WAITLISTED:
                _leave_waitlist(registration)
            registration.status, registration.offer_expires_at = S.CANCELLED, None
            registration.save(update_fields=["status", "waitlist_position", "offer_expires_at"])
            if held_a_place:
                _fill_places(expedition, now=now)
    Registration.objects.filter(user=user).delete()
    Registration.history.filter(user_id=user.pk).delete()
    CalendarFeed.objects.filter(user=user).delete()
