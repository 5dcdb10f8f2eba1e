"""Atom feeds: measure updates (all, one measure), new expeditions, contest results.

Each feed is parsed as XML and checked as Atom (feed id/updated/self link, entries with id,
title, link, updated), in both languages, without unpublished content, with a constant
number of queries (1 and 30 entries, the same literal)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from contests.models import SubmissionState
from expeditions.models import Expedition
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory
from tests.expeditions.factories import ExpeditionFactory
from tests.measures.factories import measure, publish

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def _atom(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # RFC 4287: a feed has exactly one id, title and updated, and its own address (rel=self).
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("href").startswith(settings.PORTAL_BASE_URL)
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}link").get("href").startswith(settings.PORTAL_BASE_URL)
    return root


def _entries(root) -> list[dict]:
    return [
        {"id": e.findtext(f"{ATOM}id"), "title": e.findtext(f"{ATOM}title"), "updated": e.findtext(f"{ATOM}updated"),
         "link": e.find(f"{ATOM}link").get("href"), "summary": e.findtext(f"{ATOM}summary") or ""}
        for e in root.findall(f"{ATOM}entry")
    ]


# --- Measures -----------------------------------------------------------------------------


def test_measure_updates_feed_lists_every_update_newest_first_in_both_languages(client):
    first = publish(measure(1), title="Lancement", title_en="Launch", text_fr="Premier pas.")
    second = publish(measure(2), title="Avancée", title_en="Progress made", progress=40)
    root = _atom(client.get("/measures/feed.atom"))
    entries = _entries(root)
    assert [e["link"] for e in entries] == [
        f"{settings.PORTAL_BASE_URL}/measures/2/#update-{second.pk}-title",
        f"{settings.PORTAL_BASE_URL}/measures/1/#update-{first.pk}-title",
    ]
    assert entries[0]["title"].endswith("— Avancée") and "0 % → 40 %" in entries[0]["summary"]
    assert "Premier pas." in entries[1]["summary"]
    english = _entries(_atom(client.get("/en/measures/feed.atom")))
    assert english[0]["title"].endswith("— Progress made")
    assert english[0]["link"] == f"{settings.PORTAL_BASE_URL}/en/measures/2/#update-{second.pk}-title"


def test_entry_ids_are_stable_and_updated_dates_are_the_publication(client):
    update = publish(measure(3), title="Lancement")
    first = _atom(client.get("/measures/feed.atom"))
    second = _atom(client.get("/measures/feed.atom"))
    assert _entries(first)[0]["id"] == _entries(second)[0]["id"] == _entries(first)[0]["link"]
    assert first.findtext(f"{ATOM}id") == second.findtext(f"{ATOM}id")
    # Atom dates are RFC 3339; the entry's is the update's publication, the feed's its newest entry's.
    from datetime import datetime

    assert datetime.fromisoformat(_entries(first)[0]["updated"]) == update.published_at
    assert first.findtext(f"{ATOM}updated") == _entries(first)[0]["updated"]


def test_one_measure_feed_has_only_its_updates_and_unknown_measure_is_404(client):
    publish(measure(1), title="Autre mesure")
    mine = publish(measure(4), title="Celle-ci")
    entries = _entries(_atom(client.get("/measures/4/feed.atom")))
    assert [e["link"].rsplit("#", 1)[1] for e in entries] == [f"update-{mine.pk}-title"]
    assert client.get("/measures/99/feed.atom").status_code == 404


def test_measure_pages_link_to_their_feeds(client):
    measure(5)
    index = client.get("/measures/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in index and 'href="/measures/feed.atom"' in index
    detail = client.get("/en/measures/5/").content.decode()
    assert 'href="/en/measures/5/feed.atom"' in detail and 'href="/en/measures/feed.atom"' in detail


@pytest.mark.parametrize("count", [1, 30])
def test_measure_feed_queries_do_not_grow_with_entries(client, django_assert_num_queries, count):
    m = measure(6)
    for i in range(count):
        publish(m, title=f"Étape {i}")
    client.get("/measures/feed.atom")  # warm the Sites cache
    with django_assert_num_queries(1):
        response = client.get("/measures/feed.atom")
    assert len(_entries(_atom(response))) == count


# --- Expeditions ----------------------------------------------------------------------------


def test_expeditions_feed_lists_public_trips_to_come_newest_first_demo_labelled(client):
    older = ExpeditionFactory(title_fr="Helsinki numérique")
    newer = ExpeditionFactory(title_fr="Démo à Tallinn", is_demo=True)
    ExpeditionFactory(title_fr="Brouillon secret", status=Expedition.Status.DRAFT)
    ExpeditionFactory(title_fr="Voyage passé", starts_on=timezone.localdate() - timedelta(days=30),
                      ends_on=timezone.localdate() - timedelta(days=25))
    entries = _entries(_atom(client.get("/expeditions/feed.atom")))
    assert [e["link"] for e in entries] == [
        f"{settings.PORTAL_BASE_URL}/expeditions/{newer.slug}/", f"{settings.PORTAL_BASE_URL}/expeditions/{older.slug}/"]
    assert entries[0]["title"].endswith("(Démo)")
    assert "Brouillon" not in str(entries) and "passé" not in str(entries)
    english = _entries(_atom(client.get("/en/expeditions/feed.atom")))
    assert english[1]["title"].startswith(f"Expedition {older.slug}")


def test_expeditions_catalogue_links_to_its_feed(client):
    assert 'href="/en/expeditions/feed.atom"' in client.get("/en/expeditions/").content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_expeditions_feed_queries_do_not_grow_with_entries(client, django_assert_num_queries, count):
    for _ in range(count):
        ExpeditionFactory()
    client.get("/expeditions/feed.atom")
    with django_assert_num_queries(1):
        response = client.get("/expeditions/feed.atom")
    assert len(_entries(_atom(response))) == count


# --- Contest results ------------------------------------------------------------------------


def _edition_with_laureate(*, published: bool, **kwargs):
    edition = EditionFactory(**kwargs)
    SubmissionFactory(edition=edition, company=CompanyFactory(legal_name="Capteurs SAS"), title="Le capteur",
                      state=SubmissionState.LAUREATE, rank=1, prize="Accompagnement")
    SubmissionFactory(edition=edition, title="Non retenu", state=SubmissionState.NOT_RETAINED)
    if published:
        edition.published_at = timezone.now()
        edition.save(update_fields=["published_at"])
    return edition


def test_contest_feed_has_published_results_only_with_their_laureates(client):
    published = _edition_with_laureate(published=True, title="Concours 2026")
    _edition_with_laureate(published=False, title="Concours en délibération")
    hidden = _edition_with_laureate(published=True, title="Concours masqué")
    hidden.is_visible = False
    hidden.save(update_fields=["is_visible"])
    entries = _entries(_atom(client.get("/contests/feed.atom")))
    assert [e["link"] for e in entries] == [f"{settings.PORTAL_BASE_URL}/contests/{published.slug}/laureates/"]
    assert "Concours 2026" in entries[0]["title"]
    assert "Le capteur" in entries[0]["summary"] and "Capteurs SAS" in entries[0]["summary"]
    assert "Accompagnement" in entries[0]["summary"] and "Non retenu" not in entries[0]["summary"]
    assert _entries(_atom(client.get("/en/contests/feed.atom")))[0]["link"].endswith(f"/en/contests/{published.slug}/laureates/")


def test_contest_pages_link_to_the_results_feed(client):
    edition = _edition_with_laureate(published=True)
    for path in ("/contests/", "/contests/archive/", f"/contests/{edition.slug}/laureates/"):
        assert 'type="application/atom+xml"' in client.get(path).content.decode(), path


@pytest.mark.parametrize("count", [1, 30])
def test_contest_feed_queries_do_not_grow_with_entries(client, django_assert_num_queries, count):
    for _ in range(count):
        _edition_with_laureate(published=True)
    client.get("/contests/feed.atom")
    with django_assert_num_queries(2):
        response = client.get("/contests/feed.atom")
    assert len(_entries(_atom(response))) == count
