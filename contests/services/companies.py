"""Writes of companies and of the people acting for them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import rules
from contests.models import (
    Company,
    CompanyInvitation,
    CompanyMember,
)
from contests.services.jury import juror_conflicts_from_membership
from contests.validators import compact
from portal.locking import lock_row, lock_rows, race_window
from portal.notifications.services import notify, route

INVITATION_VALIDITY = timedelta(days=14)
# A company cannot be used to send invitations in bulk.
OPEN_INVITATIONS_MAX = 10
# ... nor by revoking and inviting again: invitations sent in a rolling day are counted, revoked
# ones too, and an address whose invitation was withdrawn waits a day before a new one.
INVITATIONS_PER_DAY_MAX = 20
REINVITE_AFTER_REVOKE = timedelta(hours=24)
EMAIL_MAX_LENGTH = CompanyInvitation._meta.get_field("email").max_length


def company_create(*, user, legal_name: str, siret: str, region, headcount: int, turnover_eur: int | None,
                   balance_sheet_eur: int | None, created_on, independence_declared: bool, is_demo: bool = False) -> Company:
    """Create a company and make the person its leader. A SIRET is registered once on the portal
    (the unique index decides between two people registering it at the same moment)."""
    number = compact(siret)
    taken = ValidationError(
        {"siret": _("A company with this SIRET is already registered: ask one of its members to invite you.")}
    )
    if Company.objects.filter(siret=number).exists():
        raise taken
    try:
        with transaction.atomic():
            return _company_insert(
                user=user, legal_name=legal_name, siret=number, region=region, headcount=headcount,
                turnover_eur=turnover_eur, balance_sheet_eur=balance_sheet_eur, created_on=created_on,
                independence_declared=independence_declared, is_demo=is_demo,
            )
    except IntegrityError:
        raise taken from None


def _company_insert(*, user, legal_name, siret, region, headcount, turnover_eur, balance_sheet_eur, created_on,
                    independence_declared, is_demo) -> Company:
    company = Company(
        legal_name=legal_name.strip(), siret=siret, region=region, headcount=headcount, turnover_eur=turnover_eur,
        balance_sheet_eur=balance_sheet_eur, created_on=created_on, independence_declared=independence_declared,
        is_demo=is_demo,
    )
    company.full_clean(validate_unique=False)
    company.save()
    CompanyMember.objects.create(company=company, user=user, role=CompanyMember.Role.LEADER)
    return company


@transaction.atomic
def company_update(*, company: Company, user, **fields: Any) -> Company:
    """Only a member of the company may change it; the SIRET is checked again."""
    if not rules.is_company_member(user, company.pk):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(company, name, compact(value) if name == "siret" else value)
    company.full_clean()
    company.save()
    return company


# --- Inviting colleagues ------------------------------------------------------------------------


def _open(company: Company):
    return CompanyInvitation.objects.filter(company=company, accepted_at__isnull=True, declined_at__isnull=True,
                                            revoked_at__isnull=True)


def _send_invitation(invitation: CompanyInvitation) -> None:
    # Whether an account uses the address changes nothing the inviter sees: only the language
    # of the e-mail, and the invitee's inbox on the portal.
    account = (
        EmailAddress.objects.filter(email__iexact=invitation.email, verified=True).select_related("user").first()
    )
    user = account.user if account else None
    notify(
        kind="contests.company_invitation",
        user=user,
        recipient_email=invitation.email,
        context={"invitation": invitation, "company": invitation.company, "inviter": invitation.invited_by},
        link=route("contests:invitation", invitation.token),
    )


@transaction.atomic
def company_invitation_create(*, company: Company, user, email: str) -> CompanyInvitation:
    """A member invites a colleague's address; the e-mail carries a secret link valid 14 days.

    The answer is the same whether or not an account uses the address. An address already
    invited is refused while its invitation is open; an expired one is renewed (new link,
    new expiry) and sent again. A company has at most 10 open invitations and sends at most
    20 in any 24 hours (revoked ones count); an address whose invitation was revoked cannot
    be invited again for 24 hours.
    """
    if not rules.is_company_member(user, company.pk):
        raise PermissionDenied
    email = email.strip().lower()
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError({"email": _("An e-mail address has at most %(n)s characters.") % {"n": EMAIL_MAX_LENGTH}})
    validate_email(email)
    lock_rows(Company.objects.filter(pk=company.pk)).values_list("pk", flat=True).get()
    now = timezone.now()
    if CompanyMember.objects.filter(company=company, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already acts for the company.")})
    # Locked: a revoke committed meanwhile makes the row no longer open (it is read again once
    # the lock is granted), and a revoke coming later waits for the renewal, then applies.
    invitation = lock_rows(_open(company).filter(email__iexact=email)).first()
    race_window("contests.invitation_read")
    if invitation is not None and invitation.status_at(now) == CompanyInvitation.Status.PENDING:
        raise ValidationError({"email": _("This address has already been invited: revoke that invitation to send a new one.")})
    if CompanyInvitation.objects.filter(
        company=company, email__iexact=email, revoked_at__gt=now - REINVITE_AFTER_REVOKE
    ).exists():
        raise ValidationError(
            {"email": _("An invitation to this address was withdrawn less than 24 hours ago: you can invite it again after that.")}
        )
    live = _open(company).filter(expires_at__gt=now).count()
    if live >= OPEN_INVITATIONS_MAX:
        raise ValidationError(_("Your company has %(n)s invitations waiting for an answer: revoke some first.") % {"n": live})
    sent = CompanyInvitation.objects.filter(company=company, created_at__gt=now - timedelta(hours=24)).count()
    if sent >= INVITATIONS_PER_DAY_MAX:
        raise ValidationError(
            _("Your company has sent %(n)s invitations in the last 24 hours, the most allowed: try again tomorrow.")
            % {"n": sent}
        )
    if invitation is None:
        invitation = CompanyInvitation(
            company=company, email=email, invited_by=user, created_at=now, expires_at=now + INVITATION_VALIDITY
        )
        invitation.save()
    else:  # expired: renewed with a new secret, the old link stays dead
        invitation.token = CompanyInvitation._meta.get_field("token").default()
        invitation.invited_by = user
        invitation.created_at = now
        invitation.expires_at = now + INVITATION_VALIDITY
        invitation.save(update_fields=["token", "invited_by", "created_at", "expires_at"])
    _send_invitation(invitation)
    return invitation


@transaction.atomic
def company_invitation_revoke(*, invitation: CompanyInvitation, user) -> CompanyInvitation:
    """A member withdraws an invitation not yet answered; its link then leads nowhere."""
    locked = lock_row(CompanyInvitation, invitation.pk)
    if not rules.is_company_member(user, locked.company_id):
        raise PermissionDenied
    if locked.accepted_at or locked.declined_at:
        raise ValidationError(_("This invitation has already been answered."))
    if not locked.revoked_at:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked


def _invitation_for_invitee(token: str, user) -> CompanyInvitation:
    """The open invitation behind a link, locked, for the person it was sent to only."""
    invitation = lock_rows(CompanyInvitation.objects.filter(token=token)).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    if not rules.is_invitee(user, invitation):
        raise ValidationError(
            _("This invitation was sent to another address. Log in with the account that uses it (its address must be confirmed).")
        )
    status = invitation.status_at(timezone.now())
    if status == CompanyInvitation.Status.REVOKED:
        raise ValidationError(_("This invitation has been withdrawn."))
    if status == CompanyInvitation.Status.EXPIRED:
        raise ValidationError(_("This invitation has expired: ask your colleague for a new one."))
    return invitation


@transaction.atomic
def company_invitation_accept(*, token: str, user) -> CompanyMember:
    """The invitee, logged in with the invited and verified address, joins the company as a team member.

    Accepting twice is harmless while the membership it made lasts; once that person has left
    the company, the used link is refused. A juror who joins is in conflict with the company from then on
    (recorded, see ``juror_conflicts_from_membership``): joining cannot be used to make a conflict
    vanish, and nobody else can put a juror in a company.
    """
    invitation = _invitation_for_invitee(token, user)
    if invitation.declined_at:
        raise ValidationError(_("You have declined this invitation: ask your colleague for a new one."))
    if invitation.accepted_at:
        # A link is used once: after that it only confirms the membership it made. Someone who
        # has since left (or been removed) needs a new invitation.
        membership = CompanyMember.objects.filter(company_id=invitation.company_id, user=user).first()
        if membership is None or invitation.accepted_by_id != user.pk:
            raise ValidationError(_("This invitation link has already been used: ask your colleague for a new one."))
        return membership
    membership, _created = CompanyMember.objects.get_or_create(
        company_id=invitation.company_id, user=user, defaults={"role": CompanyMember.Role.MEMBER}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    juror_conflicts_from_membership(user=user, company=invitation.company)
    return membership


@transaction.atomic
def company_member_add_by_staff(*, company: Company, user, role: str = CompanyMember.Role.MEMBER, by=None) -> CompanyMember:
    """Staff add a person to a company (at the company's written request) from the admin: the same
    consequences as an accepted invitation — a juror who joins is in conflict with the company
    from then on (``juror_conflicts_from_membership``). Adding an existing member changes the role."""
    membership, created = CompanyMember.objects.get_or_create(company=company, user=user, defaults={"role": role})
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    juror_conflicts_from_membership(user=user, company=company)
    return membership


@transaction.atomic
def company_invitation_decline(*, token: str, user) -> CompanyInvitation:
    """The invitee says no; the link is then closed."""
    invitation = _invitation_for_invitee(token, user)
    if invitation.accepted_at:
        raise ValidationError(_("You have already accepted this invitation."))
    if not invitation.declined_at:
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
    return invitation


def company_invitations_purge(*, now=None, days: int | None = None) -> int:
    """Invitations hold someone's address: a closed one goes ``CONTESTS_INVITATION_RETENTION_DAYS``
    after it closed — accepted, declined, revoked or, unanswered, expired (the first of these,
    as ``CompanyInvitation.status_at`` reads them). A pending invitation is never touched.

    Idempotent. Jurors are not invitations of this kind: a ``Juror`` row is the juror's record
    (conflicts, assignments, reviews) and stays with its edition.
    """
    now = now or timezone.now()
    days = settings.CONTESTS_INVITATION_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    deleted, _per_model = (
        CompanyInvitation.objects.alias(closed_at=Coalesce("accepted_at", "declined_at", "revoked_at", "expires_at"))
        .filter(closed_at__lt=cutoff)
        .delete()
    )
    return deleted
