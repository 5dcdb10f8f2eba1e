"""Nothing personal, ever: every field the API's schema declares, and every key every endpoint
actually answers, must be on this allow-list of public fields. A new field fails here until
someone has decided it is public and added it below (with the CSV columns likewise)."""

from __future__ import annotations

import csv
import io

import pytest

from api.datasets import DATASETS
from portal.models import User

pytestmark = pytest.mark.django_db

_TRANSLATED = {"fallback_fields"}
ALLOWED: dict[str, set[str]] = {
    "MeasurePage": {"language", "next", "results"},
    "ExpeditionPage": {"language", "next", "results"},
    "ContestEditionPage": {"language", "next", "results"},
    "CoursePage": {"language", "next", "results"},
    "QuarterPage": {"language", "next", "results"},
    "Error": {"detail", "errors"},
    "Measure": _TRANSLATED | {"number", "short_title", "full_text", "status", "status_label", "progress", "progress_mode",
                              "origin", "responsible_organisations", "supporters", "last_update_on", "updated_at", "url"},
    "MeasureDetail": _TRANSLATED | {"number", "short_title", "full_text", "status", "status_label", "progress",
                                    "progress_mode", "origin", "responsible_organisations", "supporters", "last_update_on",
                                    "updated_at", "url", "milestones", "timeline"},
    "Origin": _TRANSLATED | {"code", "name", "theme"},
    "Milestone": _TRANSLATED | {"title", "weight", "done"},
    "MeasureUpdate": _TRANSLATED | {"published_on", "title", "text", "status_before", "status_after", "progress_before",
                                    "progress_after", "links"},
    "UpdateLink": _TRANSLATED | {"label", "url"},
    "Expedition": _TRANSLATED | {"slug", "title", "destination", "city", "summary", "starts_on", "ends_on",
                                 "registration_opens_at", "registration_closes_at", "registration_open", "price_cents",
                                 "currency", "capacity", "places_left", "waiting_list", "status", "status_label",
                                 "working_language", "tags", "audiences", "is_demo", "updated_at", "url"},
    "ExpeditionDetail": _TRANSLATED | {"slug", "title", "destination", "city", "summary", "starts_on", "ends_on",
                                       "registration_opens_at", "registration_closes_at", "registration_open",
                                       "price_cents", "currency", "capacity", "places_left", "waiting_list", "status",
                                       "status_label", "working_language", "tags", "audiences", "is_demo", "updated_at",
                                       "url", "time_zone", "practical_info", "price_includes", "programme", "partners"},
    "Destination": _TRANSLATED | {"slug", "country", "country_code"},
    "ProgrammeItem": _TRANSLATED | {"day", "start_time", "end_time", "title", "host_organisation"},
    "NamedRef": _TRANSLATED | {"code", "name"},
    "SlugNamedRef": _TRANSLATED | {"slug", "name"},
    "Partner": _TRANSLATED | {"slug", "name", "website"},
    "ContestEdition": _TRANSLATED | {"slug", "title", "summary", "phase", "phase_label", "opens_at", "closes_at",
                                     "results_on", "results_published_at", "themes", "laureates", "is_demo", "url"},
    "ContestEditionDetail": _TRANSLATED | {"slug", "title", "summary", "phase", "phase_label", "opens_at", "closes_at",
                                           "results_on", "results_published_at", "themes", "laureates", "is_demo", "url",
                                           "rules"},
    "EditionTheme": _TRANSLATED | {"slug", "name", "description", "prize"},
    # What the public laureates page shows: the project and its company (a legal person), no person.
    "Laureate": {"theme", "rank", "title", "pitch", "company", "region", "prize"},
    "Course": _TRANSLATED | {"slug", "title", "summary", "topic", "topic_label", "course_language", "effort_hours",
                             "pass_mark", "partners", "modules", "runs", "is_demo", "url"},
    "Module": _TRANSLATED | {"position", "title", "summary"},
    "CourseRun": _TRANSLATED | {"label", "self_paced", "enrollment_start", "enrollment_end", "start", "end",
                                "enrollment_open", "is_demo"},
    "Quarter": {"quarter", "first_day", "last_day", "published", "respondents", "threshold", "computed_at", "url", "csv_url"},
    "QuarterDetail": {"quarter", "first_day", "last_day", "published", "respondents", "threshold", "computed_at", "url",
                      "csv_url", "measures", "tables", "license"},
    "BarometerTable": {"table", "cells", "total"},
    # score_sums' keys are the measures (overall and the six dimensions): counts and sums only.
    "BarometerCell": {"category", "label", "respondents", "score_sums"},
}
CSV_COLUMNS = {
    "measures": ("number", "short_title", "status", "progress", "progress_mode", "origin_code", "origin_name",
                 "responsible_organisations", "supporters", "last_update_on", "updated_at", "url"),
    "measure-updates": ("measure_number", "published_on", "title", "text", "status_before", "status_after",
                        "progress_before", "progress_after", "links"),
    "expeditions": ("slug", "title", "destination", "country_code", "city", "starts_on", "ends_on", "registration_opens_at",
                    "registration_closes_at", "registration_open", "price_cents", "currency", "capacity", "places_left",
                    "waiting_list", "status", "tags", "is_demo", "url"),
    "contest-editions": ("slug", "title", "phase", "opens_at", "closes_at", "results_on", "results_published_at", "themes",
                         "laureates", "is_demo", "url"),
    "contest-laureates": ("edition", "edition_title", "theme", "rank", "title", "company", "region", "prize", "is_demo"),
    "courses": ("slug", "title", "topic", "course_language", "effort_hours", "pass_mark", "modules", "runs", "partners",
                "is_demo", "url"),
}
NEVER = ("email", "mail", "phone", "password", "user", "passport", "siret", "siren", "token", "dietary", "billing",
         "address", "juror", "review", "feedback", "member", "invitation", "organiser", "teacher", "created_by", "ip",
         "birth", "name_as", "consent")
MEASURE_CODES = {"overall", "strategy", "readiness", "human", "data", "automation", "green"}


def _schema(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def test_every_schema_field_is_on_the_allow_list(client):
    components = _schema(client)["components"]["schemas"]
    declared = {name: set(c["properties"]) for name, c in components.items() if "properties" in c}
    assert declared == ALLOWED
    for fields in declared.values():
        assert not [f for f in fields if any(word in f.split("_") or f.startswith(word) for word in NEVER)]


def _keys(value, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            out.add(key)
            if key != "score_sums":
                _keys(inner, out)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, out)
    return out


def test_every_endpoint_answers_allowed_fields_only_and_no_persons_address(client, world):
    allowed = set().union(*ALLOWED.values())
    args = {"number": "1", "slug": None, "quarter": world.quarter}
    details = {"/api/v1/expeditions/{slug}/": world.trip.slug, "/api/v1/contest-editions/{slug}/": world.edition.slug,
               "/api/v1/courses/{slug}/": world.course.slug}
    emails = list(User.objects.values_list("email", flat=True))
    assert emails, "the world has people (participants, the laureate's team)"
    walked = 0
    for path in _schema(client)["paths"]:
        url = path.replace("{slug}", details.get(path, "")).replace("{number}", args["number"]).replace("{quarter}", args["quarter"])
        for params in ({"include_demo": "1"}, {"include_demo": "1", "lang": "en"}):
            response = client.get(url, params)  # include_demo is ignored where there is no demo content
            assert response.status_code == 200, url
            keys = _keys(response.json(), set())
            assert keys - allowed == set(), f"{url}: fields not on the allow-list"
            if "score_sums" in response.content.decode():
                sums = [c["score_sums"] for t in response.json()["tables"] for c in [*t["cells"], t["total"]]]
                assert set().union(*sums) <= MEASURE_CODES
            body = response.content.decode()
            assert not [e for e in emails if e in body]
            walked += 1
    assert walked == 20


def test_csv_columns_are_stable_machine_names_and_hold_no_address(client, world):
    assert {key: d.columns for key, d in DATASETS.items()} == CSV_COLUMNS
    emails = list(User.objects.values_list("email", flat=True))
    for key, columns in CSV_COLUMNS.items():
        body = client.get(f"/api/v1/datasets/{key}.csv", {"include_demo": "1"}).content.decode()
        assert next(csv.reader(io.StringIO(body))) == list(columns)
        assert not [e for e in emails if e in body]
