"""The one door for places: the expedition lock, counting, transitions, the waiting list.

Capacity rules (the one door, after pretix's locking doc):
1. Everything that takes or frees a place runs in ``transaction.atomic()`` and first locks
   the expedition row (``portal.locking.lock_row(Expedition, pk)``), once, before it counts
   anything.
2. Places taken = confirmed + pending approval + offered. They never exceed capacity.
3. The waiting list is first come, first served; positions are 1..n without gaps (a newcomer
   gets n + 1 under the lock; whoever leaves shifts the ones behind by one).
4. When a place frees (cancellation, refusal, expired or declined offer, capacity raised),
   :func:`_fill_places` offers it to the head of the list with a deadline stored in the row.
   A group waiting together is one entry of the list: offered all its places at once, never
   split; when fewer places are free than it needs, they go in list order to whoever fits
   (it does not hold back the single people behind it).
5. Deadlines are acted on by the periodic sweep and also whenever a locked service reads
   the expedition (expired offers are expired first).
Every status change goes through :func:`_transition`, which checks the transition, saves
and queues the notification in the same transaction; a confirmation also issues the invoice
of a paid trip there (``billing.services.invoice_for_confirmed_registration``).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expeditions.models import Expedition, Registration
from portal.locking import lock_row
from portal.models import User
from portal.notifications.services import notify, route

logger = logging.getLogger(__name__)
S = Registration.Status


class RegistrationError(Exception):
    """A rule refused the action. ``message`` is translated and safe to show to the person."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _counts(expedition: Expedition) -> dict[str, int]:
    return Registration.objects.filter(expedition=expedition).aggregate(
        taken=Count("pk", filter=Q(status__in=Registration.HOLDING_A_PLACE)),
        waiting=Count("pk", filter=Q(status=S.WAITLISTED)),
    )


# --- The counters on the expedition row (read by the catalogue) -------------------------------


def _counter_of(status: str | None) -> str | None:
    if status in Registration.HOLDING_A_PLACE:
        return "places_held"
    if status == S.WAITLISTED:
        return "waitlist_length"
    return None


def _move_counters(expedition_id: int, *, old: str | None, new: str | None) -> None:
    """Keep ``places_held``/``waitlist_length`` equal to the rows: one UPDATE in the caller's
    transaction, under the expedition lock. Relative (F() ± 1), so that even without the lock
    the check constraint ``places_held <= capacity`` refuses an overbooking."""
    before, after = _counter_of(old), _counter_of(new)
    if before == after:
        return
    changes = {}
    if before:
        changes[before] = F(before) - 1
    if after:
        changes[after] = F(after) + 1
    Expedition.objects.filter(pk=expedition_id).update(**changes)


def _resync_counters(expedition: Expedition) -> None:
    """Set the counters from the rows (after a bulk insert by the seed or the benchmark). Needs the lock."""
    counts = _counts(expedition)
    Expedition.objects.filter(pk=expedition.pk).update(places_held=counts["taken"], waitlist_length=counts["waiting"])
    expedition.places_held, expedition.waitlist_length = counts["taken"], counts["waiting"]


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


MY_SPACE = route("me:dashboard", fragment="me-expeditions")  # the registrations' section of Mon espace


def recipient(registration: Registration) -> dict:
    """Who hears of a registration: its person, or a group's colleague not yet on the portal at
    the address the contact gave."""
    if registration.user_id is None:
        return {"user": None, "recipient_email": registration.invited_email}
    return {"user": registration.user}


def _notify_status(registration: Registration) -> None:
    kind = NOTIFICATION_FOR_STATUS.get(registration.status)
    if kind is None:
        return
    if registration.group_id and registration.user_id is None and registration.status == S.OFFERED:
        # A colleague not yet on the portal cannot answer: the group's contact does.
        group = registration.group
        if group.contact_id is not None:
            notify(kind="expeditions.group_offered", user=group.contact,
                   context={"registration": registration, "expedition": registration.expedition, "group": group},
                   link=route("expeditions:group_detail", group.pk),
                   dedup_key=f"expeditions.group_offered:{group.pk}:{registration.offer_expires_at.isoformat()}")
        return
    notify(
        kind=kind,
        **recipient(registration),
        context={"registration": registration, "expedition": registration.expedition},
        link=MY_SPACE,
    )


def _leave_waitlist(registration: Registration) -> None:
    position = registration.waitlist_position
    registration.waitlist_position = None
    if position is not None:
        Registration.objects.filter(
            expedition_id=registration.expedition_id, status=S.WAITLISTED, waitlist_position__gt=position
        ).exclude(pk=registration.pk).update(waitlist_position=F("waitlist_position") - 1)


def _transition(registration: Registration, new_status: str, *, now: datetime, offer_hours: int | None = None,
                notify_person: bool = True) -> Registration:
    """The one door for a status change: check, save, notify (inside the caller's lock).
    ``notify_person=False`` only when the person's account is being erased."""
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
    _move_counters(registration.expedition_id, old=old, new=new_status)
    if new_status == S.CONFIRMED:
        _on_confirmed(registration, now=now)
    if notify_person:
        _notify_status(registration)
    logger.info("registration %s: %s → %s", registration.pk, old, new_status)
    return registration


def _on_confirmed(registration: Registration, *, now: datetime) -> None:
    """A confirmed place of a paid trip is invoiced in the confirming transaction (billing's one door)."""
    from billing.services import invoice_for_confirmed_registration

    invoice_for_confirmed_registration(registration=registration, now=now)


def _fill_places(expedition: Expedition, *, now: datetime) -> int:
    """Offer every free place to the head of the waiting list. Needs the expedition lock."""
    if expedition.status not in (Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED):
        return 0
    if expedition.starts_on <= timezone.localdate(now):
        return 0
    free = expedition.capacity - _counts(expedition)["taken"]
    offered = 0
    if free <= 0:
        return 0
    for entry in _waiting_entries(expedition):
        if free <= 0:
            break
        if len(entry) > free:
            continue  # a group waiting together is never split; the people behind it are not held back
        for pk in entry:
            # One at a time, read again: each offer closes the gap it leaves in the positions.
            registration = Registration.objects.select_related("user", "expedition").get(pk=pk)
            _transition(registration, S.OFFERED, now=now, offer_hours=expedition.offer_hours)
        free -= len(entry)
        offered += len(entry)
    return offered


def _waiting_entries(expedition: Expedition) -> list[list[int]]:
    """The waiting list as entries, in order: one row for a single person (or a colleague of a
    group that takes places as they free up), every waiting row of a group waiting together."""
    from expeditions.models import GroupRegistration

    rows = (
        Registration.objects.filter(expedition=expedition, status=S.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("pk", "group_id", "group__mode")
    )
    entries: list[list[int]] = []
    groups: dict[int, list[int]] = {}
    for pk, group_id, mode in rows:
        if group_id is not None and mode == GroupRegistration.Mode.TOGETHER:
            if group_id in groups:
                groups[group_id].append(pk)
                continue
            groups[group_id] = [pk]
            entries.append(groups[group_id])
        else:
            entries.append([pk])
    return entries


def _someone_waiting_fits(expedition: Expedition, free: int, waiting: int) -> bool:
    """Whether a place that is free now belongs to someone already waiting (who fits in it)."""
    if waiting == 0 or free <= 0:
        return False
    return any(len(entry) <= free for entry in _waiting_entries(expedition))


def _offers_due(expedition_id: int, *, now: datetime) -> bool:
    """Whether the trip has offers past their deadline at ``now`` (no lock: the partial index of
    running offers answers)."""
    return Registration.objects.filter(expedition_id=expedition_id, status=S.OFFERED, offer_expires_at__lt=now).exists()


def _expire_due_offers(expedition: Expedition, *, now: datetime) -> int:
    due = list(
        Registration.objects.select_related("user", "expedition")
        .filter(expedition=expedition, status=S.OFFERED, offer_expires_at__lt=now)
        .order_by("offer_expires_at", "pk")
    )
    for registration in due:
        _transition(registration, S.OFFER_EXPIRED, now=now)
    return len(due)



def _locked_registration(*, registration_id: int, user: User | None) -> tuple[Expedition, Registration]:
    """Lock the expedition, then load the registration (the person's own when ``user`` is given)."""
    expedition_id = Registration.objects.filter(pk=registration_id).values_list("expedition_id", flat=True).first()
    if expedition_id is None:
        raise Registration.DoesNotExist
    expedition = lock_row(Expedition, expedition_id)
    qs = Registration.objects.select_related("user").filter(pk=registration_id)
    if user is not None:
        qs = qs.filter(user=user)
    registration = qs.get()  # DoesNotExist for another person's id: the view answers 404
    registration.expedition = expedition
    return expedition, registration
