"""The shared cache's backend in production: Django's Redis cache, keeping one client.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every cache call (on the same
connection pool), and each one registers its ~170 response callbacks: on a page that reads a few
cached fragments, more time than the round trips themselves. The client is thread-safe (every
call takes a connection from the pool), so one per pool serves the whole process; a forked
process gets new connections from the pool as redis-py does anyway.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _OneClientPerPool(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool
