"""The open datasets: one registry that the CSV downloads, the DCAT catalogue and the open-data
page all read. Each CSV column has a stable machine name; rows come from the API's own selectors
and serializers, so a CSV says exactly what the API says.

Values: lists joined with " | ", booleans as true/false, nothing as an empty cell. Text cells that
a spreadsheet would run as a formula are neutralised by ``portal.exports.neutralise_formula``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from api import selectors
from api import serializers as out

LICENSE_SPDX = "etalab-2.0"
LICENSE_NAME = "Licence Ouverte / Open Licence version 2.0"
LICENSE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
SPDX_URL = "https://spdx.org/licenses/etalab-2.0.html"


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    api_url_name: str  # the list endpoint in the API (namespace api)
    columns: tuple[str, ...]
    rows: Callable[[dict], Iterable[dict]]  # context {"request", "include_demo"} → rows by column


def _joined(values) -> str:
    return " | ".join(str(v) for v in values)


def _many(serializer, rows, context):
    return serializer(rows, many=True, context={"request": context["request"]}).data


def _measures(context):
    for m in _many(out.Measure, selectors.measure_list(), context):
        yield {
            "number": m["number"], "short_title": m["short_title"], "status": m["status"], "progress": m["progress"],
            "progress_mode": m["progress_mode"], "origin_code": m["origin"]["code"], "origin_name": m["origin"]["name"],
            "responsible_organisations": _joined(m["responsible_organisations"]), "supporters": m["supporters"],
            "last_update_on": m["last_update_on"], "updated_at": m["updated_at"], "url": m["url"],
        }


def _measure_updates(context):
    for update in selectors.measure_updates():
        u = out.MeasureUpdate(update, context={"request": context["request"]}).data
        yield {
            "measure_number": update.measure.number, "published_on": u["published_on"], "title": u["title"],
            "text": u["text"], "status_before": u["status_before"], "status_after": u["status_after"],
            "progress_before": u["progress_before"], "progress_after": u["progress_after"],
            "links": _joined(link["url"] for link in u["links"]),
        }


def _expeditions(context):
    include_demo = context["include_demo"]
    trips = [*selectors.expedition_list(include_demo=include_demo, archive=True).order_by("starts_on", "pk"),
             *selectors.expedition_list(include_demo=include_demo).order_by("starts_on", "pk")]
    for e in _many(out.Expedition, trips, context):
        yield {
            "slug": e["slug"], "title": e["title"], "destination": e["destination"]["slug"],
            "country_code": e["destination"]["country_code"], "city": e["city"], "starts_on": e["starts_on"],
            "ends_on": e["ends_on"], "registration_opens_at": e["registration_opens_at"],
            "registration_closes_at": e["registration_closes_at"], "registration_open": e["registration_open"],
            "price_cents": e["price_cents"], "currency": e["currency"], "capacity": e["capacity"],
            "places_left": e["places_left"], "waiting_list": e["waiting_list"], "status": e["status"],
            "tags": _joined(t["slug"] for t in e["tags"]), "is_demo": e["is_demo"], "url": e["url"],
        }


def _editions(context):
    rows = selectors.edition_list(include_demo=context["include_demo"]).order_by("-opens_at", "-pk")
    for e in _many(out.ContestEdition, rows, context):
        yield {
            "slug": e["slug"], "title": e["title"], "phase": e["phase"], "opens_at": e["opens_at"],
            "closes_at": e["closes_at"], "results_on": e["results_on"], "results_published_at": e["results_published_at"],
            "themes": _joined(t["slug"] for t in e["themes"]), "laureates": len(e["laureates"]),
            "is_demo": e["is_demo"], "url": e["url"],
        }


def _laureates(context):
    rows = selectors.edition_list(include_demo=context["include_demo"], results_published=True).order_by("-opens_at", "-pk")
    for e in _many(out.ContestEdition, rows, context):
        for laureate in e["laureates"]:
            yield {
                "edition": e["slug"], "edition_title": e["title"], "theme": laureate["theme"], "rank": laureate["rank"],
                "title": laureate["title"], "company": laureate["company"], "region": laureate["region"]["code"],
                "prize": laureate["prize"], "is_demo": e["is_demo"],
            }


def _courses(context):
    rows = selectors.course_list(include_demo=context["include_demo"]).order_by("slug")
    for c in _many(out.Course, rows, context):
        yield {
            "slug": c["slug"], "title": c["title"], "topic": c["topic"], "course_language": c["course_language"],
            "effort_hours": c["effort_hours"], "pass_mark": c["pass_mark"],
            "modules": _joined(m["title"] for m in c["modules"]), "runs": len(c["runs"]),
            "partners": _joined(p["slug"] for p in c["partners"]), "is_demo": c["is_demo"], "url": c["url"],
        }



DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        Dataset("measures", _("The 19 measures"),
                _("The Renaissance numérique measures with their status, progress, origin and number of supporters."),
                "api:measure-list",
                ("number", "short_title", "status", "progress", "progress_mode", "origin_code", "origin_name",
                 "responsible_organisations", "supporters", "last_update_on", "updated_at", "url"), _measures),
        Dataset("measure-updates", _("Timeline of the measures"),
                _("Every dated update of every measure: what changed (status, progress) and the links given."),
                "api:measure-list",
                ("measure_number", "published_on", "title", "text", "status_before", "status_after", "progress_before",
                 "progress_after", "links"), _measure_updates),
        Dataset("expeditions", _("Learning expeditions"),
                _("The public catalogue of trips, past and to come: destination, dates, price, places left and registration window."),
                "api:expedition-list",
                ("slug", "title", "destination", "country_code", "city", "starts_on", "ends_on", "registration_opens_at",
                 "registration_closes_at", "registration_open", "price_cents", "currency", "capacity", "places_left",
                 "waiting_list", "status", "tags", "is_demo", "url"), _expeditions),
        Dataset("contest-editions", _("Connected-object contest: editions"),
                _("Each edition of the contest with its dates, phase and themes."),
                "api:edition-list",
                ("slug", "title", "phase", "opens_at", "closes_at", "results_on", "results_published_at", "themes",
                 "laureates", "is_demo", "url"), _editions),
        Dataset("contest-laureates", _("Connected-object contest: laureates"),
                _("The published laureates of each edition: project, company, region, theme, rank and prize."),
                "api:edition-list",
                ("edition", "edition_title", "theme", "rank", "title", "company", "region", "prize", "is_demo"), _laureates),
        Dataset("courses", _("Université du numérique: courses"),
                _("The MOOC's published courses with their modules, runs, effort and partners."),
                "api:course-list",
                ("slug", "title", "topic", "course_language", "effort_hours", "pass_mark", "modules", "runs", "partners",
                 "is_demo", "url"), _courses),
    )
}

BAROMETER = {
    "key": "barometer",
    "title": _("Barometer of companies' digital maturity"),
    "description": _("Per closed quarter, one-way tables by region, sector and size: respondents and sums of scores "
                     "(small counts suppressed). The respondents chose to answer: not a representative survey."),
    "api_url_name": "api:barometer-list",
}
