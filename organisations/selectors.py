"""Reads of organisations for every programme (expeditions and contests call these, never the tables)."""

from __future__ import annotations

from django.db.models.functions import Lower
from django.utils import timezone

from organisations.models import Invitation, Membership, Organisation


def organisations_of(user) -> list[Organisation]:
    """The organisations a person acts for, by name."""
    if not (user and user.is_authenticated):
        return []
    return list(Organisation.objects.filter(memberships__user=user).select_related("region").order_by("legal_name"))


def organisation_for_member(user, pk: int) -> Organisation | None:
    """An organisation the person acts for; None (→ 404) otherwise."""
    if not (user and user.is_authenticated):
        return None
    return Organisation.objects.filter(pk=pk, memberships__user=user).select_related("region").first()


def organisation_get(pk: int) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).first()


def is_member_of_any(user) -> bool:
    return bool(user and user.is_authenticated) and Membership.objects.filter(user=user).exists()


def members_of(organisation: Organisation) -> list[Membership]:
    return list(organisation.memberships.select_related("user").order_by("created_at", "pk"))


def member_user_ids(organisation_id: int):
    """A subquery of the ids of the people acting for an organisation."""
    return Membership.objects.filter(organisation_id=organisation_id).values("user_id")


def invitations_open_for(organisation: Organisation) -> list[Invitation]:
    """Invitations of one organisation not answered nor revoked (expired ones included, marked so)."""
    return list(
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True, declined_at__isnull=True,
                                  revoked_at__isnull=True).select_related("invited_by").order_by("-created_at")
    )


def invitation_of(organisation: Organisation, pk: int) -> Invitation | None:
    """One invitation of this organisation (None → 404 for an id of another's)."""
    return Invitation.objects.filter(organisation=organisation, pk=pk).first()


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def invitations_waiting_for(user) -> list[Invitation]:
    """Open, unexpired invitations sent to one of the person's verified addresses (one query)."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True).annotate(address=Lower("email")).values("address")
    return list(
        Invitation.objects.annotate(address=Lower("email"))
        .filter(address__in=verified, accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True,
                expires_at__gt=timezone.now())
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )
