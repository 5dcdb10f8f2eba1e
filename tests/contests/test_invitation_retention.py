"""Closed invitations of colleagues are deleted CONTESTS_INVITATION_RETENTION_DAYS after closing."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from contests import services
from contests.models import Assignment, Conflict, Juror, SubmissionState
from organisations.models import Invitation
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory, assign, juror, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAYS = 90


@pytest.fixture(autouse=True)
def retention(settings):
    settings.CONTESTS_INVITATION_RETENTION_DAYS = DAYS


@pytest.fixture
def company():
    return CompanyFactory()


@pytest.fixture
def leader(company):
    return member(company)


def invite(company, leader, email) -> Invitation:
    return services.company_invitation_create(company=company, user=leader, email=email)


def remaining() -> list[str]:
    return sorted(Invitation.objects.values_list("email", flat=True))


def closed_invitations(company, leader) -> datetime:
    """One invitation in each closed state, all closed at the same instant, returned."""
    accepted = invite(company, leader, "accepted@example.org")
    services.company_invitation_accept(token=accepted.token, user=UserFactory(email="accepted@example.org"))
    declined = invite(company, leader, "declined@example.org")
    services.company_invitation_decline(token=declined.token, user=UserFactory(email="declined@example.org"))
    revoked = invite(company, leader, "revoked@example.org")
    services.company_invitation_revoke(invitation=revoked, user=leader)
    expired = invite(company, leader, "expired@example.org")
    now = timezone.now()
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=now)
    Invitation.objects.filter(pk=declined.pk).update(declined_at=now)
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=now)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=now)
    return now


def test_each_closed_invitation_is_kept_until_the_retention_then_deleted_once(company, leader):
    closed_at = closed_invitations(company, leader)
    pending = invite(company, leader, "pending@example.org")
    everyone = ["accepted@example.org", "declined@example.org", "expired@example.org", "pending@example.org",
                "revoked@example.org"]
    with time_machine.travel(closed_at + timedelta(days=DAYS) - timedelta(seconds=1), tick=False):
        assert services.company_invitations_purge() == 0
    assert remaining() == everyone
    with time_machine.travel(closed_at + timedelta(days=DAYS) + timedelta(seconds=1), tick=False):
        assert services.company_invitations_purge() == 4
        assert services.company_invitations_purge() == 0  # idempotent
    assert remaining() == ["pending@example.org"]
    # The pending invitation still works.
    colleague = UserFactory(email="pending@example.org")
    services.company_invitation_accept(token=pending.token, user=colleague)


def test_an_invitation_is_counted_from_when_it_closed_not_from_when_it_was_sent(company, leader):
    sent = timezone.now()
    late = invite(company, leader, "late@example.org")
    # Answered on its last day: its 90 days start then, not at the invitation.
    answered_at = late.expires_at - timedelta(seconds=1)
    with time_machine.travel(answered_at, tick=False):
        services.company_invitation_accept(token=late.token, user=UserFactory(email="late@example.org"))
    with time_machine.travel(sent + timedelta(days=DAYS + 1), tick=False):
        assert services.company_invitations_purge() == 0
    with time_machine.travel(answered_at + timedelta(days=DAYS, seconds=1), tick=False):
        assert services.company_invitations_purge() == 1
    assert remaining() == []


def test_an_expired_invitation_renewed_in_time_is_not_deleted(company, leader):
    first = invite(company, leader, "again@example.org")
    with time_machine.travel(first.expires_at + timedelta(days=DAYS - 1), tick=False):
        renewed = invite(company, leader, "again@example.org")
        assert renewed.pk == first.pk
    with time_machine.travel(first.expires_at + timedelta(days=DAYS + 1), tick=False):
        assert services.company_invitations_purge() == 0
        assert Invitation.objects.get().status == "pending"


def test_the_retention_is_the_setting(company, leader, settings):
    closed_at = closed_invitations(company, leader)
    settings.CONTESTS_INVITATION_RETENTION_DAYS = 10
    with time_machine.travel(closed_at + timedelta(days=10, seconds=1), tick=False):
        assert services.company_invitations_purge() == 4


def test_jurors_are_never_purged_with_their_reviews_and_conflicts(company, leader):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.SUBMITTED)
    active = juror(edition)
    assign(active, sub)
    Conflict.objects.create(juror=active, company=company)
    never_answered = services.juror_invite(edition=edition, email="silent@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=10 * DAYS), tick=False):
        assert services.company_invitations_purge() == 0
    assert set(Juror.objects.values_list("pk", flat=True)) == {active.pk, never_answered.pk}
    assert (Assignment.objects.filter(juror=active).count(), Conflict.objects.filter(juror=active).count()) == (1, 1)


def test_the_periodic_job_is_registered_and_runs_the_purge(company, leader, settings):
    from portal.celery import app

    app.loader.import_default_modules()
    job = settings.PERIODIC_JOBS["contests-invitations-purge"]
    assert (job["task"], job["every"]) == ("contests.tasks.purge_old_invitations", 24 * 3600)
    assert settings.CELERY_BEAT_SCHEDULE["contests-invitations-purge"]["task"] == "contests.tasks.purge_old_invitations"
    closed_at = closed_invitations(company, leader)
    with time_machine.travel(closed_at + timedelta(days=DAYS, seconds=1), tick=False):
        assert app.tasks[job["task"]].apply().get() == 4
        assert app.tasks[job["task"]].apply().get() == 0
    assert remaining() == []
