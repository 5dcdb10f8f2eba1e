"""Several web and worker processes behind a load balancer (no Docker engine runs here): the
compose file parses, and web and worker keep no state of their own that `docker compose up
--scale web=3 --scale worker=2` would split between copies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCALED = ("web", "worker")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _production_settings(**extra) -> dict:
    """The settings a web or worker container gets from .env.example (plus a secret), read in a
    fresh interpreter so that nothing of the test run's own environment leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "CELERY_", "REDIS_", "DATABASE_", "EMAIL_"))}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            env[name] = value
    env.update({"DJANGO_SECRET_KEY": "x" * 60, **extra})
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'sessions': s.SESSION_ENGINE, "
        "'broker': s.CELERY_BROKER_URL, 'eager': s.CELERY_TASK_ALWAYS_EAGER, 'storage': s.STORAGES['default']['BACKEND'], "
        "'email': s.EMAIL_BACKEND, 'database': s.DATABASES['default']['ENGINE']}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_compose_file_parses_and_scaled_services_can_run_side_by_side():
    compose = _compose()
    services = compose["services"]
    for name in SCALED:
        service = services[name]
        assert "container_name" not in service, f"{name}: a fixed name forbids a second copy"
        assert "ports" not in service, f"{name}: a host port can be bound by one copy only (the proxy reaches web by name)"
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source in compose["volumes"], f"{name}: {volume} is a host folder, not a shared volume"
    assert services["proxy"]["ports"] and "reverse_proxy {$PORTAL_UPSTREAM:web:8000}" in (ROOT / "deploy" / "Caddyfile").read_text()
    # Beat: exactly one, never scaled (each copy would send every periodic job again).
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert "--schedule /tmp/" in services["beat"]["command"]


def test_web_and_worker_keep_their_state_in_shared_services():
    shared = _production_settings()
    assert shared["database"] == "django.db.backends.postgresql"
    assert shared["cache"] == "portal.cache.RedisCache"  # Django's Redis cache: rate limits, page-cache versions
    # a login works on every web copy: sessions read from the shared cache, recorded in the database
    assert shared["sessions"] == "portal.sessions"
    assert shared["broker"].startswith("redis://") and shared["eager"] is False
    assert shared["email"] == "django.core.mail.backends.smtp.EmailBackend"
    # Uploads: the media volume on one host, or an object store shared by several.
    assert shared["storage"] == "django.core.files.storage.FileSystemStorage"
    on_s3 = _production_settings(PORTAL_S3_BUCKET="portal-media", PORTAL_S3_ENDPOINT_URL="https://s3.example.org")
    assert on_s3["storage"] == "storages.backends.s3.S3Storage"
