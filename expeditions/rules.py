"""Who may see and do what with expeditions (views and templates ask here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from expeditions.models import Expedition, Registration
from expeditions.services import REASON_INCOMPLETE_PROFILE, registration_refusal_reason


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
    now = now or timezone.now()
    expedition = registration.expedition
    if registration.status not in Registration.ACTIVE or expedition.starts_on <= timezone.localdate(now):
        return False
    return expedition.cancellation_cutoff is None or now <= expedition.cancellation_cutoff


def can_request_cancellation(registration: Registration, now=None) -> bool:
    return (
        registration.status in Registration.ACTIVE
        and not can_cancel_self(registration, now)
        and registration.cancellation_requested_at is None
    )


def can_see_delegation(registration: Registration | None) -> bool:
    return registration is not None and registration.status == Registration.Status.CONFIRMED
