"""Sessions in production (portal.sessions): read from the shared cache, written through to the
database, which stays the record; a cache that fails never fails a page nor keeps a session
alive after its logout."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "portal.sessions"


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_logged_in_page_reads_the_session_from_the_cache_not_the_database(cached_sessions):
    user = UserFactory()
    client = _logged_in(user)
    client.get("/me/profile/")  # the first read keeps it in the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/profile/").status_code == 200
    assert queries.captured_queries and not any("django_session" in q["sql"] for q in queries.captured_queries)
    assert Session.objects.count() == 1  # the database keeps the record


def test_a_cache_that_fails_falls_back_to_the_database(cached_sessions, monkeypatch):
    user = UserFactory(first_name="Camille")
    client = _logged_in(user)

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    backend = type(caches["default"])
    for name in ("get", "set", "__contains__", "has_key"):
        monkeypatch.setattr(backend, name, broken)
    response = client.get("/me/profile/")
    assert response.status_code == 200 and "Camille" in response.content.decode()


def test_logout_ends_the_session_in_the_cache_and_the_database(cached_sessions):
    user = UserFactory()
    client = _logged_in(user)
    assert client.get("/me/profile/").status_code == 200
    stolen = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=stolen).exists()
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get("/me/profile/").status_code == 302  # to the login page
