"""System checks of the production shape (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

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


@register(Tags.security, deploy=True)
def credentials_signing_key_check(app_configs=None, **kwargs) -> list[Error]:
    """Production signs certificates' credentials with a key of its own, kept across deploys:
    a key generated on the fly would make every credential unverifiable at the next one."""
    from django.core.exceptions import ImproperlyConfigured

    from portal import credential_keys

    if settings.DEBUG:
        return []
    if not credential_keys.signing_key_configured():
        return [Error(
            "No signing key for the verifiable credentials.",
            hint="Set PORTAL_CREDENTIALS_SIGNING_KEY (an RSA private key of 2048 bits or more, in PEM) or "
                 "PORTAL_CREDENTIALS_SIGNING_KEY_FILE: `python manage.py credentials_key generate` makes one.",
            id="portal.E010",
        )]
    try:
        credential_keys.signing_private_key()
        credential_keys.retired_keys()
    except (ImproperlyConfigured, ValueError, OSError) as exc:
        return [Error(f"The credentials' signing keys cannot be used: {exc}", id="portal.E011")]
    return []
