"""Public pages: the current edition, an edition, its laureates, the archive."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from contests import selectors
from contests.models import Edition


def index(request: HttpRequest) -> HttpResponse:
    edition = selectors.edition_current()
    archive = selectors.edition_archive_list(exclude_pk=edition.pk if edition else None)
    return render(request, "contests/index.html", _edition_context(edition) | {"archive": archive})


def _edition_context(edition: Edition | None) -> dict:
    if edition is None:
        return {"edition": None}
    return {
        "edition": edition,
        "phase": edition.phase,
        "time_left": selectors.time_left(edition),
        "edition_themes": list(edition.edition_themes.all()),
        "partners": list(edition.partners.all()),
        "laureates": selectors.laureates_by_theme(edition),
    }


def edition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    edition = selectors.edition_get_public(slug)
    if edition is None:
        raise Http404
    return render(request, "contests/edition_detail.html", _edition_context(edition))


def archive(request: HttpRequest) -> HttpResponse:
    return render(request, "contests/archive.html", {"editions": selectors.edition_archive_list()})


def laureates(request: HttpRequest, slug: str) -> HttpResponse:
    edition = selectors.edition_get_public(slug)
    if edition is None or not edition.published_at:
        raise Http404
    return render(request, "contests/laureates.html", {"edition": edition, "themes": selectors.laureates_by_theme(edition)})
