"""Group registration: an organisation's contact registers several named colleagues for one trip.

Rules (beside the capacity rules of :mod:`expeditions.services.core`, whose lock they take):
1. The group takes its places under the expedition lock, in one transaction: every colleague's
   row is written, or none (a refusal writes nothing).
2. Each colleague gets a registration row of his or her own (``Registration.group``), counted
   like anyone else's; it is linked to an account only when that person accepts, logged in with
   the invited and verified address, after completing his or her own details (passport name,
   dietary needs with consent). Audience eligibility is checked per person, then.
3. When fewer places are left than the group needs, the contact chose: *take the places left and
   wait for the rest* (each remaining colleague waits like a single person and is offered a place
   as one frees up), or *wait together as one entry* (offered every place at once when enough
   are free, never split; meanwhile fewer free places go in list order to whoever fits).
4. A group is refused when larger than the trip's capacity, when the same person is named twice,
   or when a colleague already has a place on the trip (alone or in another group).
5. The contact may put another colleague in a place until the trip's cancellation cut-off; the
   place is kept, the new colleague is invited (the old link is dead). Until the same cut-off
   the contact may also cancel a colleague's place: it passes on to the waiting list as any
   cancelled place does; after it, the organisers cancel.
6. Colleagues who have not accepted are reminded before ``details_due_at`` (periodic job).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expeditions import rules
from expeditions.models import Expedition, GroupRegistration, Registration, _new_token
from expeditions.services.core import (
    RegistrationError,
    S,
    _counts,
    _expire_due_offers,
    _fill_places,
    _move_counters,
    _notify_status,
    _someone_waiting_fits,
    _transition,
)
from organisations import rules as organisation_rules
from organisations import selectors as organisation_selectors
from portal.locking import lock_row, race_window
from portal.models import User
from portal.notifications.services import notify, route

GROUP_MAX = 30  # a delegation, not a mailing list
REMIND_BEFORE = timedelta(days=3)
EMAIL_MAX_LENGTH = Registration._meta.get_field("invited_email").max_length


@dataclass(frozen=True)
class Colleague:
    name: str
    email: str


def _clean_colleagues(colleagues: list[Colleague]) -> list[Colleague]:
    cleaned: list[Colleague] = []
    seen: set[str] = set()
    for colleague in colleagues:
        name, email = colleague.name.strip(), colleague.email.strip().lower()
        if not name and not email:
            continue
        if not name or not email:
            raise RegistrationError(_("Give each colleague's name and e-mail address."), "colleague_incomplete")
        if len(email) > EMAIL_MAX_LENGTH or len(name) > 200:
            raise RegistrationError(_("A name has at most 200 characters and an address at most 254."), "colleague_too_long")
        try:
            validate_email(email)
        except ValidationError:
            raise RegistrationError(_("“%(email)s” is not an e-mail address.") % {"email": email}, "colleague_email") from None
        if email in seen:
            raise RegistrationError(_("%(email)s is named twice: each colleague once.") % {"email": email}, "colleague_twice")
        seen.add(email)
        cleaned.append(Colleague(name=name, email=email))
    return cleaned


def _already_on_the_trip(expedition: Expedition, emails: list[str]) -> str | None:
    """The first address that already has an active place on this trip (alone or in a group)."""
    accounts = {
        e.lower(): uid for e, uid in EmailAddress.objects.filter(email__in=emails, verified=True)
        .values_list("email", "user_id")
    }
    active = Registration.objects.filter(expedition=expedition, status__in=Registration.ACTIVE)
    alone = set(active.filter(user_id__in=accounts.values()).values_list("user_id", flat=True))
    grouped = {e.lower() for e in active.filter(group__isnull=False).values_list("invited_email", flat=True)}
    for email in emails:
        if email in grouped or accounts.get(email) in alone:
            return email
    return None


def _details_due_at(expedition: Expedition, now: datetime) -> datetime:
    due = expedition.cancellation_cutoff or expedition.registration_closes_at
    return max(due, now + timedelta(days=2))


def _invite(registration: Registration, group: GroupRegistration) -> None:
    notify(
        kind="expeditions.group_invitation",
        recipient_email=registration.invited_email,
        context={"registration": registration, "expedition": group.expedition, "group": group,
                 "organisation": group.organisation, "contact": group.contact},
        link=route("expeditions:group_invitation", registration.group_token),
    )


def group_register(
    *,
    expedition_id: int,
    contact: User,
    organisation_id: int,
    colleagues: list[Colleague],
    mode: str = "",
    po_reference: str = "",
    now: datetime | None = None,
) -> GroupRegistration:
    """Register named colleagues for a trip, in the organisation's name (see the module's rules).

    ``mode`` is required only when fewer places are left than the group needs.
    """
    now = now or timezone.now()
    organisation = organisation_selectors.organisation_for_member(contact, organisation_id)
    if organisation is None or not organisation_rules.is_member(contact, organisation_id):
        raise RegistrationError(_("You do not act for this organisation."), "not_member")
    people = _clean_colleagues(colleagues)
    if not people:
        raise RegistrationError(_("Name at least one colleague."), "empty")
    if len(people) > GROUP_MAX:
        raise RegistrationError(_("A group has at most %(n)s people.") % {"n": GROUP_MAX}, "too_many")
    if mode and mode not in GroupRegistration.Mode.values:
        raise RegistrationError(_("Choose how the group waits."), "mode")
    with transaction.atomic():
        expedition = lock_row(Expedition, expedition_id)
        reason = rules.trip_refusal_reason(expedition=expedition, now=now)
        if reason:
            raise RegistrationError(reason, "not_allowed")
        if len(people) > expedition.capacity:
            raise RegistrationError(
                _("The group (%(n)s people) is larger than the trip (%(capacity)s places): it could never travel together.")
                % {"n": len(people), "capacity": expedition.capacity}, "larger_than_capacity")
        if expedition.is_paid and not organisation.has_billing_details:
            raise RegistrationError(
                _("This expedition is paid: complete your organisation's billing address first."), "billing")
        taken = _already_on_the_trip(expedition, [p.email for p in people])
        if taken:
            raise RegistrationError(
                _("%(email)s already has a place on this expedition (alone or in a group).") % {"email": taken},
                "already_registered")
        _expire_due_offers(expedition, now=now)
        counts = _counts(expedition)
        race_window("expeditions.places_counted")
        free = expedition.capacity - counts["taken"]
        if _someone_waiting_fits(expedition, free, counts["waiting"]):
            free = 0  # those places are already promised to people waiting
        free = max(free, 0)
        if free < len(people) and not mode:
            raise RegistrationError(
                _("Only %(free)s places are left for %(n)s people: choose whether to take them and wait for the rest, "
                  "or to wait together.") % {"free": free, "n": len(people)}, "mode_required")
        group = GroupRegistration.objects.create(
            expedition=expedition, organisation=organisation, contact=contact,
            mode=mode or GroupRegistration.Mode.TAKE_AND_WAIT, po_reference=po_reference.strip()[:80],
            details_due_at=_details_due_at(expedition, now), created_at=now,
        )
        places = len(people) if free >= len(people) else (0 if group.waits_together else free)
        holding = S.PENDING if expedition.requires_approval else S.CONFIRMED
        billing_address = "\n".join(organisation.billing_address_lines)
        registrations = []
        for i, person in enumerate(people):
            registration = Registration(
                expedition=expedition, group=group, invited_name=person.name, invited_email=person.email,
                group_token=_new_token(), billing_organisation=organisation.legal_name, billing_address=billing_address,
                billing_tax_id=organisation.vat_number or organisation.siret,
                billing_po_reference=group.po_reference,
                payment=Registration.Payment.DUE if expedition.is_paid else Registration.Payment.NOT_DUE,
                created_at=now, status_changed_at=now,
            )
            if i < places:
                registration.status = holding
            else:
                registration.status = S.WAITLISTED
                registration.waitlist_position = counts["waiting"] + 1
                counts["waiting"] += 1
            registrations.append(registration)
        try:
            with transaction.atomic():
                for registration in registrations:
                    registration.save()  # one by one: each row's history starts here
        except IntegrityError:
            raise RegistrationError(_("One of these colleagues already has a place on this expedition."),
                                    "already_registered") from None
        for registration in registrations:
            _move_counters(expedition.pk, old=None, new=registration.status)
            _invite(registration, group)
        group.expedition = expedition
        _invoice_group(group, registrations, now=now)
    return group


def _invoice_group(group: GroupRegistration, registrations: list[Registration], *, now: datetime) -> None:
    """The group's places confirmed together are invoiced together (billing's door for groups)."""
    from billing.services import invoice_group_places

    invoice_group_places(group=group, registrations=registrations, now=now)


def _locked_group(group_id: int, contact: User) -> tuple[Expedition, GroupRegistration]:
    expedition_id = GroupRegistration.objects.filter(pk=group_id, contact=contact).values_list("expedition_id", flat=True).first()
    if expedition_id is None:
        raise GroupRegistration.DoesNotExist
    expedition = lock_row(Expedition, expedition_id)
    group = GroupRegistration.objects.select_related("organisation", "contact").get(pk=group_id)
    group.expedition = expedition
    return expedition, group


def _place_the_contact_may_change(registration_id: int, contact: User, *, now: datetime,
                                  too_late: str) -> tuple[Expedition, GroupRegistration, Registration]:
    """A place of one of ``contact``'s groups, under its expedition's lock, still active and before
    the trip's cancellation cut-off (``too_late``: what to tell the contact after it).
    DoesNotExist for anybody else's place: the view answers 404."""
    group_id = Registration.objects.filter(pk=registration_id).values_list("group_id", flat=True).first()
    if group_id is None:
        raise Registration.DoesNotExist
    expedition, group = _locked_group(group_id, contact)
    registration = Registration.objects.select_related("user").get(pk=registration_id, group=group)
    registration.expedition, registration.group = expedition, group
    if registration.status not in Registration.ACTIVE:
        raise RegistrationError(_("This place is no longer active."), "inactive")
    if not rules.can_substitute(registration, now):
        raise RegistrationError(too_late, "cutoff")
    return expedition, group, registration


def group_offer_respond(*, group_id: int, contact: User, accept: bool, now: datetime | None = None) -> int:
    """The contact accepts (or declines) every place offered to the group, before the deadline.

    A late answer is refused; the offers are then expired and the places pass on (committed
    before the refusal is raised). Returns how many places were answered."""
    now = now or timezone.now()
    late = False
    with transaction.atomic():
        expedition, group = _locked_group(group_id, contact)
        offered = list(Registration.objects.select_related("user").filter(group=group, status=S.OFFERED).order_by("pk"))
        if not offered:
            raise RegistrationError(_("No place is on offer for this group."), "no_offer")
        if any(now > r.offer_expires_at for r in offered):
            late = True
            for registration in offered:
                registration.expedition = expedition
                _transition(registration, S.OFFER_EXPIRED, now=now)
            _fill_places(expedition, now=now)
        else:
            new = (S.PENDING if expedition.requires_approval else S.CONFIRMED) if accept else S.OFFER_DECLINED
            for registration in offered:
                registration.expedition = expedition
                _transition(registration, new, now=now)
            _invoice_group(group, offered, now=now)
            if not accept:
                _fill_places(expedition, now=now)
    if late:
        raise RegistrationError(_("Sorry, the deadline to accept these places has passed."), "offer_expired")
    return len(offered)


def group_member_substitute(*, registration_id: int, contact: User, name: str, email: str,
                            now: datetime | None = None) -> Registration:
    """The contact puts another colleague in a place before the trip's cancellation cut-off.

    The place (or the wait) is kept; the new colleague is invited, the previous link stops
    working and the previous person no longer holds the registration."""
    now = now or timezone.now()
    person = _clean_colleagues([Colleague(name=name, email=email)])
    if not person:
        raise RegistrationError(_("Give each colleague's name and e-mail address."), "colleague_incomplete")
    person = person[0]
    with transaction.atomic():
        expedition, group, registration = _place_the_contact_may_change(
            registration_id, contact, now=now,
            too_late=_("The cancellation deadline of this expedition has passed: ask the organisers to change a name."))
        if person.email == registration.invited_email.lower():
            raise RegistrationError(_("This colleague already holds this place."), "same_person")
        taken = _already_on_the_trip(expedition, [person.email])
        if taken:
            raise RegistrationError(
                _("%(email)s already has a place on this expedition (alone or in a group).") % {"email": taken},
                "already_registered")
        previous_user = registration.user
        registration.user = None
        registration.invited_name, registration.invited_email = person.name, person.email
        registration.group_token = _new_token()
        registration.accepted_at = None
        registration.passport_name = registration.dietary_needs = registration.remarks = ""
        registration.dietary_consent = registration.share_consent = False
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise RegistrationError(_("One of these colleagues already has a place on this expedition."),
                                    "already_registered") from None
        if previous_user is not None:
            notify(kind="expeditions.group_substituted", user=previous_user,
                   context={"expedition": expedition, "group": group, "organisation": group.organisation},
                   link=route("me:dashboard"))
        _invite(registration, group)
    return registration


def group_member_cancel(*, registration_id: int, contact: User, now: datetime | None = None) -> Registration:
    """The contact cancels a colleague's place (or wait) until the trip's cancellation cut-off,
    under the expedition lock as any cancellation: the colleague is told, the place passes on to
    the waiting list; a group waiting together needs one place less. After the cut-off the
    organisers cancel (a place already invoiced is credited by staff, as for anyone)."""
    now = now or timezone.now()
    with transaction.atomic():
        expedition, _group, registration = _place_the_contact_may_change(
            registration_id, contact, now=now,
            too_late=_("The cancellation deadline of this expedition has passed: ask the organisers to cancel."))
        _transition(registration, S.CANCELLED, now=now)  # the colleague is told; the invitation link says so
        _fill_places(expedition, now=now)  # a group waiting together may fit now, with one place less
    return registration


def group_member_accept(
    *,
    token: str,
    user: User,
    passport_name: str,
    dietary_needs: str = "",
    dietary_consent: bool = False,
    share_consent: bool = False,
    now: datetime | None = None,
) -> Registration:
    """A colleague, logged in with the invited and verified address, completes his or her own
    details and accepts the place (or the wait) the contact asked for. Refused when the person's
    audience may not travel on this trip, when the profile is incomplete, or when he or she
    already has another registration on the trip."""
    now = now or timezone.now()
    if not passport_name.strip():
        raise RegistrationError(_("Give your name as it is written in your passport."), "passport_name")
    if dietary_needs.strip() and not dietary_consent:
        raise RegistrationError(_("Tick the consent box so that we may keep your dietary needs."), "consent")
    with transaction.atomic():
        expedition_id = Registration.objects.filter(group_token=token).values_list("expedition_id", flat=True).first()
        if expedition_id is None:
            raise RegistrationError(_("This invitation link is not valid."), "token")
        expedition = lock_row(Expedition, expedition_id)
        registration = Registration.objects.select_related("group__organisation").get(group_token=token)
        registration.expedition = expedition
        if not organisation_rules.is_invitee(user, registration_invitee(registration)):
            raise RegistrationError(
                _("This invitation was sent to another address. Log in with the account that uses it (its address must "
                  "be confirmed)."), "not_invitee")
        if registration.status not in Registration.ACTIVE:
            raise RegistrationError(_("This place is no longer active."), "inactive")
        if registration.user_id not in (None, user.pk):
            raise RegistrationError(_("This invitation link has already been used."), "used")
        reason = rules.person_refusal_reason(expedition=expedition, user=user)
        if reason:
            raise RegistrationError(reason, "not_eligible")
        if Registration.objects.filter(expedition=expedition, user=user, status__in=Registration.ACTIVE).exclude(
                pk=registration.pk).exists():
            raise RegistrationError(_("You are already registered for this expedition."), "duplicate")
        registration.user = user
        registration.accepted_at = registration.accepted_at or now
        registration.passport_name = passport_name.strip()[:200]
        registration.dietary_needs = dietary_needs.strip() if dietary_consent else ""
        registration.dietary_consent = dietary_consent and bool(dietary_needs.strip())
        registration.share_consent = share_consent
        try:
            with transaction.atomic():
                registration.save(update_fields=["user", "accepted_at", "passport_name", "dietary_needs",
                                                 "dietary_consent", "share_consent"])
        except IntegrityError:
            raise RegistrationError(_("You are already registered for this expedition."), "duplicate") from None
        _notify_status(registration)
    return registration


@dataclass(frozen=True)
class _Invitee:
    email: str


def registration_invitee(registration: Registration) -> _Invitee:
    return _Invitee(email=registration.invited_email)


def group_details_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every colleague who has not accepted yet, once, in the 3 days before the group's
    deadline (idempotent: one reminder per place and invited address)."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = (
            Registration.objects.select_related("expedition", "group__organisation", "group__contact")
            .filter(group__isnull=False, accepted_at__isnull=True, status__in=Registration.ACTIVE,
                    group__details_due_at__gt=now, group__details_due_at__lte=now + REMIND_BEFORE)
        )
        for registration in due:
            row = notify(
                kind="expeditions.group_reminder",
                recipient_email=registration.invited_email,
                context={"registration": registration, "expedition": registration.expedition,
                         "group": registration.group, "organisation": registration.group.organisation},
                link=route("expeditions:group_invitation", registration.group_token),
                dedup_key=f"expeditions.group_reminder:{registration.pk}:{registration.group_token[:12]}",
            )
            sent += row is not None
    return sent
