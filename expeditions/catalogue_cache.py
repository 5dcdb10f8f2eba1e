"""The catalogue's cache: its HTML without places left, valid for one catalogue version.

- **Places left are never cached.** A cached page keeps the ids of its trips; their places
  are read live on every request (:func:`expeditions.selectors.live_places`), with their
  status and dates: a page whose trips no longer all belong on it is rendered again.
- **Only canonical pages are kept:** a page is stored under the key of its validated filters
  and page number, and only when the request asked for exactly that, so junk query strings
  never add entries.
- **The version** is a token in the cache that :func:`changed` replaces, now and again once
  the transaction commits. The API's trips list (api.trips) keeps its pages under it too.
  Every write that changes what a card, an API trip or the list of trips shows
  goes through it: expedition saves and deletions (signals in expeditions.apps),
  :func:`expeditions.services.catalogue.expeditions_touch` (renamed destinations, partners,
  audiences, tags; partner, audience and tag lists), the sweep marking trips past, and the filters'
  destinations and audiences (cached for one version too). Place counters never replace it.
- In production the cache is Redis, shared by every process: a version replaced by one is
  seen by all at once. The embedded mode runs one web process. Anything else is bounded by
  the entries' lifetime.

The version is ``portal.page_cache``'s namespace ``expeditions.catalogue`` (the one mechanism
every cached page uses); the catalogue keeps its own entries because they carry their trips' ids.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from portal import page_cache

NAMESPACE = "expeditions.catalogue"
VERSION_KEY = page_cache.version_key(NAMESPACE)
PAGE_SECONDS = 300


def page_key(*, archive: bool, query_string: str) -> str:
    """What a page's HTML depends on besides the version: its filters and page number, the
    language and the day (trips move to the archive at midnight)."""
    raw = repr((archive, query_string, get_language(), timezone.localdate().isoformat()))
    return "expeditions:catalogue:page:" + hashlib.sha256(raw.encode()).hexdigest()


def lookup(key: str) -> tuple[str, tuple[str, list[int]] | None]:
    """``(version, (html, trip ids) or None)`` in one cache round trip; None when the page is
    not cached or was rendered for another version."""
    current, got = page_cache.versions([NAMESPACE], also=[key])
    version = current[0] if current else ""
    entry = got.get(key)
    if not version or entry is None or entry[0] != version:
        return version, None
    return version, (entry[1], entry[2])


def store(key: str, *, version: str, html: str, pks: list[int]) -> None:
    """Keep a page rendered after reading ``version``: a change landing meanwhile replaced the
    version already, so the next request renders the page again (never the reverse)."""
    if version:
        cache.set(key, (version, html, pks), PAGE_SECONDS)


def changed() -> None:
    """Every cached catalogue page is out of date: now and again after the commit. A cache
    outage never fails the write, nor the other after-commit work (notifications): the pages
    then age out within ``PAGE_SECONDS``, and a cached page is checked against its trips' live
    rows on every request anyway."""
    page_cache.changed(NAMESPACE)


def bump() -> None:
    page_cache.bump(NAMESPACE)
