"""Request body limits (finding 6): per kind of view in Django, the same figures in the proxy.

A 50 MB POST to the login page used to be read in full before CSRF refused it. Now Django answers
413 before reading a byte, and Caddy answers 413 before forwarding one (tested live when the
`caddy` binary is there: Debian's package, installed by .ci/run).
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from portal.middleware import RequestBodyLimitMiddleware, body_limit_for
from tests.celery_helpers import free_port

CADDYFILE = Path(settings.BASE_DIR) / "deploy" / "Caddyfile"
MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anyone reads it."""

    reads = 0

    def read(self, *args):
        type(self).reads += 1
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
def test_a_50_mb_post_to_the_login_page_is_refused_before_a_byte_is_read(client):
    UnreadableBody.reads = 0
    response = client.generic(
        "POST", "/accounts/login/", b"", content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * MB), **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert UnreadableBody.reads == 0
    html = response.content.decode()
    assert "1 Mo au plus" in html and "Rien n’a été enregistré" in html


@pytest.mark.django_db
def test_the_413_page_speaks_english_under_en(client):
    response = client.generic("POST", "/en/accounts/login/", b"", CONTENT_LENGTH=str(2 * MB), **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "size", "refused"),
    [
        ("/accounts/login/", 1 * MB, False),
        ("/accounts/login/", 1 * MB + 1, True),
        ("/me/profile/", 2 * MB, True),
        ("/contests/projects/12/files/", 11 * MB, False),  # a 10 MB deck and its form
        ("/en/contests/projects/12/files/", 12 * MB + 1, True),
        ("/contests/projects/12/edit/", 2 * MB, True),  # the project's text form is a form
        ("/admin/expeditions/expedition/import/", 25 * MB, False),  # staff imports
        ("/admin/expeditions/expedition/import/", 31 * MB, True),
        ("/admin/mooc/lesson/3/change/", 500 * MB, False),  # a 500 MB lesson video
        ("/admin/mooc/lesson/3/change/", 521 * MB, True),
    ],
)
def test_each_kind_of_view_has_its_limit(path, size, refused):
    middleware = RequestBodyLimitMiddleware(lambda request: HttpResponse("reached the view"))
    request = RequestFactory().generic("POST", path, b"", CONTENT_LENGTH=str(size))
    response = middleware(request)
    assert (response.status_code == 413) is refused


def test_the_limits_fit_what_each_kind_of_view_accepts():
    from contests.uploads import DECK_MAX_BYTES
    from mooc.content import MAX_VIDEO_BYTES

    assert body_limit_for("/contests/projects/1/files/")[1] > DECK_MAX_BYTES
    assert body_limit_for("/admin/mooc/lesson/1/change/")[1] > MAX_VIDEO_BYTES
    assert body_limit_for("/accounts/login/") == ("forms", MB)


# --- The proxy ---------------------------------------------------------------------------------------

CI = os.environ.get("CI") == "true"
needs_caddy = pytest.mark.skipif(not shutil.which("caddy") and not CI, reason="caddy is not installed (apt-get install caddy)")


def _caddy_env(tmp_path, **extra) -> dict:
    home = tmp_path / "caddy-home"
    home.mkdir(exist_ok=True)
    return {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home), "XDG_CONFIG_HOME": str(home), **extra}


@needs_caddy
def test_caddy_validates_the_caddyfile(tmp_path):
    result = subprocess.run(
        ["caddy", "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True, text=True, timeout=60, env=_caddy_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Valid configuration" in result.stdout + result.stderr


@needs_caddy
def test_caddy_holds_the_same_limits_as_django(tmp_path):
    adapted = subprocess.run(
        ["caddy", "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True, text=True, timeout=60, env=_caddy_env(tmp_path), check=True,
    ).stdout
    adapted = json.dumps(json.loads(adapted))  # Caddy writes ">" as \u003e
    caddy_max_sizes = sorted(int(n) for n in re.findall(r'"max_size":\s*(\d+)', adapted))
    caddy_refusals = sorted(int(n) for n in re.findall(r"Content-Length\}\)\s*>\s*(\d+)", adapted))
    django_limits = sorted(limit for _kind, _pattern, limit in settings.PORTAL_REQUEST_BODY_LIMITS)
    assert caddy_max_sizes == django_limits
    assert caddy_refusals == django_limits


class _Upstream(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, int]] = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        type(self).received.append((self.path, len(self.rfile.read(length)) if length else 0))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"upstream")

    def log_message(self, *args):
        pass


def _post(port: int, path: str, size: int, *, send_body: bool = True) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Length", str(size))
        connection.endheaders()
        if send_body:
            connection.send(b"x" * size)
        return connection.getresponse().status
    finally:
        connection.close()


@needs_caddy
def test_caddy_answers_413_to_an_oversized_form_without_forwarding_it(tmp_path):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    _Upstream.received = []
    port = free_port()
    env = _caddy_env(
        tmp_path, PORTAL_DOMAIN=f"http://127.0.0.1:{port}", PORTAL_UPSTREAM=f"127.0.0.1:{upstream.server_port}",
        CADDY_ADMIN=f"127.0.0.1:{free_port()}",
    )
    caddy = subprocess.Popen(["caddy", "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
            except urllib.error.HTTPError:
                break  # the upstream answers 501 to GET: Caddy is up
            except OSError:
                time.sleep(0.1)
        # Answered from the headers alone: the body is never sent, nor waited for.
        assert _post(port, "/accounts/login/", 2 * MB, send_body=False) == 413
        assert _post(port, "/accounts/login/", 1000) == 200
        assert _post(port, "/contests/projects/3/files/", 2 * MB) == 200  # an upload may be larger
        assert _Upstream.received == [("/accounts/login/", 1000), ("/contests/projects/3/files/", 2 * MB)]
    finally:
        caddy.terminate()
        caddy.wait(timeout=10)
        upstream.shutdown()
