"""One cache-version mechanism for every cached page or fragment of the portal.

Generalised from the expeditions catalogue's (pretix's versioned object cache: bumping a
version instead of deleting keys):

- A **namespace** (``"measures"``, ``"contests"``, ``"mooc.catalogue"``, ``"expeditions.catalogue"``)
  has a version: a token in the shared cache. :func:`changed` replaces it now and again once the
  transaction commits; every write that changes what a page of that namespace shows calls it
  (model signals in each app's ``apps.py``, or the service that writes).
- A **fragment** is HTML kept under its namespaces' versions, its key parts (what it depends
  on besides the data: filters, a number, a slug) and the language. :func:`fragment` returns it
  from the cache, or renders and stores it, in one cache round trip when it is there.
- **Never cached:** live figures (places left, a deadline's countdown) and the viewer's own
  state (logged in or not, supporting, enrolled, their messages). They are rendered per request
  around the cached fragment, never inside it.
- A cache outage never fails a page (it renders) nor a write (the entries age out within
  their lifetime). In production the cache is Redis, shared by every process.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

FRAGMENT_SECONDS = 300


def version_key(namespace: str) -> str:
    return f"portal:version:{namespace}"


def fragment_key(namespaces: Iterable[str], parts: Iterable) -> str:
    raw = repr((tuple(namespaces), tuple(parts), get_language()))
    return "portal:fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def versions(namespaces: Iterable[str], *, also: Iterable[str] = ()) -> tuple[tuple[str, ...], dict]:
    """The current versions of ``namespaces`` (started when missing) and the other keys asked
    for in the same round trip."""
    namespaces = tuple(namespaces)
    keys = [version_key(ns) for ns in namespaces]
    try:
        got = cache.get_many([*keys, *also])
    except Exception:  # the cache client's errors (redis, socket) are not one class
        logger.warning("The page cache could not be read", exc_info=True)
        return (), {}
    found = []
    for key in keys:
        value = got.get(key)
        if value is None:  # first use, or evicted: start a new version (another process may race)
            try:
                cache.add(key, secrets.token_hex(8), None)
                value = cache.get(key, "")
            except Exception:
                logger.warning("The page cache could not be written", exc_info=True)
                return (), {}
        found.append(value)
    return tuple(found), got


def fragment(namespaces: str | Iterable[str], parts: Iterable, render: Callable[[], str],
             *, seconds: int = FRAGMENT_SECONDS) -> SafeString:
    """The HTML ``render()`` returns, kept for the current versions of ``namespaces``.

    ``parts`` are what the fragment depends on besides those namespaces' data (validated filters,
    a number); the language is added. ``render`` runs only on a miss: put the reads there, and
    render without the request (``render_to_string(template, context)``): no context processor,
    so no ``user``, no CSRF token, nothing of the viewer's can end up in the fragment.
    Rendered after reading the version, a fragment is never stored under a newer one."""
    namespaces = (namespaces,) if isinstance(namespaces, str) else tuple(namespaces)
    key = fragment_key(namespaces, parts)
    current, got = versions(namespaces, also=[key])
    entry = got.get(key)
    if current and entry is not None and entry[0] == current:
        return mark_safe(entry[1])  # noqa: S308 - stored by this function from a template's output
    html = str(render())
    if current:
        try:
            cache.set(key, (current, html), seconds)
        except Exception:
            logger.warning("The page cache could not be written", exc_info=True)
    return mark_safe(html)  # noqa: S308 - a template's output


def value(namespaces: str | Iterable[str], parts: Iterable, compute: Callable[[], object],
          *, seconds: int = FRAGMENT_SECONDS):
    """What ``compute()`` returns, kept like a :func:`fragment` (same versions, same rules) for
    what is not HTML yet: rows every visitor sees alike (a course and its runs), or several
    fragments read in one round trip. It must be picklable and hold nothing of the viewer's;
    None is returned as is and never kept (an unknown slug is asked again)."""
    namespaces = (namespaces,) if isinstance(namespaces, str) else tuple(namespaces)
    key = fragment_key(namespaces, ("value", *parts))
    current, got = versions(namespaces, also=[key])
    entry = got.get(key)
    if current and entry is not None and entry[0] == current:
        return entry[1]
    result = compute()
    if current and result is not None:
        try:
            cache.set(key, (current, result), seconds)
        except Exception:
            logger.warning("The page cache could not be written", exc_info=True)
    return result


def changed(*namespaces: str) -> None:
    """Everything cached under ``namespaces`` is out of date: now (a reader may still render the
    old rows before the commit) and again after the commit (which the next reader renders)."""
    bump(*namespaces)
    transaction.on_commit(lambda: bump(*namespaces), robust=True)


def bump(*namespaces: str) -> None:
    try:
        cache.set_many({version_key(ns): secrets.token_hex(8) for ns in namespaces}, None)
    except Exception:  # the cache client's errors (redis, socket) are not one class
        logger.warning("The page cache's version of %s could not be replaced", namespaces, exc_info=True)


def changes_with(namespace: str, *models, m2m: Iterable = ()) -> None:
    """Connect saves and deletions of ``models`` (admin, imports, services alike) and changes of
    the ``m2m`` through tables to :func:`changed` of ``namespace``. Call it in ``AppConfig.ready()``;
    writes by ``QuerySet.update()`` bypass signals and call :func:`changed` themselves."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def receiver(sender, **kwargs) -> None:
        changed(namespace)

    _receivers.append(receiver)  # signals hold weak references
    for model in models:
        label = f"{model._meta.label}" if hasattr(model, "_meta") else str(model)
        post_save.connect(receiver, sender=model, dispatch_uid=f"page_cache.{namespace}.saved.{label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"page_cache.{namespace}.deleted.{label}")
    for through in m2m:
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"page_cache.{namespace}.m2m.{through._meta.label}")


_receivers: list = []
