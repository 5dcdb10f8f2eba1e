"""Public pages: the current edition, an edition, its laureates, the archive."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from contests import selectors
from contests.models import Edition
from portal import page_cache

NAMESPACE = "contests"  # portal.page_cache: bumped by the writes these pages show (contests.apps)


def index(request: HttpRequest) -> HttpResponse:
    """The current edition's phase, dates, time left and actions for each request; its themes,
    laureates, rules and partners, and the archive, from the page cache."""
    edition = selectors.edition_announced()
    archive_html = page_cache.fragment(NAMESPACE, ("archive", edition.pk if edition else None), lambda: render_to_string(
        "contests/_archive.html", {"archive": selectors.edition_archive_list(exclude_pk=edition.pk if edition else None)}))
    return render(request, "contests/index.html", _edition_context(edition) | {"archive_html": archive_html})


def _edition_context(edition: Edition | None) -> dict:
    if edition is None:
        return {"edition": None}
    return {
        "edition": edition,
        "phase": edition.phase,
        "time_left": selectors.time_left(edition),
        "edition_body": page_cache.fragment(NAMESPACE, ("edition", edition.pk), lambda: _edition_body(edition)),
    }


def _edition_body(edition: Edition) -> str:
    """Rendered without the request: nothing of the viewer's in it."""
    return render_to_string("contests/_edition_body.html", {
        "edition": edition,
        "edition_themes": list(edition.edition_themes.select_related("theme")),
        "partners": list(edition.partners.all()),
        "laureates": selectors.laureates_by_theme(edition),
    })


def edition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    edition = selectors.edition_public_qs().filter(slug=slug).first()  # its themes and partners: in the body
    if edition is None:
        raise Http404
    return render(request, "contests/edition_detail.html", _edition_context(edition))


def archive(request: HttpRequest) -> HttpResponse:
    return render(request, "contests/archive.html", {"editions": selectors.edition_archive_list()})


def laureates(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything from the page cache (the same for everybody); an unknown or unpublished
    edition is kept as such too."""
    def render_page() -> str:
        edition = selectors.edition_get_public(slug)
        if edition is None or not edition.published_at:
            return ""
        themes = selectors.laureates_by_theme(edition)
        return json.dumps({"title": edition.title, "body": render_to_string(
            "contests/_laureates_body.html", {"edition": edition, "themes": themes})})

    kept = page_cache.fragment(NAMESPACE, ("laureates", slug), render_page)
    if not kept:
        raise Http404
    page = json.loads(kept)
    return render(request, "contests/laureates.html", {"title": page["title"], "body": mark_safe(page["body"])})  # noqa: S308
