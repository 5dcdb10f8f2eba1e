"""Registering, participant actions and staff actions (all through the lock in core)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expeditions import rules
from expeditions.models import Expedition, Registration
from expeditions.services.core import (
    RegistrationError,
    S,
    _counts,
    _expire_due_offers,
    _fill_places,
    _leave_waitlist,
    _locked_registration,
    _move_counters,
    _notify_status,
    _offers_due,
    _on_confirmed,
    _resync_counters,
    _someone_waiting_fits,
    _transition,
    recipient,
)
from portal.locking import lock_row, race_window
from portal.models import User
from portal.notifications.services import notify, route


def registration_create(
    *,
    expedition_id: int | None = None,
    expedition: Expedition | None = None,
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
    Dietary needs are kept only with explicit consent. Give the trip's id, or the trip as the
    caller read it (its status and dates are checked again on the locked row).
    """
    now = now or timezone.now()
    # Before the lock, what does not depend on the places: the person (profile, audience), the
    # form's consents and an existing registration. Paid once per person, not one after the other
    # in a rush; the conditional unique constraint refuses a duplicate racing past the check.
    if expedition is None:
        expedition = Expedition.objects.get(pk=expedition_id)
    expedition_id = expedition.pk
    reason = rules.registration_refusal_reason(expedition=expedition, user=user, now=now)
    if reason:
        raise RegistrationError(reason, "complete_profile" if reason == rules.REASON_INCOMPLETE_PROFILE else "not_allowed")
    if dietary_needs.strip() and not dietary_consent:
        raise RegistrationError(_("Tick the consent box so that we may keep your dietary needs."), "consent")
    if expedition.is_paid and not (billing_organisation.strip() and billing_address.strip()):
        raise RegistrationError(_("This expedition is paid: billing organisation and address are required."), "billing")
    if Registration.objects.filter(expedition_id=expedition_id, user=user, status__in=Registration.ACTIVE).exists():
        raise RegistrationError(_("You are already registered for this expedition."), "duplicate")
    # Offers past their deadline at ``now``, looked for before the lock: one found is expired under
    # it (where the answer is read again). None found stays true under the lock: an offer made
    # meanwhile runs until after ``now``, and one answered meanwhile is no longer an offer.
    offers_due = _offers_due(expedition_id, now=now)
    registration = Registration(
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
        created_at=now,
        status_changed_at=now,
    )
    # Under the lock, only what must be serialised: the trip's row as locked (its status and
    # dates checked again, its counters), due offers, the insert, the counters, the outbox row.
    with transaction.atomic():
        expedition = lock_row(Expedition, expedition_id)
        reason = rules.trip_refusal_reason(expedition=expedition, now=now)
        if reason:
            raise RegistrationError(reason, "not_allowed")
        if offers_due and _expire_due_offers(expedition, now=now):
            expedition.refresh_from_db(fields=Expedition.COUNTERS)  # the places they held are free
        race_window("expeditions.places_counted")
        registration.expedition = expedition
        registration.payment = Registration.Payment.DUE if expedition.is_paid else Registration.Payment.NOT_DUE
        # The counters are the locked row's; a free place goes to whoever waits and fits in it
        # (a group waiting together that does not fit never holds a single person back).
        free = expedition.capacity - expedition.places_held
        if free > 0 and not _someone_waiting_fits(expedition, free, expedition.waitlist_length):
            registration.status = S.PENDING if expedition.requires_approval else S.CONFIRMED
        else:
            registration.status = S.WAITLISTED
            registration.waitlist_position = expedition.waitlist_length + 1
        try:
            registration.save()  # no savepoint: on a duplicate the whole transaction rolls back
        except IntegrityError:
            raise RegistrationError(_("You are already registered for this expedition."), "duplicate") from None
        _move_counters(expedition.pk, old=None, new=registration.status)
        if registration.status == S.CONFIRMED:
            _on_confirmed(registration, now=now)
        _notify_status(registration)
    return registration


# --- Participant actions --------------------------------------------------------------------------



def registration_cancel(*, registration_id: int, user: User | None = None, by_staff: bool = False,
                        account_erased: bool = False, now: datetime | None = None) -> Registration:
    """Cancel a registration and pass its place on.

    A participant (``user``) may cancel their own active registration until the trip's
    cancellation cut-off (and never after departure); after it they ask staff
    (:func:`registration_request_cancellation`). Staff (``by_staff=True``) may always cancel.
    When the participant's account is being deleted (``account_erased=True``, with ``user``),
    the registration is cancelled whatever the dates, and nobody writes to that person.
    """
    if user is None and not by_staff:
        raise ValueError("Say who cancels: the participant (user=...) or staff (by_staff=True).")
    now = now or timezone.now()
    with transaction.atomic():
        expedition, registration = _locked_registration(registration_id=registration_id, user=None if by_staff else user)
        if registration.status not in Registration.ACTIVE:
            raise RegistrationError(_("This registration is no longer active."), "inactive")
        if not (by_staff or account_erased) and not rules.can_cancel_self(registration, now):
            if expedition.starts_on <= timezone.localdate(now):
                raise RegistrationError(_("The expedition has started: ask the organisers."), "cutoff")
            raise RegistrationError(_("The cancellation deadline has passed: ask the organisers to cancel."), "cutoff")
        held_a_place = registration.status in Registration.HOLDING_A_PLACE
        _transition(registration, S.CANCELLED, now=now, notify_person=not account_erased)
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
                link=route("admin:expeditions_registration_change", registration.pk),
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


def registration_after_delete(*, registration: Registration, now: datetime | None = None) -> None:
    """An active registration row was deleted outside the services (an account deleted in the
    admin cascades to it): under the lock, the counters follow, the waiting list closes its gap
    and a freed place passes on. Connected to ``post_delete`` in the app config."""
    if registration.status not in Registration.ACTIVE:
        return
    now = now or timezone.now()
    with transaction.atomic():
        expedition = lock_row(Expedition, registration.expedition_id)
        if registration.status == S.WAITLISTED:
            _leave_waitlist(registration)
        _move_counters(expedition.pk, old=registration.status, new=None)
        if registration.status in Registration.HOLDING_A_PLACE:
            _fill_places(expedition, now=now)


def expeditions_resync_counters(*, expedition_ids: list[int] | None = None) -> int:
    """Set the counters from the rows, each expedition under its lock: for rows inserted in bulk
    (the demo seed, the benchmark's fill). Returns how many expeditions were looked at."""
    ids = expedition_ids if expedition_ids is not None else list(Expedition.objects.values_list("pk", flat=True))
    for expedition_id in ids:
        with transaction.atomic():
            _resync_counters(lock_row(Expedition, expedition_id))
    return len(ids)


# --- Staff actions ----------------------------------------------------------------------------------


def registration_confirm(*, registration_id: int, now: datetime | None = None) -> Registration:
    """Staff approve a pending registration (its place is already held)."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition, registration = _locked_registration(registration_id=registration_id, user=None)
        _transition(registration, S.CONFIRMED, now=now)
        if registration.group_id:  # a per-group trip invoices the group's place through the group door
            from billing.services import invoice_group_places

            group = registration.group
            group.expedition = expedition
            invoice_group_places(group=group, registrations=[registration], now=now)
        return registration


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
        expedition = lock_row(Expedition, expedition_id)
        reason = rules.capacity_change_refusal(expedition, capacity)
        if reason:
            raise RegistrationError(reason, "capacity")
        expedition.capacity = capacity
        expedition.save(update_fields=["capacity", "updated_at"])
        _fill_places(expedition, now=now)
    return expedition


def expedition_change_status(*, expedition_id: int, status: str, now: datetime | None = None) -> Expedition:
    """Staff publish a trip, close or reopen its registration, or take it back to draft while
    nobody holds or waits for a place (``rules.status_change_refusal``). Cancelling goes through
    :func:`expedition_cancel`, which cancels every registration; "past" is set by the sweep.
    Reopening offers the places freed meanwhile to the waiting list."""
    if status == Expedition.Status.CANCELLED:
        expedition_cancel(expedition_id=expedition_id, now=now)
        return Expedition.objects.get(pk=expedition_id)
    now = now or timezone.now()
    with transaction.atomic():
        expedition = lock_row(Expedition, expedition_id)
        reason = rules.status_change_refusal(expedition, status)
        if reason:
            raise RegistrationError(reason, "status")
        if status != expedition.status:
            expedition.status = status
            expedition.save(update_fields=["status", "updated_at"])
            _fill_places(expedition, now=now)
    return expedition


def expedition_cancel(*, expedition_id: int, now: datetime | None = None) -> int:
    """Staff cancel a whole trip: every active registration is cancelled and told so."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition = lock_row(Expedition, expedition_id)
        reason = rules.status_change_refusal(expedition, Expedition.Status.CANCELLED)
        if reason:
            raise RegistrationError(reason, "status")
        if expedition.status == Expedition.Status.CANCELLED:
            return 0
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
                **recipient(registration),
                context={"expedition": expedition, "registration": registration, "subject": subject, "message": body},
                link=expedition,
            )
            count += 1
    return count
