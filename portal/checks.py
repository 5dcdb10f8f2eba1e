"""System checks of the production shape (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs=None, **kwargs) -> list[Warning]:
    """Several web processes must share one cache: login rate limits count attempts in it, and
    the cached expeditions catalogue learns of a change through a version kept in it."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PER_PROCESS_CACHES:
        return [Warning(
            "The default cache is kept inside each process.",
            hint="Set REDIS_URL: rate limits and the catalogue's cache version must be shared by every web process.",
            id="portal.W001",
        )]
    return []
