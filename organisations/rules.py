"""Who may act for an organisation: the one place views, services, templates and the admin ask.

Predicates of the ``rules`` package, registered as ``organisations.<name>``; they read models only.
"""

from __future__ import annotations

import rules
from allauth.account.models import EmailAddress

from organisations.models import Membership


def is_member(user, organisation_id: int) -> bool:
    return bool(user and user.is_authenticated) and Membership.objects.filter(
        user=user, organisation_id=organisation_id
    ).exists()


def is_invitee(user, invitation) -> bool:
    """The person an invitation was sent to: logged in, with that address verified on the account.

    The one door for every invitation by e-mail (an organisation's, a contest juror's, a group
    registration's): the secret link alone is not enough.
    """
    return bool(user and user.is_authenticated) and EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


@rules.predicate
def acts_for(user, organisation) -> bool:
    return organisation is not None and is_member(user, organisation.pk)


rules.add_rule("organisations.act_for", acts_for)
