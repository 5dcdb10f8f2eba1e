"""The outbox as a user meets it: queued in the caller's transaction, inbox, preferences, unsubscribe."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import Notification, NotificationPreference
from portal.notifications.kinds import NotificationKind, register_kind
from portal.notifications.services import notification_sweep, notify, route, unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEWSLETTER = register_kind(NotificationKind(code="tests.newsletter", label="Programme news", optional=True, template="tests/emails/newsletter"))
RECEIPT = register_kind(NotificationKind(code="tests.receipt", label="Receipt", optional=False, template="tests/emails/newsletter"))


@pytest.fixture(autouse=True)
def _test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], settings.BASE_DIR / "tests" / "templates"]}
    ]


def test_rolled_back_transaction_queues_nothing():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(kind="tests.receipt", user=user)
        raise RuntimeError("the caller's write failed")
    assert Notification.objects.count() == 0


def test_notify_renders_in_the_recipients_language_and_sends_on_commit(django_capture_on_commit_callbacks):
    user = UserFactory(language="en", first_name="Ada")
    with django_capture_on_commit_callbacks(execute=True):
        row = notify(kind="tests.newsletter", user=user)
    row.refresh_from_db()
    assert row.language == "en"
    assert row.subject == "Programme news"
    assert row.state == Notification.State.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Programme news"
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith(f"<{settings.PORTAL_BASE_URL}/en/unsubscribe/")


def test_dedup_key_makes_a_reminder_go_out_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(kind="tests.receipt", user=user, dedup_key="reminder:1")
        second = notify(kind="tests.receipt", user=user, dedup_key="reminder:1")
    assert first is not None
    assert second is None
    assert Notification.objects.filter(dedup_key="reminder:1").count() == 1
    assert len(mail.outbox) == 1


def test_opted_out_optional_kind_is_shown_in_inbox_but_not_emailed(django_capture_on_commit_callbacks):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind="tests.newsletter", email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        row = notify(kind="tests.newsletter", user=user)
    assert row.state == Notification.State.SUPPRESSED
    assert mail.outbox == []
    assert notification_sweep() == 0


def test_transactional_kind_ignores_preferences(django_capture_on_commit_callbacks):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind="tests.receipt", email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="tests.receipt", user=user)
    assert len(mail.outbox) == 1


def test_one_click_unsubscribe_turns_the_kind_off(client):
    user = UserFactory()
    token = unsubscribe_token(user=user, kind="tests.newsletter")
    response = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user, kind="tests.newsletter").email_enabled is False


def test_unsubscribe_link_opens_a_page_in_the_recipients_language(client, django_capture_on_commit_callbacks):
    english, french = UserFactory(language="en"), UserFactory(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="tests.newsletter", user=english)
        notify(kind="tests.newsletter", user=french)
    links = {m.to[0]: m.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(settings.PORTAL_BASE_URL) for m in mail.outbox}
    assert links[english.email].startswith("/en/unsubscribe/")
    assert links[french.email].startswith("/unsubscribe/")
    page = client.get(links[english.email]).content.decode()
    assert '<html lang="en">' in page
    assert "Stop receiving this kind of e-mail?" in page
    done = client.post(links[english.email]).content.decode()
    assert "You will no longer receive “Programme news” e-mails." in done
    assert NotificationPreference.objects.get(user=english, kind="tests.newsletter").email_enabled is False
    page = client.get(links[french.email]).content.decode()
    assert '<html lang="fr">' in page
    assert "Ne plus recevoir ce type d'e-mail ?" in page


def test_forged_unsubscribe_token_is_refused_with_a_message(client):
    response = client.post(reverse("notifications:unsubscribe", args=["not-a-real-token"]))
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()


def test_failed_smtp_is_retried_with_backoff_then_marked_failed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing accepts SMTP there
    settings.EMAIL_TIMEOUT = 1
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        row = Notification.objects.create(kind="tests.receipt", recipient_email="x@example.org", subject="s", body_text="b")
        assert notification_sweep() == 0
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == (Notification.State.PENDING, 1, start + timedelta(minutes=1))
    assert row.last_error.startswith("ConnectionRefusedError")
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert notification_sweep() == 0  # not due yet: no attempt
    row.refresh_from_db()
    assert row.attempts == 1
    second = start + timedelta(minutes=1)
    with time_machine.travel(second, tick=False):
        assert notification_sweep() == 0
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == (Notification.State.PENDING, 2, second + timedelta(minutes=5))
    with time_machine.travel(second + timedelta(minutes=5), tick=False):
        assert notification_sweep() == 0
    row.refresh_from_db()
    assert (row.state, row.attempts, row.lease_expires_at) == (Notification.State.FAILED, 3, None)


def test_inbox_lists_own_notifications_and_hides_others(client):
    me, other = UserFactory(), UserFactory()
    mine = Notification.objects.create(user=me, kind="tests.receipt", recipient_email=me.email, subject="Pour moi", body_text="b")
    theirs = Notification.objects.create(user=other, kind="tests.receipt", recipient_email=other.email, subject="Pas pour moi", body_text="b")
    client.force_login(me)
    html = client.get(reverse("me:notifications")).content.decode()
    assert "Pour moi" in html
    assert "Pas pour moi" not in html
    assert client.get(reverse("me:notification_open", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("me:notification_open", args=[mine.pk])).status_code == 200
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_preferences_page_saves_optional_kinds(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("me:preferences"), {})  # every box unticked
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=user, kind="tests.newsletter").email_enabled is False
    assert not NotificationPreference.objects.filter(user=user, kind="tests.receipt").exists()


def test_a_row_whose_last_attempt_lost_its_worker_is_failed_not_retried_forever(settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    past = timezone.now() - timedelta(minutes=1)
    lost = Notification.objects.create(
        kind="tests.receipt", recipient_email="poison@example.org", subject="s", body_text="b",
        state=Notification.State.SENDING, attempts=3, lease_expires_at=past,
    )
    retried = Notification.objects.create(
        kind="tests.receipt", recipient_email="crash@example.org", subject="s", body_text="b",
        state=Notification.State.SENDING, attempts=1, lease_expires_at=past,
    )
    assert notification_sweep() == 1
    lost.refresh_from_db()
    retried.refresh_from_db()
    assert (lost.state, lost.attempts, lost.lease_expires_at) == (Notification.State.FAILED, 3, None)
    assert lost.last_error == "The worker was lost during attempt 3 (lease expired)."
    assert (retried.state, retried.attempts) == (Notification.State.SENT, 2)
    assert [m.to for m in mail.outbox] == [["crash@example.org"]]


def test_deactivated_accounts_get_no_email_even_for_transactional_kinds(django_capture_on_commit_callbacks):
    user = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        row = notify(kind="tests.receipt", user=user)
    assert row.state == Notification.State.SUPPRESSED
    assert mail.outbox == []


def test_a_route_is_reversed_in_each_recipients_language_and_an_absolute_url_is_kept():
    english, french = UserFactory(language="en"), UserFactory(language="fr")
    on_the_page = route("me:notifications", fragment="latest")
    # Whatever language the page that triggers them is in.
    with translation.override("fr"):
        to_english = notify(kind="tests.receipt", user=english, link=on_the_page)
    with translation.override("en"):
        to_french = notify(kind="tests.receipt", user=french, link=on_the_page)
        elsewhere = notify(kind="tests.receipt", user=english, link="https://www.medef.com/fr/")
    assert (to_english.link, to_french.link) == ("/en/me/notifications/#latest", "/me/notifications/#latest")
    assert f"{settings.PORTAL_BASE_URL}/en/me/notifications/#latest" in to_english.body_text
    assert elsewhere.link == "https://www.medef.com/fr/"
    assert "https://www.medef.com/fr/" in elsewhere.body_text
