#!/usr/bin/env python
"""`make benchmark` (API line): the open-data API's list endpoints under load, against the floor.

1. (Re)creates a separate database (BENCH_DB, default portal_bench_api), migrates and seeds it
   (reference + demo), then adds 600 published expeditions with tags, 40 contest editions with
   published laureates, 60 courses with modules and runs and 12 frozen barometer quarters (bulk).
2. Starts gunicorn with scripts/bench settings (DEBUG off; the floor view renders base.html through
   the same middleware), the rate limit off (PORTAL_API_RATE=""), the cache in Redis as in
   production (ETag/Last-Modified bookkeeping included), and measures the floor and each list
   endpoint (first pages and pages reached by their cursor), in French and English: prints
   requests/s, p95 and the ratio to the floor (target ≥ 0.5).

Not part of `make test`. Reuses scripts/benchmark_expeditions.py's database, gunicorn and load
helpers (Redis database BENCH_REDIS_URL, default redis://127.0.0.1:6379/9, is EMPTIED first).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("BENCH_DB", "portal_bench_api")
os.environ.setdefault("BENCH_PORT", "8197")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmark_expeditions as bench  # noqa: E402 — reads BENCH_* at import

bench.ENV["PORTAL_API_RATE"] = ""  # measure the endpoints, not the limiter
EXPEDITIONS, EDITIONS, COURSES, QUARTERS = 600, 40, 60, 12


def fill() -> dict:
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from contests.models import Company, Edition, EditionTheme, Submission, SubmissionState, Theme
    from diagnostic.models import Snapshot
    from expeditions.models import Destination, Expedition, Tag
    from mooc.models import Course, CourseRun, Module
    from portal.models import Region

    call_command("migrate", verbosity=0)
    call_command("seed", "--demo", stdout=io.StringIO())
    rng = random.Random(17)
    now, today = timezone.now(), timezone.localdate()
    destinations = list(Destination.objects.all())
    tags = Tag.objects.bulk_create(Tag(slug=f"bench-tag-{i}", name=f"Thème {i}", name_fr=f"Thème {i}") for i in range(8))
    trips = Expedition.objects.bulk_create(
        Expedition(
            destination=destinations[i % len(destinations)], slug=f"bench-api-{i}", city=f"Ville {i}", city_fr=f"Ville {i}",
            title=f"Expédition {i}", title_fr=f"Expédition {i}", title_en=f"Expedition {i}" if i % 3 else None,
            summary_fr="Une expédition de mesure. " * 8, starts_on=today + timedelta(days=15 + i % 500),
            ends_on=today + timedelta(days=19 + i % 500), registration_opens_at=now - timedelta(days=30),
            registration_closes_at=now + timedelta(days=10), capacity=rng.choice([20, 40, 100]),
            price_cents=rng.choice([0, 190000]), status=Expedition.Status.PUBLISHED,
        ) for i in range(EXPEDITIONS)
    )
    Expedition.tags.through.objects.bulk_create(
        Expedition.tags.through(expedition_id=t.pk, tag_id=tags[(i + k) % len(tags)].pk)
        for i, t in enumerate(trips) for k in range(2)
    )
    themes, region = list(Theme.objects.all()), Region.objects.first()
    editions = Edition.objects.bulk_create(
        Edition(slug=f"bench-edition-{i}", title=f"Concours {2000 + i}", title_fr=f"Concours {2000 + i}",
                opens_at=now - timedelta(days=400 + 365 * i), closes_at=now - timedelta(days=300 + 365 * i),
                results_on=today - timedelta(days=250 + 365 * i), published_at=now - timedelta(days=250 + 365 * i))
        for i in range(EDITIONS)
    )
    EditionTheme.objects.bulk_create(
        EditionTheme(edition=e, theme=t, position=p, prize=f"Prix {t.slug}", prize_fr=f"Prix {t.slug}")
        for e in editions for p, t in enumerate(themes)
    )
    companies = Company.objects.bulk_create(
        Company(legal_name=f"PME {i} SAS", siret=f"{10000000000000 + i * 7919:014d}", region=region, headcount=10,
                created_on=date(2010, 1, 1)) for i in range(EDITIONS * len(themes))
    )
    Submission.objects.bulk_create(
        Submission(edition=e, company=companies[i * len(themes) + p], theme=t, title=f"Projet {i}-{p}", rank=1,
                   state=SubmissionState.LAUREATE, prize="Accompagnement")
        for i, e in enumerate(editions) for p, t in enumerate(themes)
    )
    courses = Course.objects.bulk_create(
        Course(slug=f"bench-course-{i:03d}", title=f"Cours {i}", title_fr=f"Cours {i}", summary_fr="Un cours. " * 10,
               is_published=True, effort_hours=1 + i % 20) for i in range(COURSES)
    )
    Module.objects.bulk_create(Module(course=c, position=p, title=f"Module {p}", title_fr=f"Module {p}")
                               for c in courses for p in range(6))
    CourseRun.objects.bulk_create(CourseRun(course=c, label="En autonomie", label_fr="En autonomie") for c in courses)
    Snapshot.objects.bulk_create(
        Snapshot(quarter=f"{2020 + q // 4}-Q{q % 4 + 1}", starts_on=date(2020 + q // 4, 3 * (q % 4) + 1, 1),
                 ends_on=date(2020 + q // 4, 3 * (q % 4) + 1, 28), respondents=3, published=False, threshold=5)
        for q in range(QUARTERS)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"expeditions": Expedition.objects.filter(status="published").count(), "editions": Edition.objects.count(),
            "courses": Course.objects.filter(is_published=True).count()}


def pages(first: str, count: int = 3) -> list[str]:
    """The first page and the next ones reached by their cursor."""
    out, path = [], first
    while path and len(out) < count:
        out.append(path)
        status, body = bench.request("GET", path)
        assert status == 200, (path, status, body[:200])
        following = json.loads(body)["next"]
        path = following.split(f"127.0.0.1:{bench.PORT}", 1)[1] if following else None
    return out


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
    bench.say(f"{data['expeditions']} published trips, {data['editions']} editions, {data['courses']} courses")
    server = bench.start_gunicorn()
    try:
        endpoints = {
            "measures": ["/api/v1/measures/", "/api/v1/measures/?lang=en"],
            "trips": pages("/api/v1/expeditions/") + pages("/api/v1/expeditions/?lang=en", 1),
            "editions": pages("/api/v1/contest-editions/") + pages("/api/v1/contest-editions/?lang=en", 1),
            "courses": pages("/api/v1/courses/") + pages("/api/v1/courses/?lang=en", 1),
            "quarters": ["/api/v1/barometer/quarters/", "/api/v1/barometer/quarters/?lang=en"],
        }
        bench.say("API lists (GET, anonymous, 20 per page):")
        results = bench.measure({"floor": ["/bench-floor/"], **endpoints})
        floor = results["floor"]
        bench.say("ratios to the floor (requests/s; target ≥ 0.5):")
        for name in endpoints:
            bench.say(f"  {name:<9} {results[name]['rps'] / floor['rps']:.2f}   (p95 ×{results[name]['p95_ms'] / floor['p95_ms']:.2f})")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    bench.say(f"benchmark done in {time.perf_counter() - t0:.1f} s at {datetime.now():%H:%M} (database {bench.DB} kept)")


if __name__ == "__main__":
    main()
