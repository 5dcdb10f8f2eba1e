"""Leases of the outbox: a worker that lost its lease cannot overwrite the claim that replaced it."""

import smtplib
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from portal.models import Notification
from portal.notifications.services import notification_deliver, notification_sweep

pytestmark = pytest.mark.django_db(transaction=True)


class ScriptedBackend(BaseEmailBackend):
    """A stand-in for the SMTP server: the n-th connection's send runs the n-th step of ``script``."""

    script: list = []
    accepted: list = []

    def send_messages(self, email_messages):
        step = ScriptedBackend.script.pop(0) if ScriptedBackend.script else None
        if step:
            step()
        ScriptedBackend.accepted.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def scripted_smtp(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent connections: PostgreSQL only")
    settings.EMAIL_BACKEND = f"{__name__}.ScriptedBackend"
    ScriptedBackend.script, ScriptedBackend.accepted = [], []
    yield ScriptedBackend
    ScriptedBackend.script, ScriptedBackend.accepted = [], []


def test_a_worker_failing_after_its_lease_expired_does_not_undo_the_sweeps_delivery(scripted_smtp):
    row = Notification.objects.create(
        kind="account.password_changed", recipient_email="lease@example.org", subject="s", body_text="b", language="fr"
    )
    a_in_send, a_may_give_up, a_done = threading.Event(), threading.Event(), threading.Event()

    def stalls_then_loses_the_connection():  # worker A: stuck past its lease, then an SMTP error
        a_in_send.set()
        assert a_may_give_up.wait(10)
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    def accepts_while_a_gives_up():  # the sweep's new claim: A records its failure meanwhile
        a_may_give_up.set()
        assert a_done.wait(10)

    scripted_smtp.script = [stalls_then_loses_the_connection, accepts_while_a_gives_up]
    results = {}

    def worker_a():
        try:
            results["a"] = notification_deliver(row.pk)
        finally:
            a_done.set()
            connection.close()

    thread = threading.Thread(target=worker_a)
    thread.start()
    assert a_in_send.wait(10)
    Notification.objects.filter(pk=row.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    results["sweep"] = notification_deliver(row.pk)
    thread.join()

    row.refresh_from_db()
    assert results == {"a": False, "sweep": True}
    assert (row.state, row.attempts, row.last_error) == (Notification.State.SENT, 2, "")
    assert len(scripted_smtp.accepted) == 1
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert notification_sweep() == 0
    assert len(scripted_smtp.accepted) == 1
