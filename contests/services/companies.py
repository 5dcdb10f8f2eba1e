"""Companies of the contest: organisations (``organisations.services``) seen by the contest.

Registering, editing and inviting colleagues are the organisations' services; the contest only
words the invitation e-mail its way (``contests.company_invitation``, leading to the contest's
page) and records a juror's conflict of interest when he or she joins a company
(``organisations.signals.member_joined``, received in ``contests.apps``).
"""

from __future__ import annotations

from contests.models import Company
from organisations import services as organisation_services
from organisations.models import Invitation, Membership

INVITATION_VALIDITY = organisation_services.INVITATION_VALIDITY
OPEN_INVITATIONS_MAX = organisation_services.OPEN_INVITATIONS_MAX
INVITATIONS_PER_DAY_MAX = organisation_services.INVITATIONS_PER_DAY_MAX
REINVITE_AFTER_REVOKE = organisation_services.REINVITE_AFTER_REVOKE
EMAIL_MAX_LENGTH = organisation_services.EMAIL_MAX_LENGTH


def company_create(*, user, legal_name: str, siret: str, is_demo: bool = False, **fields) -> Company:
    """Register a company (an organisation) with the contest's size figures; the person leads it."""
    organisation = organisation_services.organisation_create(user=user, legal_name=legal_name, siret=siret,
                                                             is_demo=is_demo, **fields)
    return Company.objects.get(pk=organisation.pk)


def company_update(*, company, user, **fields) -> Company:
    """Only a member of the company may change it; the SIRET is checked again."""
    organisation_services.organisation_update(organisation=company, user=user, **fields)
    return company


def company_invitation_create(*, company, user, email: str) -> Invitation:
    return organisation_services.invitation_create(
        organisation=company, user=user, email=email, kind="contests.company_invitation", link_name="contests:invitation"
    )


def company_invitation_revoke(*, invitation: Invitation, user) -> Invitation:
    return organisation_services.invitation_revoke(invitation=invitation, user=user)


def company_invitation_accept(*, token: str, user) -> Membership:
    return organisation_services.invitation_accept(token=token, user=user)


def company_invitation_decline(*, token: str, user) -> Invitation:
    return organisation_services.invitation_decline(token=token, user=user)


def company_member_add_by_staff(*, company, user, role: str = Membership.Role.MEMBER, by=None) -> Membership:
    return organisation_services.member_add_by_staff(organisation=company, user=user, role=role, by=by)


def company_invitations_purge(*, now=None, days: int | None = None) -> int:
    return organisation_services.invitations_purge(now=now, days=days)
