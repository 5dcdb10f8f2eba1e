"""Who may see and do what with expeditions, and when: the one place services, views, templates
and the admin ask ("may this happen now?"). Reads models only, never services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import rules
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expeditions.models import Expedition, Registration
from portal.models import Profile, User

REASON_INCOMPLETE_PROFILE = _("Complete your profile before registering.")

# --- Registering -------------------------------------------------------------------------------


def registration_refusal_reason(*, expedition: Expedition, user: User | None, now: datetime | None = None,
                                trip_only: bool = False):
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
    if trip_only:
        return None
    if not user.is_authenticated:
        return _("Log in to register.")
    return person_refusal_reason(expedition=expedition, user=user)


def trip_refusal_reason(*, expedition: Expedition, now: datetime | None = None):
    """Why nobody may register for this trip now (its status and dates), or None."""
    return registration_refusal_reason(expedition=expedition, user=None, now=now, trip_only=True)


def person_refusal_reason(*, expedition: Expedition, user: User):
    """Why this person may not travel on this trip (profile, audience), or None: asked of each
    colleague of a group when he or she accepts, whatever the trip's registration dates."""
    profile = Profile.objects.filter(user_id=user.pk).first()
    if profile is not None:
        profile.user = user  # its completeness reads the name: not loaded again
    if profile is None or not profile.is_complete:
        return REASON_INCOMPLETE_PROFILE
    allowed = [a.pk for a in expedition.audiences.all()]
    if allowed and profile.audience_id not in allowed:
        return _("This expedition is not open to your audience category (%(audience)s).") % {"audience": profile.audience}
    return None


@dataclass(frozen=True)
class NextAction:
    """The one action the detail page offers: login, complete_profile, register, waitlist,
    registered (→ Mon espace) or none (with a reason)."""

    code: str
    reason: str = ""


def can_see_drafts(user) -> bool:
    """Draft trips are for staff with the "view expedition" permission, never staff status alone."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff and user.has_perm("expeditions.view_expedition"))


def can_view(user, expedition: Expedition) -> bool:
    return expedition.status != Expedition.Status.DRAFT or can_see_drafts(user)


def next_action(*, user, expedition: Expedition, registration: Registration | None, now=None) -> NextAction:
    now = now or timezone.now()
    if registration is not None:
        return NextAction("registered")
    if not user.is_authenticated:
        # anonymous visitors are asked to log in only when registering is possible at all
        if _open(expedition, now):
            return NextAction("login")
        return NextAction("none", str(registration_refusal_reason(expedition=expedition, user=user, now=now)))
    reason = registration_refusal_reason(expedition=expedition, user=user, now=now)
    if reason:
        if _open(expedition, now) and reason == REASON_INCOMPLETE_PROFILE:
            return NextAction("complete_profile", str(reason))
        return NextAction("none", str(reason))
    if expedition.places_left > 0 and getattr(expedition, "waiting_count", 0) == 0:
        return NextAction("register")
    return NextAction("waitlist")


def _open(expedition: Expedition, now) -> bool:
    return expedition.registration_is_open(now)


def can_cancel_self(registration: Registration, now=None) -> bool:
    """A participant cancels an active registration alone until the trip's cut-off, never from
    departure day on; after that he or she asks the organisers."""
    now = now or timezone.now()
    expedition = registration.expedition
    if registration.status not in Registration.ACTIVE or expedition.starts_on <= timezone.localdate(now):
        return False
    return expedition.cancellation_cutoff is None or now <= expedition.cancellation_cutoff


def can_substitute(registration: Registration, now=None) -> bool:
    """A group's contact may put another colleague in a place until the trip's cancellation
    cut-off (never from departure day on), like a participant cancelling alone."""
    return registration.group_id is not None and can_cancel_self(registration, now)


def can_request_cancellation(registration: Registration, now=None) -> bool:
    return (
        registration.status in Registration.ACTIVE
        and not can_cancel_self(registration, now)
        and registration.cancellation_requested_at is None
    )


def can_see_delegation(registration: Registration | None) -> bool:
    return registration is not None and registration.status == Registration.Status.CONFIRMED


def holds_a_place(registration: Registration) -> bool:
    return registration.status in Registration.HOLDING_A_PLACE


def place_goes_to_the_waiting_list(registration: Registration) -> bool:
    """Cancelling or declining this registration hands its place to the next person waiting."""
    return holds_a_place(registration) and registration.expedition.waitlist_length > 0


@rules.predicate
def is_own_registration(user, registration: Registration) -> bool:
    return bool(user and user.is_authenticated) and registration.user_id == user.pk


@rules.predicate
def offer_is_open(_user, registration: Registration) -> bool:
    return registration.status == Registration.Status.OFFERED


@rules.predicate
def cancellable_now(_user, registration: Registration) -> bool:
    return can_cancel_self(registration)


rules.add_rule("expeditions.cancel_registration", is_own_registration & cancellable_now)
rules.add_rule("expeditions.decline_offer", is_own_registration & offer_is_open)


# --- Staff: the trip's own status (cancelling is expedition_cancel; "past" is the daily sweep's) ---

STATUS_CHANGES = {
    Expedition.Status.DRAFT: {Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED},
    Expedition.Status.PUBLISHED: {Expedition.Status.REGISTRATION_CLOSED, Expedition.Status.DRAFT},
    Expedition.Status.REGISTRATION_CLOSED: {Expedition.Status.PUBLISHED, Expedition.Status.DRAFT},
}


def status_change_refusal(expedition: Expedition, status: str) -> str | None:
    """Why staff may not move this trip to ``status`` now (a translated message), or None."""
    if status == expedition.status:
        return None
    if status == Expedition.Status.CANCELLED:
        return None if expedition.status != Expedition.Status.PAST else _("A past expedition cannot be cancelled.")
    if expedition.status == Expedition.Status.CANCELLED:
        return _("A cancelled expedition stays cancelled: its registrations were cancelled and told so.")
    if status == Expedition.Status.PAST or expedition.status == Expedition.Status.PAST:
        return _("An expedition becomes past by itself after its return date.")
    if status not in STATUS_CHANGES.get(expedition.status, set()):
        return _("This expedition cannot change from “%(old)s” to “%(new)s”.") % {
            "old": Expedition.Status(expedition.status).label, "new": Expedition.Status(status).label}
    if status == Expedition.Status.DRAFT and (expedition.places_held or expedition.waitlist_length):
        return _("People are registered for this expedition: it can no longer go back to draft.")
    return None


def capacity_change_refusal(expedition: Expedition, capacity: int) -> str | None:
    """Why the capacity may not become ``capacity`` (never below the places held), or None."""
    if capacity < expedition.places_held:
        return _("The capacity cannot be lower than the %(taken)d places already taken.") % {"taken": expedition.places_held}
    return None
