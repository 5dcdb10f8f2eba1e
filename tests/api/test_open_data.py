"""CSV downloads, the DCAT catalogue, the open-data page and the API's documentation page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.staticfiles import finders

from measures.models import Measure

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_neutralises_formulas_and_keeps_numbers(client, world):
    Measure.objects.filter(number=2).update(short_title_fr='=HYPERLINK("http://evil.example","clic")')
    rows = {r["number"]: r for r in _rows(client.get("/api/v1/datasets/measures.csv"))}
    assert rows["2"]["short_title"] == '\'=HYPERLINK("http://evil.example","clic")'
    assert rows["1"]["progress"] == "20"
    assert len(rows) == 19


def test_csv_says_what_the_api_says_in_the_asked_language(client, world):
    (trip,) = [r for r in _rows(client.get("/api/v1/datasets/expeditions.csv")) if r["slug"] == "helsinki-slush"]
    api = client.get("/api/v1/expeditions/helsinki-slush/").json()
    assert (trip["places_left"], trip["registration_open"], trip["starts_on"]) == (str(api["places_left"]), "true", api["starts_on"])
    assert [r["slug"] for r in _rows(client.get("/api/v1/datasets/expeditions.csv"))] == ["las-vegas-ces", "helsinki-slush"]
    with_demo = _rows(client.get("/api/v1/datasets/expeditions.csv", {"include_demo": "1"}))
    assert [r["slug"] for r in with_demo] == ["las-vegas-ces", "helsinki-slush", "demo-seoul"]
    english = {r["number"]: r for r in _rows(client.get("/api/v1/datasets/measures.csv", {"lang": "en"}))}
    assert english["1"]["short_title"] == "A national digital awareness campaign"
    response = client.get("/api/v1/datasets/measures.csv")
    assert response["Link"] == '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"'
    assert 'filename="medef-numerique-measures.csv"' in response["Content-Disposition"]


def test_an_unknown_dataset_is_a_404_in_json(client, world):
    response = client.get("/api/v1/datasets/inconnu.csv")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "Aucun jeu de données de ce nom."}


def test_dcat_catalogue_licenses_every_dataset_and_its_distributions_answer(client, world):
    response = client.get("/api/v1/catalog.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    catalog = response.json()
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    datasets = catalog["dcat:dataset"]
    assert [d["dct:identifier"] for d in datasets] == [
        "measures", "measure-updates", "expeditions", "contest-editions", "contest-laureates", "courses", "barometer"]
    for dataset in datasets:
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dct:license"]["dct:identifier"] == "etalab-2.0"
        assert {t["@language"] for t in dataset["dct:title"]} == {"fr", "en"}
        formats = sorted(d["dct:format"] for d in dataset["dcat:distribution"])
        assert formats[0] == "CSV" and formats[-1] == "JSON"
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dct:license"]["@id"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
            url = distribution["dcat:accessURL"]["@id"].removeprefix("http://testserver")
            assert client.get(url).status_code == 200, url
    barometer = datasets[-1]
    assert [d["dcat:downloadURL"]["@id"] for d in barometer["dcat:distribution"] if d["dct:format"] == "CSV"] == [
        "http://testserver/diagnostic/barometer/2025-Q1.csv"]
    assert catalog["dcat:service"][0]["dcat:endpointDescription"]["@id"] == "http://testserver/api/v1/openapi.json"


@pytest.mark.parametrize(("url", "texts"), [
    ("/open-data/", ["Données ouvertes", "Licence Ouverte / Open Licence version 2.0", "<code>etalab-2.0</code>",
                     "Les 19 mesures", 'href="/api/v1/datasets/measures.csv"', 'href="/api/v1/catalog.jsonld"']),
    ("/en/open-data/", ["Open data", "Licence Ouverte / Open Licence version 2.0", "<code>etalab-2.0</code>",
                        "The 19 measures", 'href="/api/v1/docs/"']),
])
def test_open_data_page_states_the_licence_in_both_languages(client, world, url, texts):
    html = client.get(url).content.decode()
    assert [t for t in texts if t not in html] == []


def test_the_footer_links_the_open_data_page(client, db):
    assert '<a href="/open-data/">Données ouvertes</a>' in client.get("/").content.decode()
    assert '<a href="/en/open-data/">Open data</a>' in client.get("/en/").content.decode()


def test_docs_page_has_no_inline_script_and_its_vendored_files_exist(client, db):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and body.strip() == "" for attrs, body in scripts)
    assert "style=" not in html and "<style" not in html
    for src in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(src), src
    assert finders.find("vendor/swagger-ui/LICENSE")
    assert "script-src 'self'" in response["Content-Security-Policy"]
