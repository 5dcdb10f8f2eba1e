"""Writes of organisations and of the people acting for them (one function per use case).

- An organisation is registered once per SIRET (the unique index decides between two people
  registering it at the same moment); the person who registers it becomes its leader.
- Nobody acts for an organisation without consent: an invitation to a verified address,
  accepted by that person; or staff's addition at the organisation's written request.
- Who joins is announced by ``signals.member_joined`` inside the same transaction (the contest
  records a juror's conflict of interest there).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations import rules
from organisations.models import Invitation, Membership, Organisation
from organisations.signals import member_joined
from organisations.validators import compact, normalise_vat
from portal.locking import lock_row, lock_rows, race_window
from portal.notifications.services import notify, route

INVITATION_VALIDITY = timedelta(days=14)
# An organisation cannot be used to send invitations in bulk.
OPEN_INVITATIONS_MAX = 10
# ... nor by revoking and inviting again: invitations sent in a rolling day are counted, revoked
# ones too, and an address whose invitation was withdrawn waits a day before a new one.
INVITATIONS_PER_DAY_MAX = 20
REINVITE_AFTER_REVOKE = timedelta(hours=24)
EMAIL_MAX_LENGTH = Invitation._meta.get_field("email").max_length
# Fields only these services write (portal.ownership).
SERVICE_OWNED_FIELDS = {
    "organisations.Membership": {"organisation", "user"},
    "organisations.Invitation": {
        "organisation", "email", "token", "invited_by", "expires_at", "accepted_at", "accepted_by", "declined_at",
        "revoked_at",
    },
}
# Fields an organisation's members edit themselves (staff edit the rest in the admin).
EDITABLE_FIELDS = frozenset({
    "legal_name", "siret", "vat_number", "legal_form", "billing_address_line1", "billing_address_line2",
    "billing_postal_code", "billing_city", "billing_country", "region", "headcount", "turnover_eur",
    "balance_sheet_eur", "created_on", "independence_declared",
})


def _normalised(name: str, value: Any) -> Any:
    if name == "siret":
        return compact(value)
    if name == "vat_number":
        return normalise_vat(value or "")
    if isinstance(value, str):
        return value.strip()
    return value


def organisation_create(*, user, legal_name: str, siret: str, is_demo: bool = False, **fields: Any) -> Organisation:
    """Register an organisation and make the person its leader."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    number = compact(siret)
    taken = ValidationError(
        {"siret": _("An organisation with this SIRET is already registered: ask one of its members to invite you.")}
    )
    if Organisation.objects.filter(siret=number).exists():
        raise taken
    try:
        with transaction.atomic():
            organisation = Organisation(legal_name=legal_name.strip(), siret=number, is_demo=is_demo,
                                        **{k: _normalised(k, v) for k, v in fields.items()})
            organisation.full_clean(validate_unique=False)
            organisation.save()
            Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.LEADER)
            return organisation
    except IntegrityError:
        raise taken from None


@transaction.atomic
def organisation_update(*, organisation: Organisation, user, **fields: Any) -> Organisation:
    """Only a member may change the organisation; the SIRET and VAT number are checked again."""
    if not rules.is_member(user, organisation.pk):
        raise PermissionDenied
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(organisation, name, _normalised(name, value))
    organisation.full_clean()
    organisation.save()
    return organisation


# --- Inviting colleagues ------------------------------------------------------------------------


def _open(organisation_id: int):
    return Invitation.objects.filter(organisation_id=organisation_id, accepted_at__isnull=True, declined_at__isnull=True,
                                     revoked_at__isnull=True)


def _send_invitation(invitation: Invitation, *, kind: str, link_name: str) -> None:
    # Whether an account uses the address changes nothing the inviter sees: only the language
    # of the e-mail, and the invitee's inbox on the portal.
    account = EmailAddress.objects.filter(email__iexact=invitation.email, verified=True).select_related("user").first()
    notify(
        kind=kind,
        user=account.user if account else None,
        recipient_email=invitation.email,
        context={"invitation": invitation, "organisation": invitation.organisation, "company": invitation.organisation,
                 "inviter": invitation.invited_by},
        link=route(link_name, invitation.token),
    )


@transaction.atomic
def invitation_create(*, organisation: Organisation, user, email: str, kind: str = "organisations.invitation",
                      link_name: str = "organisations:invitation") -> Invitation:
    """A member invites a colleague's address; the e-mail carries a secret link valid 14 days.

    The answer is the same whether or not an account uses the address. An address already
    invited is refused while its invitation is open; an expired one is renewed (new link,
    new expiry) and sent again. An organisation has at most 10 open invitations and sends at
    most 20 in any 24 hours (revoked ones count); an address whose invitation was revoked
    cannot be invited again for 24 hours. ``kind`` and ``link_name`` let the programme that
    asks word the e-mail and choose the page it leads to (the contest's, for its companies).
    """
    if not rules.is_member(user, organisation.pk):
        raise PermissionDenied
    email = email.strip().lower()
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError({"email": _("An e-mail address has at most %(n)s characters.") % {"n": EMAIL_MAX_LENGTH}})
    validate_email(email)
    lock_rows(Organisation.objects.filter(pk=organisation.pk)).values_list("pk", flat=True).get()
    now = timezone.now()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already acts for the organisation.")})
    # Locked: a revoke committed meanwhile makes the row no longer open (it is read again once
    # the lock is granted), and a revoke coming later waits for the renewal, then applies.
    invitation = lock_rows(_open(organisation.pk).filter(email__iexact=email)).first()
    race_window("contests.invitation_read")
    if invitation is not None and invitation.status_at(now) == Invitation.Status.PENDING:
        raise ValidationError({"email": _("This address has already been invited: revoke that invitation to send a new one.")})
    if Invitation.objects.filter(
        organisation=organisation, email__iexact=email, revoked_at__gt=now - REINVITE_AFTER_REVOKE
    ).exists():
        raise ValidationError(
            {"email": _("An invitation to this address was withdrawn less than 24 hours ago: you can invite it again after that.")}
        )
    live = _open(organisation.pk).filter(expires_at__gt=now).count()
    if live >= OPEN_INVITATIONS_MAX:
        raise ValidationError(
            _("Your organisation has %(n)s invitations waiting for an answer: revoke some first.") % {"n": live}
        )
    sent = Invitation.objects.filter(organisation=organisation, created_at__gt=now - timedelta(hours=24)).count()
    if sent >= INVITATIONS_PER_DAY_MAX:
        raise ValidationError(
            _("Your organisation has sent %(n)s invitations in the last 24 hours, the most allowed: try again tomorrow.")
            % {"n": sent}
        )
    if invitation is None:
        invitation = Invitation(
            organisation=organisation, email=email, invited_by=user, created_at=now, expires_at=now + INVITATION_VALIDITY
        )
        invitation.save()
    else:  # expired: renewed with a new secret, the old link stays dead
        invitation.token = Invitation._meta.get_field("token").default()
        invitation.invited_by = user
        invitation.created_at = now
        invitation.expires_at = now + INVITATION_VALIDITY
        invitation.save(update_fields=["token", "invited_by", "created_at", "expires_at"])
    _send_invitation(invitation, kind=kind, link_name=link_name)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user) -> Invitation:
    """A member withdraws an invitation not yet answered; its link then leads nowhere."""
    locked = lock_row(Invitation, invitation.pk)
    if not rules.is_member(user, locked.organisation_id):
        raise PermissionDenied
    if locked.accepted_at or locked.declined_at:
        raise ValidationError(_("This invitation has already been answered."))
    if not locked.revoked_at:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked


def _invitation_for_invitee(token: str, user) -> Invitation:
    """The open invitation behind a link, locked, for the person it was sent to only."""
    invitation = lock_rows(Invitation.objects.filter(token=token)).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    if not rules.is_invitee(user, invitation):
        raise ValidationError(
            _("This invitation was sent to another address. Log in with the account that uses it (its address must be confirmed).")
        )
    status = invitation.status_at(timezone.now())
    if status == Invitation.Status.REVOKED:
        raise ValidationError(_("This invitation has been withdrawn."))
    if status == Invitation.Status.EXPIRED:
        raise ValidationError(_("This invitation has expired: ask your colleague for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """The invitee, logged in with the invited and verified address, joins as a team member.

    Accepting twice is harmless while the membership it made lasts; once that person has left,
    the used link is refused. ``member_joined`` is sent in the same transaction.
    """
    invitation = _invitation_for_invitee(token, user)
    if invitation.declined_at:
        raise ValidationError(_("You have declined this invitation: ask your colleague for a new one."))
    if invitation.accepted_at:
        # A link is used once: after that it only confirms the membership it made. Someone who
        # has since left (or been removed) needs a new invitation.
        membership = Membership.objects.filter(organisation_id=invitation.organisation_id, user=user).first()
        if membership is None or invitation.accepted_by_id != user.pk:
            raise ValidationError(_("This invitation link has already been used: ask your colleague for a new one."))
        return membership
    membership, _created = Membership.objects.get_or_create(
        organisation_id=invitation.organisation_id, user=user, defaults={"role": Membership.Role.MEMBER}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    member_joined.send(sender=Membership, organisation=invitation.organisation, user=user)
    return membership


@transaction.atomic
def member_add_by_staff(*, organisation: Organisation, user, role: str = Membership.Role.MEMBER, by=None) -> Membership:
    """Staff add a person (at the organisation's written request) from the admin: the same
    consequences as an accepted invitation. Adding an existing member changes the role."""
    membership, created = Membership.objects.get_or_create(organisation=organisation, user=user, defaults={"role": role})
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    member_joined.send(sender=Membership, organisation=organisation, user=user)
    return membership


@transaction.atomic
def invitation_decline(*, token: str, user) -> Invitation:
    """The invitee says no; the link is then closed."""
    invitation = _invitation_for_invitee(token, user)
    if invitation.accepted_at:
        raise ValidationError(_("You have already accepted this invitation."))
    if not invitation.declined_at:
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
    return invitation


def invitations_purge(*, now=None, days: int | None = None) -> int:
    """Invitations hold someone's address: a closed one goes ``CONTESTS_INVITATION_RETENTION_DAYS``
    after it closed — accepted, declined, revoked or, unanswered, expired (the first of these,
    as ``Invitation.status_at`` reads them). A pending invitation is never touched. Idempotent."""
    now = now or timezone.now()
    days = settings.CONTESTS_INVITATION_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    deleted, _per_model = (
        Invitation.objects.alias(closed_at=Coalesce("accepted_at", "declined_at", "revoked_at", "expires_at"))
        .filter(closed_at__lt=cutoff)
        .delete()
    )
    return deleted


def invitations_erase(*, addressed_to: Q, user) -> None:
    """Invitations sent to the person go; those the person sent stay, unlinked from the sender."""
    Invitation.objects.filter(addressed_to).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Invitation.objects.filter(accepted_by=user).update(accepted_by=None)
