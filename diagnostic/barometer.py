"""The public barometer's tables: one-way tables with small-cell suppression, and their exports.

Pure functions (no database): ``services.snapshot_closed_quarters`` feeds them the quarter's
respondents and stores what they publish; the page, the CSV and the JSON read that back.

The rules (threshold ``THRESHOLD`` = 5 respondents):
1. A quarter with fewer than THRESHOLD respondents publishes no figure at all.
2. Each table (by region, by sector, by size band) lists every category with its number of
   respondents and, per measure (overall and each dimension), the sum of their scores; its
   total row is the whole quarter. A cell with 1 to THRESHOLD-1 respondents is suppressed;
   an empty cell is published as 0 (nobody to protect, and it tells an attacker nothing a
   suppressed cell would hide).
3. In each table either no cell or at least two cells are suppressed, together holding at
   least THRESHOLD respondents and at least one more respondent than suppressed cells (else
   every suppressed cell would hold exactly one, which the total gives away), and for every
   published measure a positive sum of scores (else every suppressed cell's sum is 0). While
   that does not hold, the smallest published non-empty cell is suppressed too.
4. The suppression pattern is the same for every measure of a table (they share the counts).
   A measure whose sum is 0 over the whole quarter has its sums withheld everywhere; a table
   that cannot be protected (each respondent alone in a category) is withheld entirely.

Only counts and sums are published (averages are derived from them), so the figures add up.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

THRESHOLD = 5
VARIABLES = ("region", "sector", "size")
OVERALL = "overall"
LICENSE = "etalab-2.0"
LICENSE_NAME = "Licence Ouverte / Open Licence 2.0"
LICENSE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
TOTAL = "total"


@dataclass(frozen=True)
class Respondent:
    """One organisation's latest completed diagnostic of the quarter (distinct accounts for now)."""

    region: str
    sector: str
    size: str
    scores: Mapping[str, int]  # measure → 0..100

    def category(self, variable: str) -> str:
        return getattr(self, variable)


@dataclass
class Cell:
    category: str
    respondents: int | None  # None: suppressed
    sums: dict[str, int | None] = field(default_factory=dict)  # measure → sum; None: suppressed

    @property
    def suppressed(self) -> bool:
        return self.respondents is None

    def average(self, measure: str) -> float | None:
        total = self.sums.get(measure)
        if self.respondents in (None, 0) or total is None:
            return None
        return total / self.respondents


@dataclass
class Table:
    variable: str
    cells: list[Cell]
    total: Cell

    def cell(self, category: str) -> Cell | None:
        return next((c for c in self.cells if c.category == category), None)


@dataclass
class Barometer:
    quarter: str
    respondents: int
    published: bool
    measures: tuple[str, ...]
    tables: list[Table]
    threshold: int = THRESHOLD


def _safe(cells: Sequence[_Work], measures: Iterable[str], threshold: int) -> bool:
    if not cells:
        return True
    count = sum(c.count for c in cells)
    if len(cells) < 2 or count < threshold or count < len(cells) + 1:
        return False
    return all(sum(c.sums[m] for c in cells) > 0 for m in measures)


@dataclass
class _Work:
    category: str
    position: int
    count: int
    sums: dict[str, int]


def suppressed_categories(
    counts: Sequence[tuple[str, int, Mapping[str, int]]], *, measures: Iterable[str], threshold: int = THRESHOLD
) -> set[str] | None:
    """Which categories of one table to suppress (rules 2–3), or None to withhold the table.

    ``counts``: (category, respondents, {measure: sum}) in the table's order.
    """
    measures = list(measures)
    work = [_Work(category=c, position=i, count=n, sums=dict(s)) for i, (c, n, s) in enumerate(counts)]
    chosen = [w for w in work if 0 < w.count < threshold]
    spare = sorted((w for w in work if w.count >= threshold), key=lambda w: (w.count, w.position))
    while not _safe(chosen, measures, threshold) and spare:
        chosen.append(spare.pop(0))
    if not _safe(chosen, measures, threshold):
        return None
    return {w.category for w in chosen}


def build(
    *,
    quarter: str,
    respondents: Sequence[Respondent],
    categories: Mapping[str, Sequence[str]],
    measures: Sequence[str],
    threshold: int = THRESHOLD,
) -> Barometer:
    """The quarter's published tables. ``categories`` lists every category of each variable
    in display order; a respondent's category outside that list is a programming error."""
    n = len(respondents)
    measures = tuple(measures)
    if n < threshold:
        return Barometer(quarter=quarter, respondents=n, published=False, measures=measures, tables=[], threshold=threshold)
    totals = {m: sum(r.scores[m] for r in respondents) for m in measures}
    withheld = {m for m in measures if totals[m] == 0}
    published_measures = [m for m in measures if m not in withheld]
    total_cell = Cell(category=TOTAL, respondents=n, sums={m: (None if m in withheld else totals[m]) for m in measures})
    tables = []
    for variable in VARIABLES:
        codes = list(categories[variable])
        counts = {code: 0 for code in codes}
        sums = {code: dict.fromkeys(measures, 0) for code in codes}
        for r in respondents:
            code = r.category(variable)
            if code not in counts:
                raise ValueError(f"{variable} {code!r} is not a known category")
            counts[code] += 1
            for m in measures:
                sums[code][m] += r.scores[m]
        hidden = suppressed_categories(
            [(code, counts[code], sums[code]) for code in codes], measures=published_measures, threshold=threshold
        )
        cells = []
        for code in codes:
            if hidden is None or code in hidden:
                cells.append(Cell(category=code, respondents=None, sums=dict.fromkeys(measures)))
            else:
                cells.append(
                    Cell(
                        category=code,
                        respondents=counts[code],
                        sums={m: (None if m in withheld else sums[code][m]) for m in measures},
                    )
                )
        tables.append(Table(variable=variable, cells=cells, total=Cell(TOTAL, total_cell.respondents, dict(total_cell.sums))))
    return Barometer(quarter=quarter, respondents=n, published=True, measures=measures, tables=tables, threshold=threshold)


# --- Exports (the same figures as the page) ---------------------------------------------------

CSV_COLUMNS = ["quarter", "table", "category", "label", "measure", "respondents", "score_sum", "average", "suppressed"]


def _average_text(cell: Cell, measure: str) -> str:
    value = cell.average(measure)
    return "" if value is None else f"{value:.1f}"


def to_rows(barometer: Barometer, labels: Mapping[tuple[str, str], str]) -> list[dict[str, str]]:
    """One row per (table, category, measure), the total last in each table; empty = suppressed."""
    rows = []
    for table in barometer.tables:
        for measure in barometer.measures:
            for cell in [*table.cells, table.total]:
                rows.append(
                    {
                        "quarter": barometer.quarter,
                        "table": table.variable,
                        "category": cell.category,
                        "label": labels.get((table.variable, cell.category), cell.category),
                        "measure": measure,
                        "respondents": "" if cell.respondents is None else str(cell.respondents),
                        "score_sum": "" if cell.sums.get(measure) is None else str(cell.sums[measure]),
                        "average": _average_text(cell, measure),
                        "suppressed": "yes" if cell.respondents is None or cell.sums.get(measure) is None else "no",
                    }
                )
    return rows


def to_csv(barometer: Barometer, labels: Mapping[tuple[str, str], str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in to_rows(barometer, labels):
        # Labels are staff-edited text: neutralise what a spreadsheet would run as a formula.
        from portal.exports import neutralise_formula

        row["label"] = neutralise_formula(row["label"])
        writer.writerow(row)
    return out.getvalue()


def to_json(barometer: Barometer, labels: Mapping[tuple[str, str], str], *, meta: Mapping | None = None) -> dict:
    def cell_json(variable: str, cell: Cell) -> dict:
        return {
            "category": cell.category,
            "label": labels.get((variable, cell.category), cell.category),
            "respondents": cell.respondents,
            "score_sums": {m: cell.sums.get(m) for m in barometer.measures},
        }

    return {
        "quarter": barometer.quarter,
        "license": LICENSE,
        "license_name": LICENSE_NAME,
        "license_url": LICENSE_URL,
        "unit": "distinct accounts (organisations are not recorded yet)",
        "respondents": barometer.respondents if barometer.published else None,
        "published": barometer.published,
        "threshold": barometer.threshold,
        "measures": list(barometer.measures),
        **(dict(meta) if meta else {}),
        "tables": [
            {
                "table": table.variable,
                "cells": [cell_json(table.variable, c) for c in table.cells],
                "total": cell_json(table.variable, table.total),
            }
            for table in barometer.tables
        ],
    }
