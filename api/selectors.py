"""The API's reads: each app's own public selectors, with the API's demo rule on top.

Demo content (``is_demo``, what ``seed --demo`` loads for ``make run``) is left out unless the
client asks for it with ``include_demo=1``. Nothing here reads another app's tables directly.
"""

from __future__ import annotations

import re
from datetime import date

from contests import selectors as contests
from diagnostic import barometer as bm
from diagnostic import selectors as diagnostic
from expeditions import selectors as expeditions
from measures import selectors as measures
from mooc import selectors as mooc

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
QUARTER = re.compile(r"\d{4}-Q[1-4]")


def _demo(qs, include_demo: bool):
    return qs if include_demo else qs.filter(is_demo=False)


def measure_list(*, origin: str = "", status: str = ""):
    return measures.measures_filtered(origin_code=origin, status=status)


def measure_detail(*, number: int):
    return measures.measure_detail_public(number=number)


def measure_updates():
    return measures.measure_updates_public()


def expedition_list(*, include_demo: bool, archive: bool = False, destination: str = "", month: date | None = None,
                    audience: str = "", places_left: bool = False):
    qs = expeditions.expedition_list_public(
        archive=archive, destination=destination or None, month=month, audience=audience or None, places_left=places_left
    )
    return _demo(qs, include_demo).prefetch_related("tags", "audiences")


def expedition_ordering(*, archive: bool) -> list[str]:
    return ["-starts_on", "-pk"] if archive else ["starts_on", "pk"]


def expedition_detail(*, slug: str, include_demo: bool):
    if not SLUG.fullmatch(slug):
        return None
    try:
        expedition = expeditions.expedition_detail(slug=slug)
    except expeditions.Expedition.DoesNotExist:
        return None
    if expedition.is_demo and not include_demo:
        return None
    return expeditions.expedition_detail_related(expedition)


def edition_list(*, include_demo: bool, results_published: bool | None = None):
    return _demo(contests.editions_public_detailed(results_published=results_published), include_demo)


def edition_detail(*, slug: str, include_demo: bool):
    if not SLUG.fullmatch(slug):
        return None
    return edition_list(include_demo=include_demo).filter(slug=slug).first()


def course_list(*, include_demo: bool, topic: str = "", language: str = "", effort: str = ""):
    qs = mooc.courses_published_detailed(topic=topic, language=language, effort=effort, include_demo_runs=include_demo)
    return _demo(qs, include_demo)


def course_detail(*, slug: str, include_demo: bool):
    if not SLUG.fullmatch(slug):
        return None
    return course_list(include_demo=include_demo).filter(slug=slug).first()


def quarter_list():
    return diagnostic.snapshots_public()


def quarter_detail(*, quarter: str):
    """A frozen quarter with its published tables (suppressed cells are null, as frozen)."""
    if not QUARTER.fullmatch(quarter):
        return None
    snapshot = diagnostic.snapshot_by_quarter(quarter)
    if snapshot is None:
        return None
    data = diagnostic.snapshot_barometer(snapshot)
    labels = diagnostic.category_labels()

    def cell(variable: str, c: bm.Cell) -> dict:
        return {
            "category": c.category, "label": labels.get((variable, c.category), c.category),
            "respondents": c.respondents, "score_sums": {m: c.sums.get(m) for m in data.measures},
        }

    snapshot.measures = list(data.measures)
    snapshot.license = bm.LICENSE
    snapshot.tables = [
        {"table": t.variable, "cells": [cell(t.variable, c) for c in t.cells], "total": cell(t.variable, t.total)}
        for t in data.tables
    ] if snapshot.published else []
    return snapshot
