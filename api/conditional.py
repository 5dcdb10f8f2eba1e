"""ETag and Last-Modified for every API answer, the 304 of a conditional GET, and the short
shared cache of answers.

- The ETag is a digest of the answer's bytes (so it changes with anything the answer shows,
  translations and places left included).
- Last-Modified is when this URL (in this language) first gave these bytes: the shared cache
  keeps the last ETag seen per URL with that moment, so ``If-Modified-Since`` is honest whatever
  the models record about their own changes. A representation never served before gets "now".
- An answer is kept ``PORTAL_API_CACHE_SECONDS`` (default 10 s, 0 in tests) in the shared cache
  per URL and language: under load each page is computed once per period instead of once per
  request. A change to a measure, an edition, a course or the barometer therefore shows within
  that time, and ``Cache-Control: max-age`` says the same to clients and proxies. What must be
  live is never kept: the trips (places left, a trip withdrawn) are computed on every request and
  sent ``no-cache`` (their ETag still spares the transfer).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

# Long enough for a harvester's daily visit; the cost of forgetting is only a later Last-Modified.
SEEN_SECONDS = 30 * 24 * 3600
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Link")


def _key(kind: str, request, language: str) -> str:
    digest = hashlib.sha256(f"{language} {request.get_full_path()}".encode()).hexdigest()
    return f"api:{kind}:{digest}"


def _last_modified(request, language: str, etag: str) -> int:
    key = _key("last-modified", request, language)
    seen = cache.get(key)
    if seen and seen[0] == etag:
        return seen[1]
    now = int(time.time())
    cache.set(key, (etag, now), SEEN_SECONDS)
    return now


def _with_validators(request, response, etag: str, modified: int, keep: bool = True):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    if keep:
        patch_cache_control(response, public=True, max_age=max(settings.PORTAL_API_CACHE_SECONDS, 0))
    else:
        patch_cache_control(response, public=True, no_cache=True)
    return get_conditional_response(request, etag=etag, last_modified=modified, response=response)


def cached(request, language: str, keep: bool = True):
    """The kept answer for this URL and language (with its validators applied), or None."""
    if settings.PORTAL_API_CACHE_SECONDS <= 0 or not keep:
        return None
    entry = cache.get(_key("page", request, language))
    if entry is None:
        return None
    content, headers, etag, modified = entry
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return _with_validators(request, response, etag, modified, keep)


def conditional(request, response, language: str, keep: bool = True):
    """Set ETag/Last-Modified on a rendered 200 answer, keep it for a while unless it must be live
    (``keep=False``); a matching conditional GET gets 304."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
    modified = _last_modified(request, language, etag)
    if settings.PORTAL_API_CACHE_SECONDS > 0 and keep:
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        cache.set(_key("page", request, language), (response.content, headers, etag, modified),
                  settings.PORTAL_API_CACHE_SECONDS)
    return _with_validators(request, response, etag, modified, keep)
