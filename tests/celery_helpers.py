"""Real Celery workers and a real SMTP server for the delivery tests (no mocks)."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPSink:
    """An in-test SMTP server (aiosmtpd) that keeps every message it accepts."""

    def __init__(self, delay: float = 0.0):
        self.messages: list[email.message.EmailMessage] = []
        self.delay = delay
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list:
        with self._lock:
            return [m for m in self.messages if address in m["To"]]

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def configure_publisher(*, broker_url: str) -> None:
    """Point this process's Celery app at a broker and turn eager execution off."""
    celery_app.conf.update(broker_url=broker_url, task_always_eager=False)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def restore_eager() -> None:
    celery_app.conf.update(broker_url="memory://localhost/", task_always_eager=True)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def worker_env(*, broker_url: str, smtp_port: int) -> dict[str, str]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "PORTAL_BASE_URL": settings.PORTAL_BASE_URL,
        "DB_CONN_MAX_AGE": "0",
    }
    env.pop("PORTAL_TEST_DB_NAME", None)
    return env


@contextmanager
def celery_worker(*, name: str, broker_url: str, smtp_port: int, timeout: float = 60, extra_env: dict | None = None,
                  pool: str = "solo"):
    """Start `celery worker` as a subprocess on this run's queue; stop it afterwards.
    ``pool="prefork"`` runs one child process that executes the tasks (the fault tests kill it)."""
    log = tempfile.NamedTemporaryFile("w+", prefix=f"celery-{name}-", suffix=".log", delete=False)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "portal", "worker",
            "-Q", queue, f"--pool={pool}", *(["--concurrency=1"] if pool == "prefork" else []),
            "-n", f"{name}-{queue}@localhost",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
        ],
        cwd=ROOT,
        env={**worker_env(broker_url=broker_url, smtp_port=smtp_port), **(extra_env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while "ready." not in Path(log.name).read_text():
            if proc.poll() is not None:
                raise RuntimeError("celery worker exited:\n" + Path(log.name).read_text())
            if time.monotonic() > deadline:
                raise RuntimeError("celery worker did not start:\n" + Path(log.name).read_text())
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.log_text = Path(log.name).read_text()  # type: ignore[attr-defined]
        os.unlink(log.name)


def wait_until(predicate, *, timeout: float = 30, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
