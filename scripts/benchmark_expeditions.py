#!/usr/bin/env python
"""`make benchmark`: the expeditions catalogue under load, against its floor, on PostgreSQL.

1. (Re)creates a separate database (BENCH_DB, default portal_bench), migrates it, fills
   1,000 expeditions (4 programme items each) and 200,000 registrations (COPY).
2. Starts gunicorn on 127.0.0.1 (DEBUG off, fixed sync workers) with scripts/bench settings,
   which add a floor view rendering base.html through the same middleware.
3. For the list page, a detail page and the floor: warm-up, then a fixed number of
   concurrent keep-alive clients for a fixed duration; prints requests/s and p95, and the
   ratios to the floor.
4. The rush over HTTP: 200 logged-in people POST the registration form for a 20-place
   trip at once; prints registrations/s and the confirmed / waitlisted counts.

Not part of `make test`. Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis: the
cache is Redis as in production, database BENCH_REDIS_URL (default redis://127.0.0.1:6379/9),
which is EMPTIED before the run; BENCH_REDIS_URL= (empty) uses a per-process memory cache.
"""

from __future__ import annotations

import http.client
import io
import multiprocessing as mp
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "portal_bench")
PORT = int(os.environ.get("BENCH_PORT", "8199"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CLIENT_PROCESSES = int(os.environ.get("BENCH_CLIENT_PROCESSES", "2"))
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENT_THREADS", "2"))
WARMUP_SECONDS = float(os.environ.get("BENCH_WARMUP", "3"))
MEASURE_SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # pages interleaved round by round: drift hits all alike
EXPEDITIONS = 1_000
REGISTRATIONS = 200_000
USERS = 2_000
RUSH_ATTEMPTS, RUSH_CAPACITY, RUSH_WORKERS = 200, 20, 32

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB}",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "PORTAL_BASE_URL": "https://localhost",  # required with DEBUG off; the benchmark sends no real e-mail
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "EMAIL_URL": "locmem://",
    "PORTAL_STAFF_MFA_REQUIRED": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
}
for name in ("CELERY_BROKER_URL", "REDIS_URL", "PORTAL_TESTING"):
    ENV.pop(name, None)
# The production shape: the cache in Redis, shared by the gunicorn workers (a database of its
# own, flushed before the run). BENCH_REDIS_URL= (empty) measures a per-process memory cache.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
if BENCH_REDIS_URL:
    ENV["REDIS_URL"] = BENCH_REDIS_URL


def say(message: str) -> None:
    print(message, flush=True)


# --- 1. Database --------------------------------------------------------------------------------


def recreate_database() -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [DB])
        cur.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        cur.execute(f'CREATE DATABASE "{DB}"')
    conn.close()


def setup_django() -> None:
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    sys.path[:0] = [str(ROOT), str(ROOT / "scripts" / "bench")]
    import django

    django.setup()


def fill() -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from expeditions.models import Destination, Expedition, ProgrammeItem, Registration
    from portal.models import Audience, Profile, Region, User

    call_command("migrate", verbosity=0)
    call_command("seed", stdout=io.StringIO())
    rng = random.Random(42)
    now = timezone.now()
    today = timezone.localdate()
    destinations = list(Destination.objects.all())
    audience, region = Audience.objects.first(), Region.objects.first()
    password = make_password("bench-password-not-used")
    users = User.objects.bulk_create(
        User(email=f"bench{i}@bench.example", first_name="Bench", last_name=f"User{i}", password=password) for i in range(USERS)
    )
    Profile.objects.bulk_create(
        Profile(user=u, organisation="PME", job_title="Dirigeant", audience=audience, region=region) for u in users
    )
    expeditions = []
    for i in range(EXPEDITIONS):
        past = i % 10 == 0
        start = today + timedelta(days=(-rng.randint(30, 700) if past else rng.randint(15, 700)))
        expeditions.append(Expedition(
            destination=destinations[i % len(destinations)], slug=f"bench-{i}", city=f"Ville {i}",
            time_zone="America/Los_Angeles", title=f"Expédition de référence {i}", title_fr=f"Expédition de référence {i}",
            summary_fr="Une expédition de mesure. " * 8, starts_on=start, ends_on=start + timedelta(days=4),
            registration_opens_at=now - timedelta(days=800), registration_closes_at=now + timedelta(days=800)
            if not past else now - timedelta(days=1),
            capacity=rng.choice([100, 150, 200, 250]), price_cents=rng.choice([0, 190000, 390000]),
            status=Expedition.Status.PAST if past else Expedition.Status.PUBLISHED,
        ))
    expeditions = Expedition.objects.bulk_create(expeditions)
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(expedition=e, day=e.starts_on + timedelta(days=d), start_time=f"{9 + 3 * d}:00", title_fr=f"Visite {d}",
                      title=f"Visite {d}", host_organisation="Hôte")
        for e in expeditions for d in range(4)
    )
    per_expedition = REGISTRATIONS // EXPEDITIONS
    buffer = io.StringIO()
    stamp = now.isoformat()
    for i, e in enumerate(expeditions):
        for k in range(per_expedition):
            user = users[(i * 37 + k) % USERS]
            waiting = k >= e.capacity
            status = "waitlisted" if waiting else "confirmed"
            position = str(k - e.capacity + 1) if waiting else r"\N"
            buffer.write(f"{e.pk}\t{user.pk}\t{status}\t{position}\tBENCH {k}\t\tf\t\tt\t\t\t\t\tnot_due\t{stamp}\t{stamp}\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {Registration._meta.db_table} (expedition_id, user_id, status, waitlist_position, passport_name, "
            "dietary_needs, dietary_consent, remarks, share_consent, billing_organisation, billing_address, "
            "billing_tax_id, billing_po_reference, payment, created_at, status_changed_at) FROM STDIN",
            buffer,
        )
    # rows bulk-loaded: the counters on each expedition row are set from them (under the lock)
    from expeditions.services import expeditions_resync_counters

    expeditions_resync_counters()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps in production
    return {"expeditions": Expedition.objects.count(), "registrations": Registration.objects.count(),
            "detail_slugs": [e.slug for e in expeditions if e.status == Expedition.Status.PUBLISHED][:200]}


# --- 2. gunicorn ------------------------------------------------------------------------------------


def start_gunicorn() -> subprocess.Popen:
    env = {**ENV, "DJANGO_SETTINGS_MODULE": "bench_settings"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--worker-class", "sync", "--pythonpath", f"{ROOT},{ROOT / 'scripts' / 'bench'}",
         "--log-level", "warning", "--timeout", "60"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = request("GET", "/bench-floor/")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer on /bench-floor/ within 30 s")


def request(method: str, path: str, *, body: str | None = None, headers: dict | None = None,
            conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


# --- 3. Load ------------------------------------------------------------------------------------------


def _client_process(paths: list[str], seconds: float, threads: int, queue) -> None:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        local: list[float] = []
        local_errors = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            try:
                status, _ = request("GET", rng.choice(paths), conn=conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                local_errors += 1
                continue
            local.append(time.perf_counter() - started)
            local_errors += status != 200
        conn.close()
        with lock:
            latencies.extend(local)
            errors[0] += local_errors

    pool = [threading.Thread(target=worker, args=(os.getpid() * 100 + t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((latencies, errors[0]))


def load(paths: list[str], seconds: float) -> dict:
    queue = mp.Queue()
    processes = [mp.Process(target=_client_process, args=(paths, seconds, CLIENT_THREADS, queue))
                 for _ in range(CLIENT_PROCESSES)]
    started = time.perf_counter()
    for p in processes:
        p.start()
    results = [queue.get() for _ in processes]
    for p in processes:
        p.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p95_ms": statistics.quantiles(latencies, n=100)[94] * 1000 if len(latencies) > 20 else float("nan"),
        "errors": errors,
    }


def measure(pages: dict[str, list[str]]) -> dict[str, dict]:
    """Warm every page up, then measure them interleaved for ROUNDS rounds; report the median round."""
    for paths in pages.values():
        load(paths, WARMUP_SECONDS)
    rounds: dict[str, list[dict]] = {name: [] for name in pages}
    for _ in range(ROUNDS):
        for name, paths in pages.items():
            rounds[name].append(load(paths, MEASURE_SECONDS))
    results = {}
    for name, runs in rounds.items():
        result = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
        results[name] = result
        per_round = ", ".join(f"{r['rps']:.0f}" for r in runs)
        say(f"  {name:<8} {result['rps']:8.1f} req/s   p95 {result['p95_ms']:7.1f} ms   "
            f"(median of {ROUNDS} rounds of {MEASURE_SECONDS:g} s: {per_round} req/s; "
            f"{sum(r['errors'] for r in runs)} errors)")
    return results


# --- 4. The rush over HTTP ----------------------------------------------------------------------------


def rush() -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from expeditions.models import Destination, Expedition, Registration
    from portal.models import Audience, Profile, Region, User

    now = timezone.now()
    expedition = Expedition.objects.create(
        destination=Destination.objects.get(slug="etats-unis"), slug="bench-rush", city="Las Vegas",
        time_zone="America/Los_Angeles", title_fr="La ruée", title="La ruée",
        starts_on=timezone.localdate() + timedelta(days=60), ends_on=timezone.localdate() + timedelta(days=64),
        registration_opens_at=now - timedelta(days=1), registration_closes_at=now + timedelta(days=10),
        capacity=RUSH_CAPACITY, status=Expedition.Status.PUBLISHED,
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"rush{i}@bench.example", first_name="Rush", last_name=f"R{i}", password=password)
        for i in range(RUSH_ATTEMPTS)
    )
    Profile.objects.bulk_create(Profile(user=u, organisation="PME", job_title="Dirigeant",
                                        audience=Audience.objects.first(), region=Region.objects.first()) for u in users)
    cookies = []
    for user in User.objects.filter(email__startswith="rush"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        token = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and form field
        cookies.append((f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={token}", token))

    barrier = threading.Barrier(RUSH_WORKERS)
    statuses: list[int] = []
    lock = threading.Lock()
    path = f"/expeditions/{expedition.slug}/register/"

    def attempt(cookie_token) -> None:
        cookie, token = cookie_token
        body = urlencode({"csrfmiddlewaretoken": token, "passport_name": "RUSH"})
        status, _ = request("POST", path, body=body, headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{PORT}{path}"})
        with lock:
            statuses.append(status)

    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=RUSH_WORKERS, initializer=barrier.wait) as pool:
        list(pool.map(attempt, cookies))
    elapsed = time.perf_counter() - started
    counts = {s: Registration.objects.filter(expedition=expedition, status=s).count() for s in ("confirmed", "waitlisted")}
    positions = sorted(Registration.objects.filter(expedition=expedition, status="waitlisted")
                       .values_list("waitlist_position", flat=True))
    return {
        "per_second": RUSH_ATTEMPTS / elapsed, "seconds": elapsed, **counts,
        "positions_ok": positions == list(range(1, RUSH_ATTEMPTS - RUSH_CAPACITY + 1)),
        "redirects": statuses.count(302), "other_statuses": sorted({s for s in statuses if s != 302}),
    }


def main() -> None:
    t0 = time.perf_counter()
    say(f"benchmark: database {DB} at {PG}; gunicorn {WORKERS} sync workers; "
        f"{CLIENT_PROCESSES}×{CLIENT_THREADS} concurrent clients; {WARMUP_SECONDS:g} s warm-up per page, "
        f"{ROUNDS} interleaved rounds of {MEASURE_SECONDS:g} s; cache "
        f"{BENCH_REDIS_URL or 'in process memory (per worker)'}")
    recreate_database()
    if BENCH_REDIS_URL:
        import redis

        redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
    setup_django()
    data = fill()
    say(f"filled {data['expeditions']} expeditions and {data['registrations']} registrations in {time.perf_counter() - t0:.1f} s")
    server = start_gunicorn()
    try:
        say("pages (GET, anonymous):")
        results = measure({
            "floor": ["/bench-floor/"],
            "list": ["/expeditions/", "/expeditions/?page=2", "/expeditions/?page=5"],
            "detail": [f"/expeditions/{slug}/" for slug in data["detail_slugs"]],
        })
        floor, listing, detail = results["floor"], results["list"], results["detail"]
        say("ratios to the floor (requests/s; target ≥ 0.5):")
        say(f"  list   {listing['rps'] / floor['rps']:.2f}   (p95 ×{listing['p95_ms'] / floor['p95_ms']:.2f})")
        say(f"  detail {detail['rps'] / floor['rps']:.2f}   (p95 ×{detail['p95_ms'] / floor['p95_ms']:.2f})")
        result = rush()
        say(f"rush over HTTP: {RUSH_ATTEMPTS} POSTs by {RUSH_WORKERS} concurrent clients for {RUSH_CAPACITY} places: "
            f"{result['per_second']:.1f} registrations/s ({result['seconds']:.2f} s); confirmed {result['confirmed']}, "
            f"waitlisted {result['waitlisted']}, positions 1..{RUSH_ATTEMPTS - RUSH_CAPACITY} "
            f"{'gap-free' if result['positions_ok'] else 'WRONG'}; HTTP 302: {result['redirects']}, other: {result['other_statuses']}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    say(f"benchmark done in {time.perf_counter() - t0:.1f} s (database {DB} kept for inspection)")


if __name__ == "__main__":
    main()
