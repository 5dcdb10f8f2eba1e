"""Two clicks on "submit" at once: one state change, one receipt — because the row is locked."""

import threading

import pytest
from django.db import connection

from contests import services
from contests.models import SubmissionStateChange
from organisations.models import Invitation
from portal.locking import race_test
from portal.models import Notification
from tests.concurrency import rendezvous, run_together
from tests.contests.factories import SubmissionFactory, member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only guaranteed on PostgreSQL"),
]


def _race(*, locking: bool) -> tuple[int, int, list[type]]:
    sub = SubmissionFactory()
    leader = member(sub.company)
    sub.created_by = leader
    sub.save()
    with race_test(locking=locking, pause=rendezvous(2), at="contests.submission_state_read"):
        _, errors = run_together(lambda: services.submission_submit(submission=sub, user=leader), [()] * 2)
    changes = SubmissionStateChange.objects.filter(submission=sub, to_state="submitted").count()
    receipts = Notification.objects.filter(kind="contests.submission_received").count()
    return changes, receipts, [type(e) for e in errors]


def test_without_row_locking_a_double_submit_is_logged_twice():
    assert _race(locking=False) == (2, 2, [])


def test_with_row_locking_a_double_submit_is_logged_once():
    # The second click waits for the row, then finds the project already submitted.
    assert _race(locking=True) == (1, 1, [services.TransitionError])


def test_renewing_an_expired_invitation_never_undoes_a_revoke_made_meanwhile():
    from datetime import timedelta

    from django.utils import timezone

    from tests.contests.factories import CompanyFactory

    company = CompanyFactory()
    leader = member(company)
    invitation = services.company_invitation_create(company=company, user=leader, email="collegue@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoking = []

    def revoke():
        try:
            services.company_invitation_revoke(invitation=invitation, user=leader)
        finally:
            connection.close()

    def revoke_meanwhile():
        # A colleague revokes while the renewal is under way: done at once unless the row is locked.
        thread = threading.Thread(target=revoke)
        thread.start()
        thread.join(timeout=1)
        revoking.append(thread)

    with race_test(locking=True, pause=revoke_meanwhile, at="contests.invitation_read"):
        services.company_invitation_create(company=company, user=leader, email="collegue@example.org")
    revoking[0].join(timeout=10)
    # The revoke waited for the renewal, then applied to it: the invitation is revoked, whatever its link.
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert Invitation.objects.count() == 1
