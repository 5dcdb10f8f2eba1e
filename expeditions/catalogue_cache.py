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

The pattern is pretix's versioned object cache: bumping a version instead of deleting keys.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "expeditions:catalogue:version"
PAGE_SECONDS = 300


def page_key(*, archive: bool, query_string: str) -> str:
    """What a page's HTML depends on besides the version: its filters and page number, the
    language and the day (trips move to the archive at midnight)."""
    raw = repr((archive, query_string, get_language(), timezone.localdate().isoformat()))
    return "expeditions:catalogue:page:" + hashlib.sha256(raw.encode()).hexdigest()


def lookup(key: str) -> tuple[str, tuple[str, list[int]] | None]:
    """``(version, (html, trip ids) or None)`` in one cache round trip; None when the page is
    not cached or was rendered for another version."""
    got = cache.get_many([VERSION_KEY, key])
    version = got.get(VERSION_KEY)
    if version is None:  # first use, or evicted: start a new version (another process may race)
        cache.add(VERSION_KEY, secrets.token_hex(8), None)
        return cache.get(VERSION_KEY, ""), None
    entry = got.get(key)
    if entry is None or entry[0] != version:
        return version, None
    return version, (entry[1], entry[2])


def store(key: str, *, version: str, html: str, pks: list[int]) -> None:
    """Keep a page rendered after reading ``version``: a change landing meanwhile replaced the
    version already, so the next request renders the page again (never the reverse)."""
    cache.set(key, (version, html, pks), PAGE_SECONDS)


def changed() -> None:
    """Every cached catalogue page is out of date: now (a reader may still render the old rows
    before the commit) and again after the commit (which the next reader renders). A cache
    outage never fails the write, nor the other after-commit work (notifications): the pages
    then age out within ``PAGE_SECONDS``, and a cached page is checked against its trips' live
    rows on every request anyway."""
    bump()
    transaction.on_commit(bump, robust=True)


def bump() -> None:
    try:
        cache.set(VERSION_KEY, secrets.token_hex(8), None)
    except Exception:  # the cache client's errors (redis, socket) are not one class
        logger.warning("The catalogue's cache version could not be replaced", exc_info=True)
