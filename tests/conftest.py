import os

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import PASSWORD, UserFactory

# Property-based tests (hypothesis): `make test` runs the "ci" profile — few examples, the same
# ones on every run (derandomised), no deadline (a loaded machine is not a failure).
# HYPOTHESIS_PROFILE=deep explores far more when hunting.
_fuzz = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}
hypothesis_settings.register_profile("ci", max_examples=12, derandomize=True, database=None, print_blob=True, **_fuzz)
hypothesis_settings.register_profile("deep", max_examples=300, **_fuzz)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
