#!/usr/bin/env python
"""`make benchmark-diagnostic`: the public barometer under load, against its floor, on PostgreSQL.

1. (Re)creates a separate database (BENCH_DB, default portal_bench_diagnostic), migrates and
   seeds it, writes 6,000 completed results spread over three years (bulk), and times the
   snapshot job freezing the twelve closed quarters.
2. Starts gunicorn with scripts/bench settings (DEBUG off, the floor view: base.html through the
   same middleware), as the expeditions benchmark does, and measures the floor, the barometer
   page (latest quarter, other quarters and measures) and its CSV: prints requests/s, p95 and
   the ratio to the floor (target ≥ 0.5).

Not part of `make test`. Reuses scripts/benchmark_expeditions.py's database, gunicorn and load
helpers (Redis database BENCH_REDIS_URL, default redis://127.0.0.1:6379/9, is EMPTIED first).
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("BENCH_DB", "portal_bench_diagnostic")
os.environ.setdefault("BENCH_PORT", "8198")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmark_expeditions as bench  # noqa: E402 — reads BENCH_* at import

RESULTS = 6_000
QUARTERS = 12


def fill() -> dict:
    import io

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from diagnostic import selectors, services
    from diagnostic.models import DimensionCode, DimensionResult, Response, ResponseStatus
    from portal.models import NafSection, Region, User

    call_command("migrate", verbosity=0)
    call_command("seed", stdout=io.StringIO())
    rng = random.Random(3)
    version = selectors.version_published()
    regions = list(Region.objects.all())
    password = make_password(None)
    users = User.objects.bulk_create(User(email=f"diag{i}@bench.example", password=password) for i in range(RESULTS))
    now = timezone.now()
    start = now - timedelta(days=92 * QUARTERS + 30)
    responses = Response.objects.bulk_create(
        Response(
            user=user, version=version, status=ResponseStatus.COMPLETED, region=rng.choice(regions[:8] if i % 4 else regions),
            sector=rng.choice(NafSection.values[:12]), size_band=rng.choice(["micro", "small", "small", "medium", "intermediate"]),
            overall_score=rng.randint(5, 95), overall_band="progressing",
            completed_at=start + timedelta(seconds=rng.randint(0, int((now - start).total_seconds()))),
        )
        for i, user in enumerate(users)
    )
    DimensionResult.objects.bulk_create(
        DimensionResult(response=r, code=code, score=rng.randint(0, 100), band="progressing", position=p)
        for r in responses for p, code in enumerate(DimensionCode.values)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    started = time.perf_counter()
    frozen = services.snapshot_closed_quarters()
    job_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = services.snapshot_closed_quarters()
    return {"results": len(responses), "quarters": [s.quarter for s in frozen], "job_seconds": job_seconds,
            "second_run": (len(again), time.perf_counter() - started)}


def main() -> None:
    t0 = time.perf_counter()
    bench.say(f"benchmark: database {bench.DB}; gunicorn {bench.WORKERS} sync workers; "
              f"{bench.CLIENT_PROCESSES}×{bench.CLIENT_THREADS} concurrent clients; cache {bench.BENCH_REDIS_URL or 'per process'}")
    bench.recreate_database()
    if bench.BENCH_REDIS_URL:
        import redis

        redis.Redis.from_url(bench.BENCH_REDIS_URL).flushdb()
    bench.setup_django()
    data = fill()
    bench.say(f"{data['results']} results; the job froze {len(data['quarters'])} quarters ({data['quarters'][0]}…"
              f"{data['quarters'][-1]}) in {data['job_seconds']:.2f} s; run again: {data['second_run'][0]} new in "
              f"{data['second_run'][1]:.3f} s")
    quarters = data["quarters"]
    server = bench.start_gunicorn()
    try:
        bench.say("pages (GET, anonymous):")
        results = bench.measure({
            "floor": ["/bench-floor/"],
            "barometer": ["/diagnostic/barometer/", f"/diagnostic/barometer/?quarter={quarters[0]}&measure=green",
                          f"/diagnostic/barometer/?quarter={quarters[len(quarters) // 2]}&measure=data"],
            "csv": [f"/diagnostic/barometer/{q}.csv" for q in quarters],
        })
        floor = results["floor"]
        bench.say("ratios to the floor (requests/s; target ≥ 0.5):")
        for name in ("barometer", "csv"):
            bench.say(f"  {name:<9} {results[name]['rps'] / floor['rps']:.2f}   (p95 ×{results[name]['p95_ms'] / floor['p95_ms']:.2f})")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    bench.say(f"benchmark done in {time.perf_counter() - t0:.1f} s at {datetime.now():%H:%M} (database {bench.DB} kept)")


if __name__ == "__main__":
    main()
