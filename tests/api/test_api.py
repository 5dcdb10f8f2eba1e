"""The public API as reusers rely on it: public content only, languages, pages, caching headers,
CORS, rate limits and refusals that say why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from contests.models import Edition
from expeditions.models import Expedition
from measures.models import MeasureStatus
from tests.expeditions.factories import ExpeditionFactory
from tests.measures.factories import measure
from tests.measures.factories import publish as publish_update

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


# --- What is public -------------------------------------------------------------------------------------


def test_lists_show_published_content_only_and_demo_only_when_asked(client, world):
    assert slugs(client.get("/api/v1/expeditions/")) == ["helsinki-slush"]
    assert slugs(client.get("/api/v1/expeditions/", {"archive": "1"})) == ["las-vegas-ces"]
    assert slugs(client.get("/api/v1/expeditions/", {"include_demo": "1"})) == ["helsinki-slush", "demo-seoul"]
    assert slugs(client.get("/api/v1/contest-editions/")) == ["edition-en-deliberation", "edition-2016"]
    assert slugs(client.get("/api/v1/contest-editions/", {"include_demo": "1"})) == [
        "demo-open", "edition-en-deliberation", "edition-2016"]
    assert slugs(client.get("/api/v1/courses/")) == ["transformation-numerique"]
    assert slugs(client.get("/api/v1/courses/", {"include_demo": "true"})) == ["demo-cours", "transformation-numerique"]
    runs = client.get("/api/v1/courses/transformation-numerique/").json()["runs"]
    assert [r["label"] for r in runs] == ["En autonomie"]
    runs = client.get("/api/v1/courses/transformation-numerique/", {"include_demo": "1"}).json()["runs"]
    assert [(r["label"], r["is_demo"]) for r in runs] == [("En autonomie", False), ("[Démo] Session", True)]


NOT_PUBLIC = [
    "/api/v1/expeditions/brouillon-secret/", "/api/v1/expeditions/brouillon-secret/?include_demo=1",
    "/api/v1/expeditions/demo-seoul/", "/api/v1/contest-editions/edition-cachee/?include_demo=1",
    "/api/v1/contest-editions/demo-open/", "/api/v1/courses/cours-brouillon/?include_demo=1", "/api/v1/courses/demo-cours/",
    "/api/v1/measures/0/", "/api/v1/measures/20/", "/api/v1/measures/abc/", "/api/v1/barometer/quarters/2024-Q4/",
    "/api/v1/barometer/quarters/n%00importe/", "/api/v1/expeditions/%C3%A9t%C3%A9%00/",
]


def test_unpublished_hidden_or_unknown_objects_are_404_in_json(client, world):
    answers = {url: (client.get(url).status_code, client.get(url).json()) for url in NOT_PUBLIC}
    assert answers == {url: (404, {"detail": "Aucun objet public de ce nom."}) for url in NOT_PUBLIC}


def test_demo_objects_open_with_include_demo(client, world):
    assert client.get("/api/v1/expeditions/demo-seoul/", {"include_demo": "1"}).json()["is_demo"] is True
    assert client.get("/api/v1/contest-editions/demo-open/", {"include_demo": "1"}).status_code == 200


def test_laureates_appear_only_once_results_are_published(client, world):
    editions = {e["slug"]: e for e in client.get("/api/v1/contest-editions/").json()["results"]}
    assert editions["edition-en-deliberation"]["laureates"] == []
    assert editions["edition-2016"]["laureates"] == [{
        "theme": world.laureate.theme.slug, "rank": 1, "title": "Ruche connectée", "pitch": "Un capteur qui mesure tout.",
        "company": "Capteurs d'Armor SAS",
        "region": {"fallback_fields": [], "code": "ile-de-france", "name": world.laureate.company.region.name}, "prize": "Accompagnement",
    }]
    everything = b"".join(client.get(url).content for url in (
        "/api/v1/contest-editions/", "/api/v1/contest-editions/edition-en-deliberation/",
        "/api/v1/datasets/contest-laureates.csv", "/api/v1/datasets/contest-editions.csv"))
    assert "Projet pas encore annoncé".encode() not in everything


def test_a_measure_has_its_status_progress_and_dated_timeline(client, world):
    body = client.get("/api/v1/measures/1/").json()
    assert (body["number"], body["status"], body["progress"]) == (1, "proposed", 20)
    assert [(u["published_on"], u["title"], u["progress_before"], u["progress_after"]) for u in body["timeline"]] == [
        (timezone.localdate().isoformat(), "Lancement du chantier", 0, 20)]
    assert body["url"] == "http://testserver/measures/1/"


def test_an_expedition_shows_its_catalogue_facts_and_live_places(client, world):
    body = client.get("/api/v1/expeditions/helsinki-slush/").json()
    trip = world.trip
    assert {k: body[k] for k in ("starts_on", "ends_on", "price_cents", "currency", "capacity", "places_left",
                                 "registration_open", "status")} == {
        "starts_on": trip.starts_on.isoformat(), "ends_on": trip.ends_on.isoformat(), "price_cents": 0,
        "currency": "EUR", "capacity": 20, "places_left": 20, "registration_open": True, "status": "published"}
    assert body["destination"]["country_code"] == "FI"
    assert [item["title"] for item in body["programme"]] == ["Visite de Slush"]


def test_barometer_quarter_keeps_the_frozen_suppression(client, world):
    body = client.get("/api/v1/barometer/quarters/2025-Q1/").json()
    assert (body["published"], body["respondents"], body["license"]) == (True, 6, "etalab-2.0")
    region = next(t for t in body["tables"] if t["table"] == "region")
    assert region["total"]["respondents"] == 6
    published = {c["category"]: c["respondents"] for c in region["cells"] if c["respondents"]}
    assert published == {}, "3 + 3 respondents in two regions: both cells are under the threshold"
    assert {c["category"] for c in region["cells"] if c["respondents"] is None} == {"bretagne", "normandie"}


# --- Filters ----------------------------------------------------------------------------------------------


def test_filters_mirror_the_public_pages(client, world):
    publish_update(measure(8), status=MeasureStatus.COMMITTED)
    numbers = [m["number"] for m in client.get("/api/v1/measures/", {"origin": "nantes"}).json()["results"]]
    assert numbers == [7, 8, 9]
    assert [m["number"] for m in client.get("/api/v1/measures/", {"status": "committed"}).json()["results"]] == [8]
    month = world.trip.starts_on.strftime("%Y-%m")
    assert slugs(client.get("/api/v1/expeditions/", {"month": month})) == ["helsinki-slush"]
    assert slugs(client.get("/api/v1/expeditions/", {"destination": "japon"})) == []
    Expedition.objects.filter(pk=world.trip.pk).update(places_held=20)
    assert slugs(client.get("/api/v1/expeditions/", {"places_left": "1"})) == []
    assert slugs(client.get("/api/v1/contest-editions/", {"results_published": "1"})) == ["edition-2016"]
    assert slugs(client.get("/api/v1/contest-editions/", {"results_published": "0"})) == ["edition-en-deliberation"]
    assert slugs(client.get("/api/v1/courses/", {"topic": "export"})) == []
    assert slugs(client.get("/api/v1/courses/", {"effort": "short"})) == ["transformation-numerique"]


@pytest.mark.parametrize(("params", "field", "french", "english"), [
    ({"status": "fini"}, "status", "«\xa0fini\xa0» n'est pas un choix valide.", "\"fini\" is not a valid choice."),
    ({"month": "2026-13"}, "month", "Cette valeur ne satisfait pas le motif imposé.",
     "This value does not match the required pattern."),
    ({"cursor": "pas-un-curseur"}, "cursor", "Ce curseur n’est pas valide : suivez le lien « next » d’une page précédente.",
     "This cursor is not valid: follow the “next” link of a previous page."),
    ({"page_size": "0"}, "page_size", "Assurez-vous que cette valeur est supérieure ou égale à\xa01.",
     "Ensure this value is greater than or equal to 1."),
])
def test_a_bad_parameter_is_a_400_that_says_why_in_the_answers_language(client, db, params, field, french, english):
    url = "/api/v1/measures/" if field == "status" else "/api/v1/expeditions/"
    response = client.get(url, params)
    assert response.status_code == 400
    assert response.json() == {"detail": "Un paramètre n’est pas valide.", "errors": {field: [french]}}
    response = client.get(url, {**params, "lang": "en"})
    assert response.json() == {"detail": "A parameter is not valid.", "errors": {field: [english]}}


def test_an_unknown_language_is_refused(client, db):
    response = client.get("/api/v1/measures/", {"lang": "de"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"lang": ["Langue inconnue : utilisez fr (français) ou en (anglais)."]}


# --- Languages ----------------------------------------------------------------------------------------------


def test_language_by_parameter_then_accept_language_french_by_default(client, world):
    def title(**kwargs):
        response = client.get("/api/v1/measures/1/", **kwargs)
        return response["Content-Language"], response.json()["short_title"]

    french = ("fr", "Une campagne nationale de sensibilisation au numérique")
    english = ("en", "A national digital awareness campaign")
    assert title() == french
    assert title(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8") == english
    assert title(HTTP_ACCEPT_LANGUAGE="de-DE, en;q=0.5") == english
    assert title(HTTP_ACCEPT_LANGUAGE="de-DE") == french
    assert title(QUERY_STRING="lang=fr", HTTP_ACCEPT_LANGUAGE="en") == french
    assert title(QUERY_STRING="lang=en") == english
    assert "Accept-Language" in client.get("/api/v1/measures/1/")["Vary"]


def test_an_english_field_without_translation_falls_back_to_french_and_says_so(client, world):
    body = client.get("/api/v1/expeditions/helsinki-slush/", {"lang": "en"}).json()
    assert body["title"] == "Expédition helsinki-slush"
    assert body["summary"] == "Écosystème numérique finlandais."
    # city was written in French only; practical information is empty in both languages: no fallback
    assert body["fallback_fields"] == ["title", "city", "summary"]
    french = client.get("/api/v1/expeditions/helsinki-slush/").json()
    assert french["fallback_fields"] == []
    module = client.get("/api/v1/courses/transformation-numerique/", {"lang": "en"}).json()["modules"][0]
    assert (module["title"], module["fallback_fields"]) == ("Strategy", [])


# --- Pages ----------------------------------------------------------------------------------------------------


def test_cursor_pages_walk_every_row_once_in_a_stable_order(client, world):
    start = timezone.localdate() + timedelta(days=5)
    for i in range(11):  # two trips per day: the order falls back on the id
        ExpeditionFactory(slug=f"trip-{i:02d}", starts_on=start + timedelta(days=i // 2))
    expected = slugs(client.get("/api/v1/expeditions/", {"page_size": 100}))
    seen, url, pages = [], "/api/v1/expeditions/?page_size=4", 0
    while url:
        body = client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url, pages = body["next"], pages + 1
        if pages == 1:  # a trip added before the cursor while reading is not met again, nothing is repeated
            ExpeditionFactory(slug="late-addition", starts_on=start - timedelta(days=1))
    assert pages == 3
    assert seen == expected
    assert expected[:4] == ["trip-00", "trip-01", "trip-02", "trip-03"]


# --- Caching headers --------------------------------------------------------------------------------------------


def test_etag_and_last_modified_answer_304_until_something_changes(client, world):
    first = client.get("/api/v1/measures/1/")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get("/api/v1/measures/1/", HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == etag
    assert client.get("/api/v1/measures/1/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get("/api/v1/measures/1/?lang=en", HTTP_IF_NONE_MATCH=etag).status_code == 200  # another representation
    publish_update(measure(1), title="Deuxième étape", progress=40)
    changed = client.get("/api/v1/measures/1/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert client.get("/api/v1/measures/1/", HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


def test_answers_are_kept_a_few_seconds_then_computed_again(client, world, settings, django_assert_num_queries):
    settings.PORTAL_API_CACHE_SECONDS = 10
    first = client.get("/api/v1/measures/")
    assert first["Cache-Control"] == "public, max-age=10"
    with django_assert_num_queries(0):
        again = client.get("/api/v1/measures/")
        not_modified = client.get("/api/v1/measures/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.content, again["ETag"], again["Last-Modified"]) == (first.content, first["ETag"], first["Last-Modified"])
    assert (again["Content-Type"], again["Content-Language"], not_modified.status_code) == ("application/json", "fr", 304)
    assert client.get("/api/v1/measures/", {"lang": "en"}).json()["language"] == "en"  # kept per language
    csv_first = client.get("/api/v1/datasets/measures.csv")
    csv_again = client.get("/api/v1/datasets/measures.csv")
    assert (csv_again["Content-Type"], csv_again["Content-Disposition"]) == (csv_first["Content-Type"], csv_first["Content-Disposition"])


@pytest.mark.parametrize("url", ["/api/v1/expeditions/", "/api/v1/expeditions/helsinki-slush/", "/api/v1/datasets/expeditions.csv"])
def test_places_left_are_never_kept_even_with_the_answer_cache_on(client, world, settings, url):
    settings.PORTAL_API_CACHE_SECONDS = 10
    first = client.get(url)
    assert first.status_code == 200
    assert "no-cache" in first["Cache-Control"] and "max-age=10" not in first["Cache-Control"]
    Expedition.objects.filter(slug="helsinki-slush").update(places_held=5)
    again = client.get(url)
    assert again.content != first.content  # the next request shows the place taken at once
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_lists_and_csv_have_validators_too(client, world):
    for url in ("/api/v1/expeditions/", "/api/v1/datasets/expeditions.csv", "/api/v1/catalog.jsonld"):
        first = client.get(url)
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    trip = Expedition.objects.get(slug="helsinki-slush")
    Expedition.objects.filter(pk=trip.pk).update(places_held=3)  # places left change the answer
    assert client.get("/api/v1/expeditions/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# --- CORS, methods, rate limit -------------------------------------------------------------------------------------


def test_cors_lets_any_origin_read_without_credentials(client, world):
    response = client.get("/api/v1/measures/", HTTP_ORIGIN="https://www.medef-bretagne.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/measures/", HTTP_ORIGIN="https://x.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in client.get("/measures/", HTTP_ORIGIN="https://x.example")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_writes_nothing(client, db, method):
    response = getattr(client, method)("/api/v1/measures/1/", {}, content_type="application/json")
    assert response.status_code == 405


def test_rate_limit_per_client_answers_429_with_retry_after(client, world, settings):
    settings.PORTAL_API_RATE = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/measures/", REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get("/api/v1/measures/", REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Requête ralentie.")
    assert client.get("/api/v1/measures/", REMOTE_ADDR="198.51.100.2").status_code == 200  # another client


def test_a_logged_in_persons_session_changes_nothing_in_the_answer(client, world, user):
    anonymous = client.get("/api/v1/expeditions/helsinki-slush/").content
    client.force_login(user)
    assert client.get("/api/v1/expeditions/helsinki-slush/").content == anonymous


# --- Query counts -------------------------------------------------------------------------------------------------------


def _many_trips(n):
    for i in range(n):
        trip = ExpeditionFactory(slug=f"q-{n}-{i}")
        trip.tags.create(slug=f"tag-{n}-{i}", name_fr="Thème")


def _many_editions(n):
    from contests.models import SubmissionState
    from tests.contests.factories import SubmissionFactory

    for i in range(n):
        from tests.contests.factories import EditionFactory

        edition = EditionFactory(slug=f"q-{n}-{i}")
        SubmissionFactory(edition=edition, state=SubmissionState.LAUREATE, rank=1)
    Edition.objects.update(published_at=timezone.now())


def _many_courses(n):
    from tests.mooc.factories import CourseFactory, CourseRunFactory, ModuleFactory

    for i in range(n):
        course = CourseFactory(slug=f"q-{n}-{i}")
        ModuleFactory(course=course)
        CourseRunFactory(course=course)


def _many_quarters(n):
    from datetime import date

    from diagnostic.models import Snapshot

    for i in range(n):
        Snapshot.objects.create(quarter=f"{2000 + i}-Q1", starts_on=date(2000 + i, 1, 1), ends_on=date(2000 + i, 3, 31),
                                respondents=2, published=False, threshold=5)


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize(("url", "make", "queries"), [
    ("/api/v1/expeditions/?page_size=50", _many_trips, 3),
    ("/api/v1/contest-editions/?page_size=50", _many_editions, 3),
    ("/api/v1/courses/?page_size=50", _many_courses, 4),
    ("/api/v1/barometer/quarters/?page_size=50", _many_quarters, 1),
])
def test_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, n, url, make, queries):
    make(n)
    client.get(url)  # warm (content types, the site)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("page_size", [1, 19])
def test_measure_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, page_size):
    measure(1)
    client.get("/api/v1/measures/")
    with django_assert_num_queries(1):
        response = client.get("/api/v1/measures/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
