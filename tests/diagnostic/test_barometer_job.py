"""The barometer's job and pages: closed quarters frozen once, who counts, what is published."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from diagnostic import services
from diagnostic.barometer import LICENSE, OVERALL
from diagnostic.models import Snapshot, SnapshotCell
from portal import personal_data
from tests.factories import UserFactory, region

from .factories import at, completed_response, reference_version, stored_result, worst

pytestmark = pytest.mark.django_db

REGIONS = ["bretagne", "corse", "normandie"]


def _population(quarter_day, *, n_per_region=(6, 3, 2), score=100):
    """n respondents per region (one result each), completed on ``quarter_day``."""
    users = []
    for code, n in zip(REGIONS, n_per_region, strict=True):
        for _ in range(n):
            users.append(stored_result(region_code=code, completed_at=quarter_day, score=score).user)
    return users


def _cells(snapshot):
    return sorted(SnapshotCell.objects.filter(snapshot=snapshot).values_list("variable", "category", "measure", "respondents", "score_sum"))


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 1, 1), (date(2026, 1, 1), date(2026, 4, 1), "2026-Q1")),
    (date(2026, 6, 30), (date(2026, 4, 1), date(2026, 7, 1), "2026-Q2")),
    (date(2026, 12, 31), (date(2026, 10, 1), date(2027, 1, 1), "2026-Q4")),
])
def test_quarter_bounds(day, expected):
    assert services.quarter_bounds(day) == expected


def test_the_job_freezes_closed_quarters_once_and_never_the_open_one():
    reference_version()
    _population(at(2026, 2, 10))
    stored_result(region_code="bretagne", completed_at=at(2026, 5, 2))
    with time_machine.travel(at(2026, 5, 20), tick=False):
        first = services.snapshot_closed_quarters()
        assert [s.quarter for s in first] == ["2026-Q1"]
        cells = _cells(first[0])
        assert services.snapshot_closed_quarters() == []  # run twice: nothing new, nothing changed
        assert _cells(Snapshot.objects.get(quarter="2026-Q1")) == cells
        assert not Snapshot.objects.filter(quarter="2026-Q2").exists()  # open quarter
    with time_machine.travel(at(2026, 7, 1, 1), tick=False):
        assert [s.quarter for s in services.snapshot_closed_quarters()] == ["2026-Q2"]
    q2 = Snapshot.objects.get(quarter="2026-Q2")
    assert (q2.respondents, q2.published) == (1, False)
    assert not SnapshotCell.objects.filter(snapshot=q2).exists()  # fewer than 5: nothing stored


def test_one_diagnostic_per_account_per_quarter_the_latest_and_never_staff_demo_or_inactive():
    reference_version()
    people = _population(at(2026, 2, 10))
    # one of them takes it again later in the quarter: the latest counts, once
    completed_response(user=people[0], region_code="bretagne", completed_at=at(2026, 3, 20), picker=worst)
    stored_result(user=UserFactory(is_staff=True, password=None), completed_at=at(2026, 2, 11))
    stored_result(completed_at=at(2026, 2, 12), is_demo=True)
    stored_result(user=UserFactory(is_active=False, password=None), completed_at=at(2026, 2, 13))
    with time_machine.travel(at(2026, 4, 2), tick=False):
        (snapshot,) = services.snapshot_closed_quarters()
    assert snapshot.respondents == 11
    total = SnapshotCell.objects.get(snapshot=snapshot, variable="region", category="total", measure=OVERALL)
    assert (total.respondents, total.score_sum) == (11, 1000)  # 10 × 100 + the retake's 0
    bretagne = SnapshotCell.objects.get(snapshot=snapshot, variable="region", category="bretagne", measure=OVERALL)
    assert (bretagne.respondents, bretagne.score_sum) == (6, 500)


def test_small_regions_are_suppressed_in_the_stored_figures():
    reference_version()
    region("ile-de-france")
    _population(at(2026, 2, 10), n_per_region=(6, 3, 2))
    with time_machine.travel(at(2026, 4, 2), tick=False):
        (snapshot,) = services.snapshot_closed_quarters()
    cells = {c: (n, s) for c, n, s in SnapshotCell.objects.filter(snapshot=snapshot, variable="region", measure=OVERALL).values_list("category", "respondents", "score_sum")}
    assert cells["bretagne"] == (6, 600)
    assert cells["corse"] == cells["normandie"] == (None, None)
    assert cells["total"] == (11, 1100)
    assert cells["ile-de-france"] == (0, 0)


def test_erasing_an_account_keeps_the_published_quarter_as_it_was():
    reference_version()
    people = _population(at(2026, 2, 10))
    with time_machine.travel(at(2026, 4, 2), tick=False):
        (snapshot,) = services.snapshot_closed_quarters()
    before = _cells(snapshot)
    personal_data.user_account_delete(people[0])
    with time_machine.travel(at(2026, 4, 3), tick=False):
        assert services.snapshot_closed_quarters() == []
    assert _cells(snapshot) == before


# --- The public pages -----------------------------------------------------------------------------


@pytest.fixture
def frozen_quarter(db):
    reference_version()
    _population(at(2026, 2, 10))
    with time_machine.travel(at(2026, 4, 2), tick=False):
        (snapshot,) = services.snapshot_closed_quarters()
    return snapshot


def test_the_page_shows_the_frozen_quarter_with_its_dates_licence_and_caveats(client, frozen_quarter):
    page = client.get("/diagnostic/barometer/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Trimestre 2026-Q1" in html and "11 répondants" in html
    assert "comptes distincts" in html
    assert "n’est pas une enquête représentative" in html
    assert "etalab-2.0" in html
    rows = {r["label"]: (r["respondents"], r["sum"]) for r in page.context["tables"][0]["rows"]}
    assert rows["bretagne"] == (6, 600) and rows["corse"] == (None, None)


def test_the_page_never_reads_the_responses(client, frozen_quarter, django_assert_num_queries):
    from diagnostic.models import Response

    Response.objects.all().delete()  # the figures live in the snapshot alone
    with django_assert_num_queries(5):
        page = client.get("/diagnostic/barometer/?measure=green")
    assert page.context["tables"][0]["total"]["respondents"] == 11


@pytest.mark.parametrize("n", [1, 30])
def test_the_page_queries_do_not_grow_with_the_quarters(client, django_assert_num_queries, n):
    for i in range(n):
        year, quarter = 2010 + i // 4, i % 4 + 1
        snapshot = Snapshot.objects.create(quarter=f"{year}-Q{quarter}", starts_on=date(year, 3 * quarter - 2, 1),
                                           ends_on=date(year, 3 * quarter - 2, 28), respondents=7, published=True, threshold=5)
        SnapshotCell.objects.bulk_create(
            SnapshotCell(snapshot=snapshot, variable=v, category="total", measure=m, respondents=7, score_sum=350)
            for v in ("region", "sector", "size") for m in (OVERALL, "strategy", "readiness", "human", "data", "automation", "green")
        )
    with django_assert_num_queries(5):
        assert client.get("/diagnostic/barometer/").status_code == 200


def test_quarters_asked_for_that_do_not_exist_or_make_no_sense(client, frozen_quarter):
    assert client.get("/diagnostic/barometer/?quarter=2031-Q2").status_code == 404
    assert client.get("/diagnostic/barometer/?quarter=junk&measure=junk").status_code == 200
    assert client.get("/diagnostic/barometer/2031-Q2.csv").status_code == 404
    assert client.get("/diagnostic/barometer/junk.json").status_code == 404


def test_no_frozen_quarter_yet_says_when_figures_come(client):
    html = client.get("/diagnostic/barometer/").content.decode()
    assert "Aucun trimestre n’est encore clos" in html


def test_csv_and_json_carry_the_page_figures_under_the_open_licence(client, frozen_quarter):
    csv_response = client.get("/diagnostic/barometer/2026-Q1.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert "etalab" in csv_response["Link"]
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
    by_key = {(r["table"], r["category"], r["measure"]): r for r in rows}
    assert (by_key[("region", "bretagne", OVERALL)]["respondents"], by_key[("region", "bretagne", OVERALL)]["score_sum"]) == ("6", "600")
    assert by_key[("region", "corse", OVERALL)]["suppressed"] == "yes" and by_key[("region", "corse", OVERALL)]["respondents"] == ""
    data = json.loads(client.get("/diagnostic/barometer/2026-Q1.json").content)
    assert data["license"] == LICENSE and data["quarter"] == "2026-Q1" and data["respondents"] == 11
    region = next(t for t in data["tables"] if t["table"] == "region")
    cells = {c["category"]: c for c in region["cells"]}
    assert (cells["bretagne"]["respondents"], cells["bretagne"]["score_sums"][OVERALL]) == (6, 600)
    assert cells["corse"]["respondents"] is None
    assert data["first_day"] == "2026-01-01" and data["last_day"] == "2026-03-31"


def test_demo_seed_never_reaches_the_barometer():
    from diagnostic import seeding
    from diagnostic.models import Response
    from portal import seeding as portal_seeding

    portal_seeding.seed_reference(lambda line: None)
    seeding.seed_reference(lambda line: None)
    seeding.seed_demo(lambda line: None)
    assert Response.objects.filter(status="completed").count() == 2
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        assert services.snapshot_closed_quarters() == []
    assert not Snapshot.objects.exists()


def test_the_page_is_served_from_cache_until_a_new_quarter_is_frozen(client, frozen_quarter, django_assert_num_queries):
    client.get("/diagnostic/barometer/")
    with django_assert_num_queries(0):  # the list of frozen quarters and the body come from the cache
        assert "Trimestre 2026-Q1" in client.get("/diagnostic/barometer/").content.decode()
    stored_result(region_code="bretagne", completed_at=at(2026, 5, 2))
    with time_machine.travel(at(2026, 7, 2), tick=False):
        services.snapshot_closed_quarters()
    html = client.get("/diagnostic/barometer/").content.decode()
    assert "Trimestre 2026-Q2" in html and "Moins de 5 répondants" in html
    assert "Trimestre 2026-Q1" in client.get("/diagnostic/barometer/?quarter=2026-Q1").content.decode()
