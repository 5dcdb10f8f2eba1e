"""The trips list's answers, kept like the HTML catalogue (expeditions.catalogue_cache).

- A page's serialized trips are kept for one **catalogue version** under its validated query
  (filters, cursor, page size, demo), the host its links name, the language and the day. Every
  write that changes what a trip shows replaces the version (expeditions.apps).
- **What is live is never taken from the cache:** places left, capacity, waiting list, status
  (and its label) and whether registration is open are laid over the kept rows on every request
  from one raw query (:func:`expeditions.selectors.live_places`). A page whose trips no longer all
  belong on it (:func:`expeditions.selectors.still_listed`) is computed again.
- ``places_left=1`` chooses its trips by live places: never kept.
- Only pages reached canonically are kept: the first page, or one whose cursor a page computed
  under the same version handed out; a forged cursor is answered but adds no entry.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from api import serializers as out
from api.selectors import SLUG
from expeditions import catalogue_cache
from expeditions import selectors as expeditions
from expeditions.models import Expedition

LIVE_FIELDS = ("capacity", "places_left", "waiting_list", "status", "status_label", "registration_open")
DETAIL_SECONDS = 600
# what the kept rows look like: a deployment that changes the serializers starts new keys
SHAPE = hashlib.sha256(repr((list(out.Expedition().fields), list(out.ExpeditionDetail().fields))).encode()).hexdigest()[:8]


class _Window:
    """A kept trip's registration window with its live status, asked with Expedition's own rule."""

    __slots__ = ("status", "registration_opens_at", "registration_closes_at", "starts_on")
    Status = Expedition.Status
    registration_is_open = Expedition.registration_is_open

    def __init__(self, status, opens_at, closes_at, starts_on):
        self.status, self.registration_opens_at, self.registration_closes_at, self.starts_on = (
            status, opens_at, closes_at, starts_on)


def page_key(request, params: dict) -> str:
    query = sorted((name, str(value)) for name, value in params.items() if name != "lang")
    return catalogue_cache.page_key(archive=params["archive"], query_string=f"api {SHAPE} {request.build_absolute_uri('/')} {query}")


def _issued_key(request, params: dict, cursor: str) -> str:
    return page_key(request, {**params, "cursor": cursor}) + ":issued"


def page(request, params: dict, compute) -> tuple[list[dict], str | None]:
    """The page's serialized trips and the next page's cursor. ``compute()`` returns
    ``(rows, serialized rows, next cursor)`` from the database, ``rows`` being the trips."""
    if params["places_left"]:
        _rows, data, cursor = compute()
        return data, cursor
    key = page_key(request, params)
    version, kept = catalogue_cache.lookup(key)
    if kept is not None:
        (data, windows, cursor), pks = kept
        live = expeditions.live_places(pks=pks)
        if expeditions.still_listed(live, pks=pks, archive=params["archive"]):
            return _with_live(data, windows, pks, live), cursor
    rows, data, cursor = compute()
    if not params.get("cursor") or cache.get(_issued_key(request, params, params["cursor"])) == version:
        windows = [(r.registration_opens_at, r.registration_closes_at, r.starts_on) for r in rows]
        stripped = [{k: None if k in LIVE_FIELDS else v for k, v in row.items()} for row in data]
        catalogue_cache.store(key, version=version, html=(stripped, windows, cursor), pks=[r.pk for r in rows])
        if cursor:
            cache.set(_issued_key(request, params, cursor), version, catalogue_cache.PAGE_SECONDS)
    return data, cursor


def _with_live(data: list[dict], windows: list[tuple], pks: list[int], live: dict) -> list[dict]:
    now = timezone.now()
    return [_overlay(row, window, live[pk], now) for row, window, pk in zip(data, windows, pks, strict=True)]


def _overlay(row: dict, window: tuple, trip: expeditions.LivePlaces, now) -> dict:
    row = dict(row)  # the live values replace the kept placeholders, in the serializer's order
    row.update(
        capacity=trip.capacity, places_left=trip.places_left, waiting_list=trip.waiting_count, status=trip.status,
        status_label=str(Expedition.Status(trip.status).label),
        registration_open=_Window(trip.status, *window).registration_is_open(now),
    )
    return row


def detail(request, slug: str, *, include_demo: bool, compute) -> dict | None:
    """A public trip's serialized detail, or None. Kept under the trip's ``updated_at`` (bumped by
    every change it shows but its places: expeditions.apps), as the HTML detail page is; the live
    fields come from one query on every request. ``compute()`` returns ``(trip, serialized)`` or None."""
    if not SLUG.fullmatch(slug):
        return None
    try:
        pk, version, (status, capacity, taken, waiting) = expeditions.expedition_live(slug=slug)
    except Expedition.DoesNotExist:
        return None
    raw = repr(("api-detail", SHAPE, pk, version, get_language(), request.build_absolute_uri("/")))
    key = "api:expeditions:detail:" + hashlib.sha256(raw.encode()).hexdigest()
    kept = cache.get(key)
    if kept is None:
        computed = compute()
        if computed is None:  # deleted or unpublished since the live query
            return None
        trip, data = computed
        window = (trip.registration_opens_at, trip.registration_closes_at, trip.starts_on)
        kept = ({k: None if k in LIVE_FIELDS else v for k, v in data.items()}, window)
        cache.set(key, kept, DETAIL_SECONDS)
    data, window = kept
    if data["is_demo"] and not include_demo:
        return None
    live = expeditions.LivePlaces(pk, status, capacity, None, taken, waiting)
    return _overlay(data, window, live, timezone.now())
