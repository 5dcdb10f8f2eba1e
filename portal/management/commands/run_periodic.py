"""Embedded mode has no Celery beat: this loop runs the same PERIODIC_JOBS beside runserver."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.celery import app


class Command(BaseCommand):
    help = "Run the periodic jobs (settings.PERIODIC_JOBS) in a loop, as beat does in production."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--tick", type=float, default=5.0)

    def handle(self, *args, once: bool = False, tick: float = 5.0, **options):
        app.loader.import_default_modules()
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, job in settings.PERIODIC_JOBS.items():
                if once or now - last_run.get(name, -1e9) >= job["every"]:
                    last_run[name] = now
                    try:
                        result = app.tasks[job["task"]].apply().get(propagate=True)
                        self.stdout.write(f"{name}: {result}")
                    except Exception as exc:  # a failing job must not stop the others
                        self.stderr.write(f"{name} failed: {exc!r}")
            if once:
                return
            time.sleep(tick)
