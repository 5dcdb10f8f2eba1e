"""Faults of real services, on loopback, and recovery (issue 12).

Each test starts what it breaks: its own `redis-server` on a free port with its own Celery
worker (never the shared Redis on 6379), a short notification lease, an SMTP sink, and for
the database a TCP proxy between the portal (served by gunicorn) and PostgreSQL.

- the broker terminated, then separately frozen (SIGSTOP), while people register and staff
  publish an update; restored: every notification delivered exactly once;
- the worker's child killed (SIGKILL) in the middle of a delivery, the SMTP sink holding its
  reply until then: the task is redelivered and the message sent once, after the lease;
- the database connection cut, then restored: a styled 503 page and /healthz degraded, then
  recovery; a COMMIT lost on the way leaves nothing half-written.
"""

from __future__ import annotations

import re
import shutil
import signal
import time

import pytest
from django.db import connection
from django.test import Client

from expeditions.models import Expedition, Registration
from measures import services as measure_services
from measures.models import MeasureUpdate
from portal.models import Notification
from portal.notifications.services import notification_queue
from portal.tasks import sweep_notifications
from tests.celery_helpers import SMTPSink, celery_worker, configure_publisher, restore_eager, wait_until
from tests.expeditions.factories import ExpeditionFactory, participant
from tests.factories import UserFactory
from tests.faults import HoldingSMTPSink, Portal, RedisServer, TcpProxy, children_of
from tests.measures.factories import measure

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server binary (apt-get install redis-server)"),
]

LEASE = {"NOTIFICATION_LEASE_SECONDS": "3"}


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the worker and the portal processes share the test database: PostgreSQL only")


@pytest.fixture
def own_redis():
    server = RedisServer().start()
    configure_publisher(broker_url=server.url)
    yield server
    restore_eager()
    server.close()


@pytest.fixture
def smtp():
    sink = SMTPSink().start()
    yield sink
    sink.stop()


def _register(client: Client, expedition: Expedition) -> int:
    started = time.monotonic()
    response = client.post(f"/expeditions/{expedition.slug}/register/", {"passport_name": "DURAND Camille"})
    assert response.status_code == 302, response.content[:500]
    return time.monotonic() - started


def _publish_update(follower_count: int) -> MeasureUpdate:
    m = measure(3)
    for _ in range(follower_count):
        measure_services.measure_follow(measure=m, user=UserFactory())
    update = MeasureUpdate(measure=m, title_fr="Décret publié", title_en="Decree published", text_fr="Le décret est paru.")
    return measure_services.measure_update_publish(update=update, by=UserFactory(is_staff=True))


def _deliver_all_and_check_once(smtp: SMTPSink, expected: list[Notification]) -> None:
    """Sweeps through the broker until every row is sent, then once more: each e-mail exactly once."""
    pks = [n.pk for n in expected]

    def all_sent():
        sweep_notifications.delay()
        return Notification.objects.filter(pk__in=pks, state=Notification.State.SENT).count() == len(pks)

    assert wait_until(all_sent, timeout=60, interval=1.0), list(Notification.objects.filter(pk__in=pks).values("state", "attempts"))
    sweep_notifications.delay()
    time.sleep(2.0)  # a duplicate would arrive now
    for row in Notification.objects.filter(pk__in=pks):
        assert len(smtp.to(row.recipient_email)) == 1, row.recipient_email


def _new_rows(before: int) -> list[Notification]:
    return list(Notification.objects.filter(pk__gt=before).exclude(state=Notification.State.SUPPRESSED).order_by("pk"))


def _last_pk() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_broker_terminated_while_people_register_and_staff_publish_then_restored_delivers_each_once(own_redis, smtp):
    trip = ExpeditionFactory(capacity=10)
    people = [participant() for _ in range(3)]
    with celery_worker(name="fault-stop", broker_url=own_redis.url, smtp_port=smtp.port, extra_env=LEASE):
        before = _last_pk()
        own_redis.stop()
        for person in people:
            client = Client()
            client.force_login(person)
            assert _register(client, trip) < 20  # the page answers; the broker's absence costs a bounded retry
        _publish_update(follower_count=2)
        rows = _new_rows(before)
        assert len(rows) == 5 and {r.state for r in rows} == {Notification.State.PENDING}
        assert smtp.messages == []
        own_redis.start()  # the same port: the worker reconnects
        configure_publisher(broker_url=own_redis.url)
        _deliver_all_and_check_once(smtp, rows)


def test_broker_frozen_while_people_register_and_staff_publish_then_thawed_delivers_each_once(own_redis, smtp):
    trip = ExpeditionFactory(capacity=10)
    people = [participant() for _ in range(2)]
    with celery_worker(name="fault-freeze", broker_url=own_redis.url, smtp_port=smtp.port, extra_env=LEASE):
        before = _last_pk()
        own_redis.freeze()  # accepts connections, answers nothing: only timeouts tell
        try:
            for person in people:
                client = Client()
                client.force_login(person)
                assert _register(client, trip) < 30  # socket timeouts bound the publish
            _publish_update(follower_count=1)
            rows = _new_rows(before)
            assert len(rows) == 3
            assert smtp.messages == []
        finally:
            own_redis.thaw()
        configure_publisher(broker_url=own_redis.url)
        # Publishes half-written into the frozen socket may now arrive as well as the sweep's: claims decide.
        _deliver_all_and_check_once(smtp, rows)


def test_worker_child_killed_mid_delivery_is_redelivered_and_sent_once(own_redis):
    sink = HoldingSMTPSink().start()
    try:
        with celery_worker(name="fault-kill", broker_url=own_redis.url, smtp_port=sink.port, extra_env=LEASE,
                           pool="prefork") as worker:
            row = notification_queue(kind="account.password_changed", recipient_email="killed@example.org",
                                     subject="Mot de passe modifié", body_text="Votre mot de passe a été modifié.", language="fr")
            assert sink.first_data_arrived.wait(30), "the delivery never reached the SMTP server"
            children = children_of(worker.pid)
            assert len(children) == 1
            held = Notification.objects.get(pk=row.pk)
            assert (held.state, held.attempts) == (Notification.State.SENDING, 1)
            import os

            os.kill(children[0], signal.SIGKILL)  # in the middle of the SMTP conversation
            sink.release()
            _deliver_all_and_check_once(sink, [row])
        assert re.search(r"WorkerLostError|signal 9|SIGKILL", worker.log_text), worker.log_text[-3000:]
        row.refresh_from_db()
        assert (row.state, row.attempts) == (Notification.State.SENT, 2)  # the lost attempt, then the one that went
    finally:
        sink.stop()


@pytest.fixture
def cut_portal():
    proxy = TcpProxy(upstream_port=int(connection.settings_dict["PORT"] or 5432))
    portal = Portal(db_port=proxy.port).start()
    yield proxy, portal
    portal.stop()
    proxy.close()


def test_database_cut_answers_a_styled_503_and_healthz_degraded_then_recovers(cut_portal):
    proxy, portal = cut_portal
    ExpeditionFactory()  # the home page shows a trip: its places are read live, from the database
    assert portal.request("GET", "/healthz")[0] == 200
    assert portal.request("GET", "/")[0] == 200
    proxy.cut()
    status, headers, html = portal.request("GET", "/")
    assert status == 503
    assert headers["retry-after"] == "60"
    assert "Service momentanément indisponible" in html and "/static/css/portal.css" in html
    status, _headers, body = portal.request("GET", "/healthz")
    assert status == 503 and '"database": "down"' in body
    english = portal.request("GET", "/en/mooc/")
    assert english[0] == 503 and "Service briefly unavailable" in english[2]
    proxy.restore()
    assert portal.request("GET", "/")[0] == 200
    status, _headers, body = portal.request("GET", "/healthz")
    assert status == 200 and '"database": "ok"' in body


def test_a_commit_lost_with_the_connection_leaves_nothing_half_written(cut_portal):
    proxy, portal = cut_portal
    trip = ExpeditionFactory(capacity=5)
    person = participant()
    client = Client()
    client.force_login(person)
    portal.cookies["sessionid"] = client.cookies["sessionid"].value
    status, _headers, html = portal.request("GET", f"/expeditions/{trip.slug}/register/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    form = {"csrfmiddlewaretoken": token, "passport_name": "DURAND Camille"}
    proxy.drop_on_commit = True
    status, _headers, html = portal.request("POST", f"/expeditions/{trip.slug}/register/", form)
    proxy.drop_on_commit = False
    assert proxy.commits_dropped >= 1
    assert status == 503 and "Service momentanément indisponible" in html
    # The registration, its counter and its notification were one transaction: none of it is there.
    trip.refresh_from_db()
    assert Registration.objects.filter(user=person).count() == 0
    assert (trip.places_held, trip.waitlist_length) == (0, 0)
    assert not Notification.objects.filter(user=person).exists()
    status, headers, _html = portal.request("POST", f"/expeditions/{trip.slug}/register/", form)
    assert status == 302, _html[:500]
    trip.refresh_from_db()
    assert Registration.objects.filter(user=person, status=Registration.Status.CONFIRMED).count() == 1
    assert trip.places_held == 1
