"""Row locks: the one way every service serialises a read-decide-write on a row.

Rules (the idea of pretix's locking doc, in our words):
1. Lock inside ``transaction.atomic()``: :func:`lock_row` and :func:`lock_rows` refuse to run
   outside one (a lock outside a transaction is released at once and protects nothing).
2. Lock late but before reading what the decision rests on (places left, a state), and lock
   the one row that stands for the scarce thing (the expedition, the enrollment, the project).
3. Never wait forever: on PostgreSQL the transaction's ``lock_timeout`` is set from
   ``settings.PORTAL_LOCK_TIMEOUT_SECONDS``; a lock not granted by then raises
   ``django.db.OperationalError`` (lock_not_available) and the transaction rolls back.
4. Races are proven, not assumed: services mark the gap between their read and their write
   with :func:`race_window`; tests use :func:`race_test` (the one test switch) to switch every
   lock off and widen that gap, then check that the race happens — and is held with locks on.

SQLite (the embedded mode) ignores ``SELECT … FOR UPDATE``: it serialises writers instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, router
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


@dataclass
class _RaceTest:
    """The test switch's state: locks on, and no pause, outside :func:`race_test`."""

    locking: bool = True
    pause: float | Callable[[], None] | None = None
    at: str | None = None


_state = _RaceTest()


def lock_rows(queryset: QuerySet[M], *, of: Sequence[str] = ()) -> QuerySet[M]:
    """``queryset.select_for_update(of=of)`` under the lock timeout; call inside ``transaction.atomic()``.

    The rows are locked when the queryset is evaluated, in this same transaction. ``of``
    narrows the lock to some of the joined tables (``("self",)`` for the queried rows only).
    """
    connection = connections[queryset._db or router.db_for_write(queryset.model)]
    if not connection.in_atomic_block:
        raise RuntimeError("Row locks must be taken inside transaction.atomic().")
    if not _state.locking:
        return queryset
    if connection.vendor == "postgresql":
        timeout_ms = max(1, round(float(settings.PORTAL_LOCK_TIMEOUT_SECONDS) * 1000))
        with connection.cursor() as cursor:  # is_local=true: SET LOCAL, until the transaction ends
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{timeout_ms}ms"])
    return queryset.select_for_update(of=tuple(of))


def lock_row(model_or_queryset: type[M] | QuerySet[M], pk: Any, *, of: Sequence[str] = ()) -> M:
    """Lock the row ``pk`` and return it as read once the lock is granted (``DoesNotExist`` if absent).

    Give a queryset to read related rows in the same query (``select_related``); they are
    locked too unless ``of=("self",)`` — which PostgreSQL requires when a join is nullable.
    """
    queryset = model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset._default_manager.all()
    return lock_rows(queryset, of=of).get(pk=pk)


def race_window(name: str) -> None:
    """Mark the gap between a read and the write it decides. Does nothing outside :func:`race_test`."""
    pause = _state.pause
    if pause is None or (_state.at is not None and _state.at != name):
        return
    if callable(pause):
        pause()
    elif pause > 0:
        time.sleep(pause)


@contextmanager
def race_test(*, locking: bool, pause: float | Callable[[], None] | None = None, at: str | None = None) -> Iterator[None]:
    """TEST ONLY, the one switch of every race test: ``locking=False`` skips every row lock
    (:func:`lock_rows` returns the queryset as it is) and ``pause`` (seconds, or a callable such as
    a barrier's wait) runs in each :func:`race_window` — or only in the one named ``at``.
    Everything is switched back on leaving, whatever happens."""
    previous = _RaceTest(_state.locking, _state.pause, _state.at)
    _state.locking, _state.pause, _state.at = locking, pause, at
    try:
        yield
    finally:
        _state.locking, _state.pause, _state.at = previous.locking, previous.pause, previous.at
