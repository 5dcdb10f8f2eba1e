"""Simultaneous requests in tests: calls made from threads released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, NamedTuple

from django.db import connection


def rendezvous(parties: int = 2, *, timeout: float = 2) -> Callable[[], None]:
    """A pause for ``portal.locking.race_test``: each call waits in the race window until
    ``parties`` calls are there, so all read before any writes (the race, locks off). With locks
    on the others wait for the row instead and never arrive: after ``timeout`` the first goes on."""
    barrier = threading.Barrier(parties, timeout=timeout)

    def meet() -> None:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass

    return meet


class Outcome(NamedTuple):
    results: list[Any]  # return values, in the order the calls finished
    errors: list[BaseException]  # whatever the calls raised, in the order they finished


def run_together(fn: Callable[..., Any], args_list: Iterable[tuple], *, workers: int | None = None, timeout: float = 120) -> Outcome:
    """Call ``fn(*args)`` once for each ``args`` of ``args_list`` from a pool of ``workers`` threads
    (default: one per call). Every thread waits at a barrier before its first call, so the first
    calls start at the same moment; the rest follow as threads come free. Each call closes its
    own database connection. Nothing is swallowed: every exception comes back in ``errors``.

    Needs ``django_db(transaction=True)``: the threads do not share the test's transaction.
    """
    calls = list(args_list)
    workers = min(workers or len(calls), len(calls))
    # A thread that never reaches the barrier breaks it after `timeout`: the pool then fails
    # every call (BrokenThreadPool, raised below) instead of hanging.
    barrier = threading.Barrier(workers, timeout=timeout)
    results: list[Any] = []
    errors: list[BaseException] = []

    def call(args: tuple) -> None:
        try:
            results.append(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the test
            errors.append(exc)
        finally:
            connection.close()

    pool = ThreadPoolExecutor(max_workers=workers, initializer=barrier.wait)
    try:
        futures = [pool.submit(call, args) for args in calls]
        done, unfinished = wait(futures, timeout=timeout)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    assert not unfinished, f"{len(unfinished)} of {len(calls)} calls still running after {timeout} s"
    for future in done:
        future.result()
    return Outcome(results, errors)
