"""The helper behind every race test: if it stopped running calls at the same time, the race
tests would pass without proving anything."""

import threading
import time

from tests.concurrency import run_together


def test_the_workers_run_their_first_calls_at_the_same_time_and_never_more_at_once():
    first_round = threading.Barrier(32, timeout=10)  # passes only if 32 calls are running at once
    lock = threading.Lock()
    running = peak = 0

    def call(number: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        if number < 32:
            first_round.wait()
        time.sleep(0.002)  # long enough for calls to overlap if more threads were running
        with lock:
            running -= 1
        return number

    results, errors = run_together(call, [(n,) for n in range(200)], workers=32)
    assert errors == []
    assert sorted(results) == list(range(200))
    assert peak == 32


def test_exceptions_come_back_instead_of_being_lost_in_the_threads():
    results, errors = run_together(lambda x: 10 // x, [(0,), (5,), (0,)])
    assert results == [2]
    assert [type(e) for e in errors] == [ZeroDivisionError, ZeroDivisionError]
