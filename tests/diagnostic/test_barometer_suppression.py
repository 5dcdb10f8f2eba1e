"""Nobody can be re-identified from the barometer: an attacker reads every published figure
(the CSV and the JSON, parsed back) and tries to pin down what was suppressed.

The attacker knows every published count and score sum, each table's total, the threshold,
and the rules that follow from the published method: an empty category is published as 0
(so a suppressed cell holds at least one respondent, unless the whole table is withheld),
at least one suppressed cell holds fewer than THRESHOLD respondents, and a score lies
between 0 and 100. It does not know which published cell was chosen as the secondary
suppression (the method's tie-breaking is not part of the figures).

From that, for every table it must never determine exactly a suppressed cell's number of
respondents or sum of scores, nor isolate a group of suppressed cells holding fewer than
THRESHOLD respondents.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from functools import cache

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from diagnostic.barometer import (
    OVERALL,
    THRESHOLD,
    TOTAL,
    Barometer,
    Respondent,
    build,
    suppressed_categories,
    to_csv,
    to_json,
)

MEASURES = (OVERALL, "strategy", "readiness", "human", "data", "automation", "green")
CATEGORIES = {
    "region": ["r1", "r2", "r3", "r4", "r5", "r6", "r7"],
    "sector": ["A", "B", "C", "D", "E"],
    "size": ["micro", "small", "medium", "intermediate"],
}

score = st.one_of(st.just(0), st.just(100), st.integers(min_value=0, max_value=100))
respondent = st.builds(
    lambda region, sector, size, scores: Respondent(region=region, sector=sector, size=size, scores=dict(zip(MEASURES, scores, strict=True))),
    st.sampled_from(CATEGORIES["region"][:6]),
    st.sampled_from(CATEGORIES["sector"]),
    st.sampled_from(CATEGORIES["size"]),
    st.lists(score, min_size=len(MEASURES), max_size=len(MEASURES)),
)
populations = st.lists(respondent, min_size=0, max_size=45)


# --- The published figures, read back as an outsider would -----------------------------------


def figures_from_csv(text: str) -> dict:
    """{(table, measure): {"cells": {category: (n | None, sum | None)}, "total": (n, sum | None)}}"""
    out: dict = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = (row["table"], row["measure"])
        entry = out.setdefault(key, {"cells": {}, "total": None})
        n = int(row["respondents"]) if row["respondents"] else None
        s = int(row["score_sum"]) if row["score_sum"] else None
        if row["category"] == TOTAL:
            entry["total"] = (n, s)
        else:
            entry["cells"][row["category"]] = (n, s)
    return out


def figures_from_json(data: dict) -> dict:
    out: dict = {}
    for table in data["tables"]:
        for measure in data["measures"]:
            out[(table["table"], measure)] = {
                "cells": {c["category"]: (c["respondents"], c["score_sums"][measure]) for c in table["cells"]},
                "total": (table["total"]["respondents"], table["total"]["score_sums"][measure]),
            }
    return out


# --- The attacker -----------------------------------------------------------------------------


@cache
def _reach(k: int, total: int, low: int) -> frozenset[tuple[int, bool]]:
    """(sum, some cell below the threshold) reachable by k cells of at least ``low`` respondents."""
    states = {(0, False)}
    for _ in range(k):
        states = {
            (s + n, flag or n < THRESHOLD)
            for s, flag in states
            for n in range(low, total - s + 1)
        }
    return frozenset(states)


def group_counts(k_group: int, k_rest: int, total: int, low: int, need_small: bool) -> set[int]:
    """Every respondent count a group of k_group suppressed cells may hold, the others holding the rest."""
    group, rest = _reach(k_group, total, low), _reach(k_rest, total, low)
    rest_sums = {}
    for s, flag in rest:
        rest_sums[s] = rest_sums.get(s, False) or flag
    return {
        s for s, flag in group
        if (total - s) in rest_sums and (not need_small or flag or rest_sums[total - s])
    }


def attack(figures: dict) -> list[str]:
    """What the attacker can pin down; an empty list means nothing."""
    found = []
    for (table, measure), entry in figures.items():
        cells, (total_n, total_s) = entry["cells"], entry["total"]
        suppressed = [c for c, (n, _s) in cells.items() if n is None]
        published = {c: v for c, v in cells.items() if v[0] is not None}
        for category, (n, _s) in published.items():
            if 0 < n < THRESHOLD:
                found.append(f"{table}/{measure}: {category} published with {n} respondents")
        if not suppressed:
            continue
        withheld_table = not published
        low = 0 if withheld_table else 1
        need_small = not withheld_table
        left = total_n - sum(n for n, _s in published.values())
        k = len(suppressed)
        if not withheld_table and (k < 2 or left < THRESHOLD):
            found.append(f"{table}/{measure}: {k} suppressed cell(s) holding {left}")
        # Any group of suppressed cells (one cell included) whose count is pinned below the threshold.
        for size in range(1, k):
            counts = group_counts(size, k - size, left, low, need_small)
            if len(counts) == 1 and next(iter(counts)) < THRESHOLD:
                found.append(f"{table}/{measure}: a group of {size} suppressed cells holds exactly {counts}")
            if size == 1 and len(counts) < 2:
                found.append(f"{table}/{measure}: a suppressed cell holds exactly {counts}")
        if total_s is None:
            continue
        left_sum = total_s - sum(s for _n, s in published.values() if s is not None)
        for category in suppressed:
            values = set()
            for v in group_counts(1, k - 1, left, low, need_small):
                lo, hi = max(0, left_sum - 100 * (left - v)), min(100 * v, left_sum)
                values.update(range(lo, min(hi, lo + 1) + 1))
                if len(values) > 1:
                    break
            if len(values) < 2:
                found.append(f"{table}/{measure}: suppressed {category}'s sum is exactly {values}")
    return found


def truth(population: list[Respondent]) -> dict:
    out = {}
    for variable in CATEGORIES:
        for measure in MEASURES:
            out[(variable, measure)] = {
                c: (
                    sum(1 for r in population if r.category(variable) == c),
                    sum(r.scores[measure] for r in population if r.category(variable) == c),
                )
                for c in CATEGORIES[variable]
            }
    return out


def published(population: list[Respondent]) -> tuple[Barometer, dict, dict]:
    barometer = build(quarter="2026-Q1", respondents=population, categories=CATEGORIES, measures=MEASURES)
    labels = {(v, c): f"=label {c}" for v, codes in CATEGORIES.items() for c in codes}
    return barometer, figures_from_csv(to_csv(barometer, labels)), figures_from_json(json.loads(json.dumps(to_json(barometer, labels))))


# --- Properties ---------------------------------------------------------------------------------


def _all_in(region, sector="A", size="micro", value=50, n=1):
    return [Respondent(region=region, sector=sector, size=size, scores=dict.fromkeys(MEASURES, value)) for _ in range(n)]


@given(populations)
@example(_all_in("r1", n=4) + _all_in("r2", n=5) + _all_in("r3", n=5))
@example(_all_in("r1", n=1) + _all_in("r2", n=1) + _all_in("r3", n=1) + _all_in("r4", n=1) + _all_in("r5", n=1))
@example(_all_in("r1", n=3, value=0) + _all_in("r2", n=2, value=0) + _all_in("r3", n=9, value=70))
@example(_all_in("r1", n=1, value=0) + _all_in("r2", n=1, value=0) + _all_in("r3", n=7, value=0))
@example(_all_in("r1", n=2) + _all_in("r2", n=5) + _all_in("r3", n=5))
def test_attacker_never_recovers_a_suppressed_cell_from_the_csv_or_the_json(population):
    barometer, from_csv, from_json = published(population)
    assert from_csv == from_json  # one set of figures, two formats
    if not barometer.published:
        assert len(population) < THRESHOLD
        assert from_csv == {}
        return
    assert attack(from_csv) == []
    assert attack(from_json) == []


@given(populations)
def test_every_published_figure_is_the_true_figure(population):
    barometer, from_csv, _ = published(population)
    if not barometer.published:
        return
    real = truth(population)
    for (variable, measure), entry in from_csv.items():
        assert entry["total"][0] == len(population)
        if entry["total"][1] is not None:
            assert entry["total"][1] == sum(r.scores[measure] for r in population)
        for category, (n, s) in entry["cells"].items():
            if n is not None:
                assert n == real[(variable, measure)][category][0]
            if s is not None:
                assert s == real[(variable, measure)][category][1]


@given(populations)
def test_the_suppression_pattern_is_the_same_for_every_measure_of_a_table(population):
    barometer, from_csv, _ = published(population)
    for variable in CATEGORIES:
        patterns = {
            frozenset(c for c, (n, _s) in from_csv[(variable, m)]["cells"].items() if n is None)
            for m in MEASURES
            if (variable, m) in from_csv
        }
        assert len(patterns) <= 1


def test_a_cell_of_four_takes_the_smallest_other_cell_with_it():
    population = _all_in("r1", n=4) + _all_in("r2", n=6) + _all_in("r3", n=5) + _all_in("r4", n=20)
    barometer, from_csv, _ = published(population)
    cells = from_csv[("region", OVERALL)]["cells"]
    assert cells == {
        "r1": (None, None), "r2": (6, 300), "r3": (None, None), "r4": (20, 1000),
        "r5": (0, 0), "r6": (0, 0), "r7": (0, 0),
    }


def test_two_small_cells_holding_five_are_enough_on_their_own():
    population = _all_in("r1", n=3) + _all_in("r2", n=2) + _all_in("r3", n=8)
    assert suppressed_categories(
        [("r1", 3, {OVERALL: 150}), ("r2", 2, {OVERALL: 100}), ("r3", 8, {OVERALL: 400})], measures=[OVERALL]
    ) == {"r1", "r2"}
    _, from_csv, _ = published(population)
    assert from_csv[("region", OVERALL)]["cells"]["r3"] == (8, 400)


def test_suppressed_cells_scoring_zero_take_a_scoring_cell_with_them():
    # r1 and r2 hold 5 respondents who all scored 0: publishing r3 would tell that.
    population = _all_in("r1", n=3, value=0) + _all_in("r2", n=2, value=0) + _all_in("r3", n=9, value=70) + _all_in("r4", n=12, value=40)
    _, from_csv, _ = published(population)
    cells = from_csv[("region", OVERALL)]["cells"]
    assert {c for c, (n, _s) in cells.items() if n is None} == {"r1", "r2", "r3"}


def test_a_measure_nobody_scored_on_has_its_sums_withheld_everywhere():
    population = [
        Respondent(region="r1", sector="A", size="micro", scores={**dict.fromkeys(MEASURES, 30), "green": 0})
        for _ in range(6)
    ]
    _, from_csv, _ = published(population)
    assert from_csv[("sector", "green")]["total"] == (6, None)
    assert from_csv[("sector", "green")]["cells"]["A"] == (6, None)
    assert from_csv[("sector", "data")]["cells"]["A"] == (6, 180)


def test_a_table_where_everyone_is_alone_in_a_category_is_withheld():
    population = [Respondent(region=f"r{i}", sector="A", size="micro", scores=dict.fromkeys(MEASURES, 10)) for i in range(1, 6)]
    _, from_csv, _ = published(population)
    assert set(from_csv[("region", OVERALL)]["cells"].values()) == {(None, None)}
    assert from_csv[("region", OVERALL)]["total"] == (5, 50)
    assert from_csv[("sector", OVERALL)]["cells"]["A"] == (5, 50)


def test_fewer_than_five_respondents_publish_nothing():
    barometer, from_csv, from_json = published(_all_in("r1", n=4))
    assert barometer.published is False
    assert from_csv == {} == from_json


@pytest.mark.parametrize("broken", ["publish_small", "single_suppression", "leave_zero_sums"])
def test_the_attacker_catches_a_leaky_method(broken):
    """The attacker is not blind: each weakened rule gets caught on a population it leaks."""
    if broken == "publish_small":
        figures = {("region", OVERALL): {"cells": {"r1": (3, 150), "r2": (10, 500)}, "total": (13, 650)}}
    elif broken == "single_suppression":
        figures = {("region", OVERALL): {"cells": {"r1": (None, None), "r2": (10, 500)}, "total": (13, 650)}}
    else:
        figures = {("region", OVERALL): {"cells": {"r1": (None, None), "r2": (None, None), "r3": (9, 630)}, "total": (14, 630)}}
    assert attack(figures) != []


def test_the_attacker_pins_cells_when_every_suppressed_cell_holds_one():
    figures = {("region", OVERALL): {"cells": {c: (None, None) for c in "abcde"} | {"f": (7, 70)}, "total": (12, 120)}}
    assert any("holds exactly {1}" in line for line in attack(figures))


def test_the_label_of_a_category_cannot_carry_a_formula_into_a_spreadsheet():
    barometer, _, _ = published(_all_in("r1", n=6))
    text = to_csv(barometer, {("region", "r1"): "=HYPERLINK(\"x\")"})
    assert "'=HYPERLINK" in text
    assert all(not line.split(",")[3].startswith("=") for line in text.splitlines()[1:])


def test_subset_search_is_exhaustive_for_small_tables():
    # sanity of the attacker's arithmetic against a brute-force enumeration
    for k, total in itertools.product(range(1, 4), range(1, 9)):
        brute = set()
        for combo in itertools.product(range(1, total + 1), repeat=k + 1):
            if sum(combo) == total and any(n < THRESHOLD for n in combo):
                brute.add(combo[0])
        assert group_counts(1, k, total, 1, True) == brute
