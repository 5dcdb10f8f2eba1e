"""Readiness probes for /healthz: each one answers within about a second."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection, transaction


def database_ok() -> bool:
    try:
        # SET LOCAL only lasts (and only works) inside a transaction: in autocommit it is a no-op.
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL statement_timeout = 1000")
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def broker_status() -> str:
    """"eager" in embedded mode, else "ok" when the broker answers within 1 s."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    url = urlparse(settings.CELERY_BROKER_URL)
    if url.scheme in ("redis", "rediss"):
        try:
            import redis

            client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
            return "ok" if client.ping() else "down"
        except Exception:
            return "down"
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 5672), timeout=1):
            return "ok"
    except OSError:
        return "down"
