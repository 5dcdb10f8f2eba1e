"""The privacy page is written from the personal-data registry; retention jobs keep its promises."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from portal import personal_data
from portal.models import User
from portal.services import accounts_unverified_purge, sessions_clear_expired
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_privacy_page_describes_every_registered_entry_in_french_and_english(client):
    html = client.get(reverse("privacy")).content.decode()
    for key, notice in personal_data.notices():
        assert escape(str(notice.title)) in html, key
    assert "Combien de temps" in html
    assert f"{settings.PORTAL_NOTIFICATION_RETENTION_DAYS} jours" in html
    assert "L123-22" in html  # invoices: the legal period, and where they are kept
    english = client.get("/en/privacy/").content.decode()
    assert "For how long" in english and "Learning expeditions" in english


def test_an_entry_registered_without_a_description_fails_the_page(monkeypatch):
    monkeypatch.setitem(personal_data._REGISTRY, "newapp", personal_data.PersonalDataEntry("newapp", dict, lambda u: None))
    with pytest.raises(LookupError, match="newapp"):
        personal_data.notices()


def test_a_new_description_appears_on_the_page(client, monkeypatch):
    monkeypatch.setitem(personal_data._REGISTRY, "newapp", personal_data.PersonalDataEntry("newapp", dict, lambda u: None))
    monkeypatch.setitem(personal_data._NOTICES, "newapp", personal_data.PersonalDataNotice(
        title="Diagnostic numérique", holds="Vos réponses", purpose="Vous conseiller", retention="Deux ans"))
    assert "Diagnostic numérique" in client.get(reverse("privacy")).content.decode()


def test_accounts_never_confirmed_are_erased_after_the_retention_period_and_only_them(client):
    old = timezone.now() - timedelta(days=settings.PORTAL_UNVERIFIED_ACCOUNT_RETENTION_DAYS + 1)
    client.post(reverse("account_signup"), {"email": "jamais.confirme@example.org", "password1": PASSWORD, "password2": PASSWORD})
    never_confirmed = User.objects.get(email="jamais.confirme@example.org")
    assert not EmailAddress.objects.get(user=never_confirmed).verified
    recent = UserFactory()
    EmailAddress.objects.filter(user=recent).update(verified=False)
    confirmed = UserFactory()
    staff = UserFactory(is_staff=True)
    EmailAddress.objects.filter(user=staff).update(verified=False)
    User.objects.filter(pk__in=[never_confirmed.pk, confirmed.pk, staff.pk]).update(date_joined=old)
    assert accounts_unverified_purge() == 1
    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk, staff.pk}
    assert not EmailAddress.objects.filter(email="jamais.confirme@example.org").exists()
    assert accounts_unverified_purge() == 0  # idempotent


def test_expired_sessions_are_cleared(client):
    client.force_login(UserFactory())
    live = Session.objects.get()
    Session.objects.create(session_key="x" * 32, session_data="e30:", expire_date=timezone.now() - timedelta(seconds=1))
    sessions_clear_expired()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_retention_jobs_are_scheduled():
    tasks = {job["task"] for job in settings.PERIODIC_JOBS.values()}
    assert {"portal.tasks.purge_unverified_accounts", "portal.tasks.clear_expired_sessions",
            "portal.tasks.purge_old_notifications", "expeditions.tasks.purge_sensitive_data",
            "contests.tasks.purge_old_invitations"} <= tasks
