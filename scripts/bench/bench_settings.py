"""Settings for `make benchmark` only: production settings (DEBUG off) plus a URLconf with
the floor view. Never used by the portal itself."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
# The benchmark measures views, not the static-files manifest: no collectstatic needed.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
