"""ETag and Last-Modified for every API answer, and the 304 of a conditional GET.

The ETag is a digest of the answer's bytes (so it changes with anything the answer shows,
translations and places left included). Last-Modified is when this URL (in this language) first
gave these bytes: the shared cache keeps the last ETag seen per URL with that moment, so
``If-Modified-Since`` is honest whatever the models record about their own changes. A
representation that was never served before gets "now".
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

# Long enough for a harvester's daily visit; the cost of forgetting is only a later Last-Modified.
SEEN_SECONDS = 30 * 24 * 3600
MAX_AGE = 60


def _seen_key(request, language: str) -> str:
    digest = hashlib.sha256(f"{language} {request.get_full_path()}".encode()).hexdigest()
    return f"api:last-modified:{digest}"


def last_modified_for(request, language: str, etag: str) -> int:
    key = _seen_key(request, language)
    seen = cache.get(key)
    if seen and seen[0] == etag:
        return seen[1]
    now = int(time.time())
    cache.set(key, (etag, now), SEEN_SECONDS)
    return now


def conditional(request, response, language: str):
    """Set ETag/Last-Modified on a rendered 200 answer; a matching conditional GET gets 304."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
    modified = last_modified_for(request, language, etag)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=etag, last_modified=modified, response=response)
