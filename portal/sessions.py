"""Sessions read from the shared cache and written through to the database (the record).

Django's ``cached_db`` engine, with the cache's failures kept from failing a page: a session
the cache cannot give or keep is read from the database, as the ``db`` engine would. A logged-in
page then costs one cache round trip instead of a database query. Deleting a session (logout,
a new login) still fails loudly when the cache cannot forget it: a session must never outlive
its logout in the cache.

Used when the portal has a shared cache (``REDIS_URL``, production); the embedded mode keeps
database sessions.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # the cache client's errors (redis, socket) are not one class
            logger.warning("Session cache unavailable: read from the database", exc_info=True)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:
            logger.warning("Session cache unavailable: not kept", exc_info=True)
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("Session cache unavailable: existence asked of the database", exc_info=True)
        return DBStore.exists(self, session_key)
