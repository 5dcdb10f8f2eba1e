import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits stay on; a cleared cache keeps tests independent.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def logged_in_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _french_by_default():
    # The active language is thread-local: a request under /en/ must not leak into the next test.
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")
