from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """One rate per client address (``NUM_PROXIES`` trusted proxies), counted in the shared cache so
    that every web process sees the same count. ``PORTAL_API_RATE`` (e.g. ``120/minute``), read at
    each request; empty: no limit (the test run)."""

    scope = "api"

    def get_rate(self):
        return settings.PORTAL_API_RATE or None

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
