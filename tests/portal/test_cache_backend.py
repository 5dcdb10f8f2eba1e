"""The production cache backend (portal.cache): Django's Redis cache, one client per pool, on a
real Redis."""

import os
import secrets

import pytest

from portal.cache import RedisCache

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def cache():
    backend = RedisCache(REDIS, {"KEY_PREFIX": f"test-cache-{secrets.token_hex(4)}"})
    try:
        backend.get("probe")
    except Exception:  # noqa: BLE001 - no Redis here
        pytest.skip("Redis is not reachable")
    yield backend
    backend.delete_many(["a", "b", "c"])


def test_it_reads_and_writes_like_django_s_and_keeps_one_client(cache):
    cache.set("a", {"html": "<p>é</p>"}, 30)
    assert cache.get("a") == {"html": "<p>é</p>"}
    assert cache.add("a", "other", 30) is False and cache.add("b", 2, 30) is True
    assert cache.get_many(["a", "b", "c"]) == {"a": {"html": "<p>é</p>"}, "b": 2}
    assert cache.incr("b") == 3
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)  # one server, one pool, one client
    cache.delete("a")
    assert cache.get("a") is None
