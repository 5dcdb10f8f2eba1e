"""portal.locking: locks only inside a transaction, never waited for forever, one test switch."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from portal.locking import lock_row, lock_rows, race_test, race_window
from portal.models import Region
from tests.factories import region

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL")


def _lock_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_rather_than_released_at_once():
    row = region()
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        lock_row(Region, row.pk)
    with transaction.atomic():
        assert lock_row(Region, row.pk) == row


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_lock_timeout_comes_from_the_setting_and_ends_with_the_transaction(settings):
    settings.PORTAL_LOCK_TIMEOUT_SECONDS = 1.5
    row = region()
    before = _lock_timeout()
    with transaction.atomic():
        lock_row(Region, row.pk)
        assert _lock_timeout() == "1500ms"
    assert _lock_timeout() == before


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_row_held_by_a_stuck_transaction_is_waited_for_only_until_the_timeout(settings):
    settings.PORTAL_LOCK_TIMEOUT_SECONDS = 0.3
    row = region()
    held, release = threading.Event(), threading.Event()

    def stuck_transaction():
        try:
            with transaction.atomic():
                lock_row(Region, row.pk)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=stuck_transaction)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(OperationalError) as refused:
            with transaction.atomic():
                lock_rows(Region.objects.filter(pk=row.pk)).get()
        assert refused.value.__cause__.pgcode == "55P03"  # lock_not_available
    finally:
        release.set()
        thread.join(10)
    with transaction.atomic():  # released: granted at once
        assert lock_row(Region, row.pk) == row


@pytest.mark.django_db
def test_the_race_switch_pauses_only_in_the_window_named_and_always_switches_locks_back_on():
    calls = []
    with race_test(locking=True, pause=lambda: calls.append("paused"), at="second"):
        race_window("first")
        race_window("second")
    race_window("second")
    assert calls == ["paused"]

    with pytest.raises(ZeroDivisionError):
        with race_test(locking=False, pause=lambda: 1 / 0):
            with transaction.atomic():
                assert "FOR UPDATE" not in str(lock_rows(Region.objects.all()).query)
            race_window("any")
    with transaction.atomic():
        assert "FOR UPDATE" in str(lock_rows(Region.objects.all()).query) or connection.vendor != "postgresql"
