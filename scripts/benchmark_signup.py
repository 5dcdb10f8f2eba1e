#!/usr/bin/env python
"""Sign-up timing, a new address against one that has an account (account enumeration by timing).

Prints the median and spread of N sign-ups of each kind through the whole Django stack (test
client, a throw-away test database on PostgreSQL). Not part of `make test`: a time is measured
and printed, never asserted. Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal
.venv/bin/python scripts/benchmark_signup.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PORTAL_TESTING", "1")
os.environ.setdefault("PORTAL_TEST_DB_NAME", "test_portal_bench_signup")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))


def main() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import reverse

    from tests.factories import PASSWORD, UserFactory

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        known = [UserFactory().email for _ in range(ROUNDS)]
        timings: dict[str, list[float]] = {"new address": [], "known address": []}
        for i in range(ROUNDS):
            for label, email in (("new address", f"bench-{i}@example.org"), ("known address", known[i])):
                cache.clear()  # allauth's rate limits
                client = Client()
                start = time.perf_counter()
                response = client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
                timings[label].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 302, response.status_code
        for label, values in timings.items():
            print(f"{label:14s} median {statistics.median(values):7.1f} ms   min {min(values):7.1f}   max {max(values):7.1f}   (n={len(values)})")
        ratio = statistics.median(timings["known address"]) / statistics.median(timings["new address"])
        print(f"known / new: {ratio:.2f}")
    finally:
        runner.teardown_databases(old)
        teardown_test_environment()


if __name__ == "__main__":
    main()
