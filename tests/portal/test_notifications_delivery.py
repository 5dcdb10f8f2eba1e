"""Delivery through a real Celery worker on Redis to a real SMTP server — no mocks.

(1) a worker delivers exactly one message, in the recipient's language;
(2) with the broker down the request still answers quickly, and the sweep delivers later,
    exactly once; a second sweep sends nothing;
(3) two workers racing on one row send it once.
"""

import os
import time

import pytest
import redis
from django.db import connection
from django.urls import reverse

from portal.celery import app as celery_app
from portal.models import Notification
from portal.notifications.services import notification_deliver, notification_queue
from portal.tasks import deliver_notification, sweep_notifications
from tests.celery_helpers import SMTPSink, celery_worker, configure_publisher, free_port, restore_eager, wait_until
from tests.concurrency import run_together

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "")

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="needs Redis (PORTAL_TEST_REDIS_URL); make test sets it when Redis answers"),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the worker subprocess shares the test database: PostgreSQL only")


@pytest.fixture
def broker():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    configure_publisher(broker_url=REDIS_URL)
    yield REDIS_URL
    restore_eager()
    client.flushdb()


@pytest.fixture
def smtp():
    sink = SMTPSink().start()
    yield sink
    sink.stop()


def _signup(client, email_address: str, *, language: str = "fr"):
    prefix = "/en" if language == "en" else ""
    return client.post(
        f"{prefix}/accounts/signup/",
        {"email": email_address, "password1": "Un-mot-de-passe-solide-7", "password2": "Un-mot-de-passe-solide-7"},
        follow=True,
    )


def test_worker_delivers_signup_confirmation_once_in_recipients_language(client, broker, smtp):
    assert celery_app.conf.task_always_eager is False
    with celery_worker(name="w1", broker_url=broker, smtp_port=smtp.port):
        response = _signup(client, "ada-worker@example.org", language="en")
        assert response.status_code == 200
        assert wait_until(lambda: len(smtp.to("ada-worker@example.org")) >= 1, timeout=30)
        time.sleep(1.0)  # anything duplicated would arrive now
    messages = smtp.to("ada-worker@example.org")
    assert len(messages) == 1
    assert str(messages[0]["Subject"]).strip() == "[Medef numérique] Please Confirm Your Email Address"
    assert messages[0]["Content-Language"] == "en"
    row = Notification.objects.get(recipient_email="ada-worker@example.org")
    assert row.state == Notification.State.SENT
    assert row.attempts == 1


def test_broker_down_request_answers_and_sweep_delivers_exactly_once(client, smtp):
    closed_port = free_port()  # nothing listens there
    configure_publisher(broker_url=f"redis://127.0.0.1:{closed_port}/0")
    try:
        started = time.monotonic()
        response = _signup(client, "broker-down@example.org")
        elapsed = time.monotonic() - started
    finally:
        restore_eager()
    assert response.status_code == 200
    assert elapsed < 5
    row = Notification.objects.get(recipient_email="broker-down@example.org")
    assert row.state == Notification.State.PENDING
    assert smtp.to("broker-down@example.org") == []

    client_redis = redis.Redis.from_url(REDIS_URL)
    client_redis.flushdb()
    configure_publisher(broker_url=REDIS_URL)
    try:
        with celery_worker(name="sweeper", broker_url=REDIS_URL, smtp_port=smtp.port):
            sweep_notifications.delay()
            assert wait_until(lambda: len(smtp.to("broker-down@example.org")) >= 1, timeout=30)
            sweep_notifications.delay()
            assert wait_until(
                lambda: Notification.objects.filter(pk=row.pk, state=Notification.State.SENT).exists(), timeout=10
            )
            time.sleep(2.0)  # the second sweep has run by now
    finally:
        restore_eager()
        client_redis.flushdb()
    assert len(smtp.to("broker-down@example.org")) == 1
    row.refresh_from_db()
    assert row.state == Notification.State.SENT
    assert row.attempts == 1


def test_two_workers_racing_on_one_row_send_it_once(broker):
    slow_smtp = SMTPSink(delay=0.5).start()
    try:
        row = notification_queue(
            kind="account.password_changed",
            recipient_email="race@example.org",
            subject="Mot de passe modifié",
            body_text="Votre mot de passe a été modifié.",
            language="fr",
        )
        with celery_worker(name="wa", broker_url=broker, smtp_port=slow_smtp.port), celery_worker(
            name="wb", broker_url=broker, smtp_port=slow_smtp.port
        ):
            for _ in range(10):
                deliver_notification.delay(row.pk)
            assert wait_until(lambda: len(slow_smtp.to("race@example.org")) >= 1, timeout=30)
            time.sleep(3.0)
        assert len(slow_smtp.to("race@example.org")) == 1
        row.refresh_from_db()
        assert row.state == Notification.State.SENT
    finally:
        slow_smtp.stop()


def test_concurrent_claims_in_threads_send_once(settings, smtp):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_USE_TLS = False
    row = Notification.objects.create(
        kind="account.password_changed", recipient_email="threads@example.org", subject="s", body_text="b", language="fr"
    )
    results, errors = run_together(lambda: notification_deliver(row.pk), [()] * 8)
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert len(smtp.to("threads@example.org")) == 1


def test_signup_page_still_works_with_reverse_url(client):
    assert client.get(reverse("account_signup")).status_code == 200
