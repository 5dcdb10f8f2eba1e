#!/usr/bin/env python
"""`make benchmark`: every public page, the registration rush and the admin at scale, on PostgreSQL.

1. (Re)creates a separate database (BENCH_DB, default portal_bench), migrates it, seeds it
   (reference and demo) and fills it at the issue's scale (scripts/bench/bench_data.py:
   1,000 expeditions, 200,000 registrations, 10,000 contest projects with reviews, 50,000 MOOC
   enrollments with progress, 100,000 measure supports by 10,000 people); BENCH_SCALE=0.1
   divides every count for a quick run.
2. Starts gunicorn on 127.0.0.1 (DEBUG off, BENCH_WORKERS sync workers, 3 as in the compose
   file; the broker in Redis, BENCH_BROKER_URL, default redis://127.0.0.1:6379/12, EMPTIED
   before and after: e-mails are queued as in production, not sent in the request) with
   scripts/bench settings, which add the two floors: a view rendering base.html through the
   same middleware, and a bare locked write (scripts/bench/bench_urls.py).
3. Every page (anonymous, then logged in: home, Mon espace, a lesson, the jury's list) and the
   floor: warm-up, then concurrent keep-alive clients for a fixed duration, pages interleaved
   round by round; prints requests/s, p95, the ratios to the floor and p95 against the floor's.
   BENCH_PAGES=floor,measures measures only those pages; BENCH_PROFILE=1 first prints the top
   functions of one request per page (cProfile, in process); BENCH_REUSE=1 keeps the database a
   previous run filled (migrated forward) instead of filling it again.
4. The rush over HTTP: 200 logged-in people POST the bare locked write, then the registration
   form of a 20-place trip; prints both rates, their ratio and the confirmed / waitlisted counts.
5. The admin at scale (in process): the registrations changelist's queries and time, the CSV
   export of every registration (streamed): first bytes, whole, peak memory (traced and resident).
6. The notification drain: BENCH_DRAIN (10,000) queued notifications, one real Celery worker,
   an SMTP sink (aiosmtpd): messages/s, none lost, none duplicated (broker BENCH_DRAIN_BROKER,
   default redis://127.0.0.1:6379/13, EMPTIED first).
BENCH_PARTS=pages,rush,admin,drain picks the parts (default all).

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
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))  # as the compose file's gunicorn
CLIENT_PROCESSES = int(os.environ.get("BENCH_CLIENT_PROCESSES", "2"))
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENT_THREADS", "2"))
WARMUP_SECONDS = float(os.environ.get("BENCH_WARMUP", "3"))
MEASURE_SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # pages interleaved round by round: drift hits all alike
SCALE = float(os.environ.get("BENCH_SCALE", "1"))  # 1 = the data sizes; 0.1 for quick runs
# BENCH_PAGES=floor,measures: only those pages (names printed by the run); empty: all
PAGES = [name for name in os.environ.get("BENCH_PAGES", "").split(",") if name]
# BENCH_PARTS=pages,rush,admin,drain: which parts run (default all)
PARTS = set(os.environ.get("BENCH_PARTS", "pages,rush,admin,drain").split(","))
# BENCH_REUSE=1: keep the database a previous run filled (migrated forward), for quick iterations
REUSE = os.environ.get("BENCH_REUSE", "") not in ("", "0")
PROFILE = os.environ.get("BENCH_PROFILE", "") not in ("", "0")  # top functions of one request per page
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


# The web workers' broker (EMPTIED before and after the run): the notifications the rush queues.
BENCH_BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")


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
    import bench_data

    return bench_data.fill(SCALE)


# --- 2. gunicorn ------------------------------------------------------------------------------------


def start_gunicorn() -> subprocess.Popen:
    # The broker in Redis as in production (the setup): a registration's e-mail is queued
    # for a worker, not sent in the request as the embedded mode does. No worker reads this
    # database during the run: it is emptied before and after.
    env = {**ENV, "DJANGO_SETTINGS_MODULE": "bench_settings", "CELERY_BROKER_URL": BENCH_BROKER_URL}
    import redis

    redis.Redis.from_url(BENCH_BROKER_URL).flushdb()
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


def _client_process(paths: list[str], seconds: float, threads: int, queue, headers: dict | None = None) -> None:
    latencies: list[float] = []
    errors = [0]
    bad_statuses: dict[int, int] = {}
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
                status, _ = request("GET", rng.choice(paths), conn=conn, headers=headers)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                local_errors += 1
                continue
            local.append(time.perf_counter() - started)
            if status != 200:
                local_errors += 1
                with lock:
                    bad_statuses[status] = bad_statuses.get(status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(local)
            errors[0] += local_errors

    pool = [threading.Thread(target=worker, args=(os.getpid() * 100 + t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((latencies, errors[0], bad_statuses))


def load(paths: list[str], seconds: float, headers: dict | None = None) -> dict:
    queue = mp.Queue()
    processes = [mp.Process(target=_client_process, args=(paths, seconds, CLIENT_THREADS, queue, headers))
                 for _ in range(CLIENT_PROCESSES)]
    started = time.perf_counter()
    for p in processes:
        p.start()
    results = [queue.get() for _ in processes]
    for p in processes:
        p.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for lat, _e, _s in results for x in lat)
    errors = sum(e for _l, e, _s in results)
    statuses: dict[int, int] = {}
    for _l, _e, bad in results:
        for status, count in bad.items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p95_ms": statistics.quantiles(latencies, n=100)[94] * 1000 if len(latencies) > 20 else float("nan"),
        "errors": errors,
        "statuses": statuses,
    }


def measure(pages: dict[str, list[str]], headers: dict[str, dict] | None = None) -> dict[str, dict]:
    """Warm every page up, then measure them interleaved for ROUNDS rounds; report the median round.
    ``headers`` gives a page's request headers by name (a logged-in person's cookie)."""
    headers = headers or {}
    for name, paths in pages.items():
        load(paths, WARMUP_SECONDS, headers.get(name))
    rounds: dict[str, list[dict]] = {name: [] for name in pages}
    for _ in range(ROUNDS):
        for name, paths in pages.items():
            rounds[name].append(load(paths, MEASURE_SECONDS, headers.get(name)))
    results = {}
    for name, runs in rounds.items():
        result = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
        results[name] = result
        per_round = ", ".join(f"{r['rps']:.0f}" for r in runs)
        say(f"  {name:<14} {result['rps']:8.1f} req/s   p95 {result['p95_ms']:7.1f} ms   "
            f"(median of {ROUNDS} rounds of {MEASURE_SECONDS:g} s: {per_round} req/s; "
            f"{sum(r['errors'] for r in runs)} errors{_statuses(runs)})")
    return results


def _statuses(runs: list[dict]) -> str:
    counts: dict[int, int] = {}
    for run in runs:
        for status, count in run["statuses"].items():
            counts[status] = counts.get(status, 0) + count
    return (": HTTP " + ", ".join(f"{status} ×{count}" for status, count in sorted(counts.items()))) if counts else ""


# --- 4. The rush over HTTP ----------------------------------------------------------------------------


def session_cookie(user) -> tuple[str, str]:
    """A logged-in session of ``user`` made directly in the database: ``(Cookie header, CSRF token)``."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(  # the first backend that loads users (rules' does not)
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user"))
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and form field
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={token}", token


def _rush_expedition(slug: str, capacity: int):
    from django.utils import timezone

    from expeditions.models import Destination, Expedition

    now = timezone.now()
    return Expedition.objects.create(
        destination=Destination.objects.get(slug="etats-unis"), slug=slug, city="Las Vegas",
        time_zone="America/Los_Angeles", title_fr="La ruée", title="La ruée",
        starts_on=timezone.localdate() + timedelta(days=60), ends_on=timezone.localdate() + timedelta(days=64),
        registration_opens_at=now - timedelta(days=1), registration_closes_at=now + timedelta(days=10),
        capacity=capacity, status=Expedition.Status.PUBLISHED,
    )


def _post_all(path: str, cookies: list[tuple[str, str]], fields: dict) -> tuple[float, list[int]]:
    """Every person POSTs ``path`` once, RUSH_WORKERS at a time, all released together."""
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(RUSH_WORKERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(cookie_token) -> None:
        cookie, token = cookie_token
        body = urlencode({"csrfmiddlewaretoken": token, **fields})
        status, _ = request("POST", path, body=body, headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{PORT}{path}"})
        with lock:
            statuses.append(status)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=RUSH_WORKERS, initializer=barrier.wait) as pool:
        list(pool.map(attempt, cookies))
    return time.perf_counter() - started, statuses


def rush() -> dict:
    """The locked-write floor (scripts/bench/bench_urls.py), then the registration rush, by the
    same 200 logged-in people."""
    from django.contrib.auth.hashers import make_password

    from expeditions.models import Registration
    from portal.models import Audience, Profile, Region, User

    run = secrets.token_hex(3)
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"rush{i}-{run}@bench.example", first_name="Rush", last_name=f"R{i}", password=password)
        for i in range(RUSH_ATTEMPTS)
    )
    Profile.objects.bulk_create(Profile(user=u, organisation="PME", job_title="Dirigeant",
                                        audience=Audience.objects.first(), region=Region.objects.first()) for u in users)
    cookies = [session_cookie(user) for user in User.objects.filter(email__startswith="rush", email__contains=run)]

    floor_trip = _rush_expedition(f"bench-floor-{run}", RUSH_ATTEMPTS)
    floor_seconds, floor_statuses = _post_all(f"/bench-locked-write/{floor_trip.slug}/", cookies, {})
    floor_trip.refresh_from_db()
    expedition = _rush_expedition(f"bench-rush-{run}", RUSH_CAPACITY)
    elapsed, statuses = _post_all(f"/expeditions/{expedition.slug}/register/", cookies, {"passport_name": "RUSH"})
    counts = {s: Registration.objects.filter(expedition=expedition, status=s).count() for s in ("confirmed", "waitlisted")}
    positions = sorted(Registration.objects.filter(expedition=expedition, status="waitlisted")
                       .values_list("waitlist_position", flat=True))
    return {
        "per_second": RUSH_ATTEMPTS / elapsed, "seconds": elapsed, **counts,
        "positions_ok": positions == list(range(1, RUSH_ATTEMPTS - RUSH_CAPACITY + 1)),
        "redirects": statuses.count(302), "other_statuses": sorted({s for s in statuses if s != 302}),
        "floor_per_second": RUSH_ATTEMPTS / floor_seconds, "floor_rows": floor_trip.places_held,
        "floor_redirects": floor_statuses.count(302),
    }


# --- 5. In process: one request's profile, the admin at scale ------------------------------------


def _client(user=None):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def profile_pages(pages: dict[str, list[str]], logged_in: set[str], me) -> None:
    """The top functions (own time) of one request per page, after one warm-up request."""
    import cProfile
    import pstats

    from django.db import connection

    anonymous, person = _client(), _client(me)
    for name, paths in pages.items():
        client = person if name in logged_in else anonymous
        client.get(paths[0])
        started = time.perf_counter()
        client.get(paths[0])
        plain_ms = (time.perf_counter() - started) * 1000
        timed: list[tuple[float, str]] = []

        def timer(execute, sql, params, many, context, timed=timed):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timed.append((time.perf_counter() - started, sql))

        with connection.execute_wrapper(timer):
            client.get(paths[0])
        profiler = cProfile.Profile()
        profiler.enable()
        response = client.get(paths[0])
        profiler.disable()
        say(f"--- profile of {name} {paths[0]}: HTTP {response.status_code}, {plain_ms:.1f} ms in process "
            f"(without the profiler); {len(timed)} queries, {sum(t for t, _ in timed) * 1000:.1f} ms; slowest:")
        for seconds, sql in sorted(timed, reverse=True)[:3]:
            say(f"    {seconds * 1000:6.1f} ms  {sql[:150]}")
        for title, sort, only_ours in (("own time", "tottime", False), ("cumulative, portal code", "cumulative", True)):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats(sort).print_stats(str(ROOT) + "/(?!.venv)" if only_ours else "", 10)
            lines = [line for line in out.getvalue().splitlines() if line.strip()]
            start = next((i for i, line in enumerate(lines) if "ncalls" in line), len(lines))
            say(f"  by {title}:")
            say("\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:start + 11]))


def admin_figures(staff) -> None:
    """The registrations changelist at scale: queries and time (in process, second request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(staff)
    for path in ("/admin/expeditions/registration/", "/admin/expeditions/registration/?p=50"):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        say(f"  changelist {path}: HTTP {response.status_code}, {len(queries)} queries, {elapsed * 1000:.0f} ms (target < 200 ms)")
    export_figures(client)


def _rss_peak_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def export_figures(client) -> None:
    """Every registration as CSV from the admin (streamed): first bytes, whole, peak memory."""
    import tracemalloc

    from django.urls import reverse

    try:  # the resident peak from here on (Linux: writing 5 to clear_refs resets VmHWM)
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass
    tracemalloc.start()
    started = time.perf_counter()
    from expeditions.resources import ParticipantResource

    every_column = {f"participantresource_{name}": "on" for name in ParticipantResource._meta.fields}
    response = client.post(reverse("admin:expeditions_registration_export"), {"format": "0", "resource": "0", **every_column})
    first = None
    size = lines = 0
    for chunk in (response.streaming_content if response.streaming else [response.content]):
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    say(f"  CSV export of every registration: HTTP {response.status_code}, {'streamed' if response.streaming else 'in memory'}, "
        f"{lines - 1} rows, {size / 2**20:.1f} MiB; first bytes after {first * 1000:.0f} ms, whole in {elapsed:.1f} s; "
        f"peak {peak / 2**20:.1f} MiB traced, {_rss_peak_mib():.0f} MiB resident (target < 200 MB)")


# --- 6. The notification drain -------------------------------------------------------------------

DRAIN = int(os.environ.get("BENCH_DRAIN", "10000"))
DRAIN_BROKER = os.environ.get("BENCH_DRAIN_BROKER", "redis://127.0.0.1:6379/13")  # EMPTIED before the drain


def drain() -> None:
    """DRAIN queued notifications, one real Celery worker (solo pool, as tests/celery_helpers.py),
    an SMTP sink (aiosmtpd): messages/s, and every message received exactly once."""
    import email
    import email.policy
    import socket

    import redis
    from aiosmtpd.controller import Controller
    from django.conf import settings

    from portal.celery import app as celery_app
    from portal.models import Notification, User
    from portal.notifications.services import enqueue_delivery

    received: list[str] = []
    lock = threading.Lock()

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
            with lock:
                received.append(str(message["Subject"]))
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    sink = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    sink.start()
    redis.Redis.from_url(DRAIN_BROKER).flushdb()
    users = list(User.objects.filter(email__startswith="bench", email__endswith="@bench.example").order_by("pk")[:DRAIN])
    rows = Notification.objects.bulk_create(
        (Notification(kind="expeditions.confirmed", user=users[i % len(users)], recipient_email=users[i % len(users)].email,
                      language="fr", subject=f"Drain n° {i}", body_text="Votre inscription est confirmée.\n" * 5,
                      state=Notification.State.PENDING) for i in range(DRAIN)), batch_size=5000)
    env = {**ENV, "DJANGO_SETTINGS_MODULE": "portal.settings", "CELERY_BROKER_URL": DRAIN_BROKER,
           "CELERY_TASK_ALWAYS_EAGER": "0", "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "bench-drain-worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE,
         "--pool=solo", "-n", "bench-drain@localhost", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        celery_app.conf.update(broker_url=DRAIN_BROKER, task_always_eager=False)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        started = time.perf_counter()
        for row in rows:
            enqueue_delivery(row.pk)
        published = time.perf_counter() - started
        deadline = time.monotonic() + max(300, DRAIN / 5)  # at least 5 messages/s, or the drain is reported unfinished
        while time.monotonic() < deadline:
            with lock:
                done = len(received)
            if done >= DRAIN:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        time.sleep(1)  # a duplicate would arrive now
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        log.close()
        sink.stop()
    with lock:
        subjects = list(received)
    unique = set(subjects)
    sent = Notification.objects.filter(pk__in=[r.pk for r in rows], state=Notification.State.SENT).count()
    pending = Notification.objects.filter(pk__in=[r.pk for r in rows], state=Notification.State.PENDING).count()
    say(f"notification drain: {DRAIN} queued, one worker (solo pool), SMTP sink: {len(subjects)} received in {elapsed:.1f} s "
        f"= {len(subjects) / elapsed:.0f} messages/s (publishing took {published:.1f} s); duplicated {len(subjects) - len(unique)}; "
        f"rows marked sent {sent}, lost (marked sent, never received) {sent - len(unique & {f'Drain n° {i}' for i in range(DRAIN)})}, "
        f"still pending at the deadline {pending}")


def main() -> None:
    t0 = time.perf_counter()
    say(f"benchmark: database {DB} at {PG}; scale {SCALE:g}; gunicorn {WORKERS} sync workers; "
        f"{CLIENT_PROCESSES}×{CLIENT_THREADS} concurrent clients; {WARMUP_SECONDS:g} s warm-up per page, "
        f"{ROUNDS} interleaved rounds of {MEASURE_SECONDS:g} s; cache "
        f"{BENCH_REDIS_URL or 'in process memory (per worker)'}; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs")
    if not REUSE:
        recreate_database()
    if BENCH_REDIS_URL:
        import redis

        redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
    setup_django()
    if REUSE:
        import bench_data

        data = bench_data.existing()
    else:
        data = fill()
    say(f"filled in {time.perf_counter() - t0:.1f} s: {data['people']} people, {data['expeditions']} expeditions, "
        f"{data['registrations']} registrations, {data['submissions']} contest projects ({data['reviews']} reviews), "
        f"{data['enrollments']} MOOC enrollments ({data['completions']} lessons done), {data['supports']} measure "
        f"supports by {data['supporters']} people")
    me = data["me"]
    cookie, _ = session_cookie(me)
    course = f"/mooc/{data['course_slug']}/"
    all_pages = {
        "floor": ["/bench-floor/"],
        "home": ["/"],
        "list": ["/expeditions/", "/expeditions/?page=2", "/expeditions/?page=5"],
        "detail": [f"/expeditions/{slug}/" for slug in data["detail_slugs"]],
        "measures": ["/measures/"],
        "measure": [f"/measures/{number}/" for number in range(1, 20)],
        "contests": ["/contests/"],
        "laureates": [f"/contests/{data['published_slug']}/laureates/"],
        "mooc": ["/mooc/"],
        "course": [course],
        "floor_in": ["/bench-floor/"],
        "home_in": ["/"],
        "me": ["/me/"],
        "lesson": [f"{course}runs/{data['run_id']}/lessons/{data['lesson_id']}/"],
        "jury": [f"/contests/{data['review_slug']}/jury/"],
    }
    logged_in = {"floor_in", "home_in", "me", "lesson", "jury"}
    pages = {name: paths for name, paths in all_pages.items() if not PAGES or name in PAGES or name == "floor"}
    if PROFILE:
        profile_pages(pages, logged_in, me)
    server = start_gunicorn()
    try:
        if "pages" in PARTS:
            say("pages (GET; *_in, me, lesson and jury logged in):")
            results = measure(pages, {name: {"Cookie": cookie} for name in logged_in})
            floor = results["floor"]
            say("ratios to the floor (requests/s, target ≥ 0.5; p95 against the floor's p95, target ≤ 3); logged-in "
                "pages also against the floor viewed logged in (floor_in: the same middleware loading the person):")
            floor_in = results.get("floor_in")
            for name, result in results.items():
                if name != "floor":
                    also = (f"; to floor_in {result['rps'] / floor_in['rps']:.2f}"
                            if floor_in and name in logged_in and name != "floor_in" else "")
                    say(f"  {name:<14} {result['rps'] / floor['rps']:.2f}   (p95 ×{result['p95_ms'] / floor['p95_ms']:.2f}{also})")
        if "rush" in PARTS:
            result = rush()
            say(f"bare locked write (floor): {result['floor_per_second']:.1f} writes/s; {result['floor_rows']} rows, "
                f"HTTP 302: {result['floor_redirects']}")
            say(f"rush over HTTP: {RUSH_ATTEMPTS} POSTs by {RUSH_WORKERS} concurrent clients for {RUSH_CAPACITY} places: "
                f"{result['per_second']:.1f} registrations/s ({result['seconds']:.2f} s); confirmed {result['confirmed']}, "
                f"waitlisted {result['waitlisted']}, positions 1..{RUSH_ATTEMPTS - RUSH_CAPACITY} "
                f"{'gap-free' if result['positions_ok'] else 'WRONG'}; HTTP 302: {result['redirects']}, other: {result['other_statuses']}")
            say(f"rush / bare locked write: {result['per_second'] / result['floor_per_second']:.2f} (target ≥ 0.5)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        import redis

        redis.Redis.from_url(BENCH_BROKER_URL).flushdb()
    if "admin" in PARTS:
        say("admin at scale (in process):")
        admin_figures(data["staff"])
    if "drain" in PARTS:
        drain()
    say(f"benchmark done in {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.1f} "
        f"(database {DB} kept for inspection)")


if __name__ == "__main__":
    main()
