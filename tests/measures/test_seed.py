import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from measures import seeding
from measures.models import Measure, MeasureStatus, Origin, RelatedLink
from portal import links
from portal.links import ResolvedLink
from tests.measures.factories import seed_measures

pytestmark = pytest.mark.django_db

# The seeds live beside the repository (../shared/seeds); PORTAL_SEEDS_DIR lets a worktree elsewhere point at them.
SEEDS = Path(os.environ.get("PORTAL_SEEDS_DIR") or Path(settings.BASE_DIR).parent / "shared" / "seeds")


def _normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def seed_002() -> str:
    files = sorted(SEEDS.glob("002_*.txt"))
    if not files:
        pytest.skip(f"seed 002 not found under {SEEDS}")
    return files[0].read_text(encoding="utf-8")


def test_each_measure_full_text_is_in_seed_002_with_its_number_and_origin(seed_002):
    seed_measures()
    source = _normalised(seed_002)
    # Each measure appears in the article as "#N : text" (or "#N: text"), in its city's paragraph.
    sections = {
        "marseille": source.split("A Marseille")[1].split("A Bordeaux")[0],
        "bordeaux": source.split("A Bordeaux")[1].split("A Nantes")[0],
        "nantes": source.split("A Nantes")[1].split("Groupe 1 :")[0],
        "paris-groupe-1": source.split("Groupe 1 :")[1].split("Groupe 2 :")[0],
        "paris-groupe-2": source.split("Groupe 2 :")[1].split("Groupe 3 :")[0],
        "paris-groupe-3": source.split("Groupe 3 :")[1],
    }
    measures = list(Measure.objects.select_related("origin").order_by("number"))
    assert [m.number for m in measures] == list(range(1, 20))
    for m in measures:
        text = _normalised(m.full_text_fr)
        assert text in source
        assert re.search(rf"#{m.number} ?: {re.escape(text)}", source), m.number
        assert re.search(rf"#{m.number} ?: {re.escape(text)}", sections[m.origin.code]), (m.number, m.origin.code)
        assert m.full_text_en and m.short_title_fr and m.short_title_en


def test_origins_and_paris_group_titles_are_as_seed_002_gives_them(seed_002):
    seed_measures()
    source = _normalised(seed_002)
    origins = list(Origin.objects.order_by("position").values_list("code", "name_fr"))
    assert origins == [
        ("marseille", "Marseille"),
        ("bordeaux", "Bordeaux"),
        ("nantes", "Nantes"),
        ("paris-groupe-1", "Paris, groupe 1"),
        ("paris-groupe-2", "Paris, groupe 2"),
        ("paris-groupe-3", "Paris, groupe 3"),
    ]
    for n, code in [(1, "paris-groupe-1"), (2, "paris-groupe-2"), (3, "paris-groupe-3")]:
        theme = Origin.objects.get(code=code).theme_fr
        assert f"Groupe {n} : {theme}." in source
    counts = {o.code: o.measures.count() for o in Origin.objects.all()}
    assert counts == {
        "marseille": 3, "bordeaux": 3, "nantes": 3, "paris-groupe-1": 3, "paris-groupe-2": 3, "paris-groupe-3": 4,
    }


def test_seed_invents_no_status_or_progress():
    seed_measures()
    assert set(Measure.objects.values_list("status", "progress", "progress_mode")) == {
        (MeasureStatus.PROPOSED, 0, "direct")
    }
    assert list(Measure.objects.filter(responsible_organisations_fr__gt="").values_list("number", flat=True)) == []


def test_seed_twice_gives_the_same_rows_and_keeps_staff_edits():
    seed_measures()
    before = list(Measure.objects.order_by("number").values_list("pk", "number", "origin_id", "short_title_fr"))
    m = Measure.objects.get(number=5)
    m.short_title_fr = "Titre retouché par l’équipe"
    m.full_text_en = "Edited by staff."
    m.save()
    origin = Origin.objects.get(code="nantes")
    origin.name_fr = "Nantes (atelier)"
    origin.save()
    seed_measures()
    after = list(Measure.objects.order_by("number").values_list("pk", "number", "origin_id", "short_title_fr"))
    assert Measure.objects.count() == 19
    assert Origin.objects.count() == 6
    assert [row[:3] for row in after] == [row[:3] for row in before]
    assert Measure.objects.get(number=5).short_title_fr == "Titre retouché par l’équipe"
    assert Measure.objects.get(number=5).full_text_en == "Edited by staff."
    assert Origin.objects.get(code="nantes").name_fr == "Nantes (atelier)"


def test_seed_skips_related_links_that_do_not_resolve():
    seed_measures()
    # the MOOC course is not there; the diagnostic's barometer always resolves
    assert list(RelatedLink.objects.values_list("measure__number", "kind", "key")) == [(3, "diagnostic.barometer", "public")]


def test_seed_links_measures_2_and_16_to_the_mooc_once_it_resolves(monkeypatch):
    monkeypatch.setitem(
        links._RESOLVERS,
        "mooc.course",
        lambda key: ResolvedLink(label="Université du numérique", url="/mooc/universite-du-numerique/")
        if key == "universite-du-numerique"
        else None,
    )
    seed_measures()
    seed_measures()
    assert sorted(RelatedLink.objects.values_list("measure__number", "kind", "key")) == [
        (2, "mooc.course", "universite-du-numerique"),
        (3, "diagnostic.barometer", "public"),
        (16, "mooc.course", "universite-du-numerique"),
    ]


def test_demo_seed_is_labelled_and_idempotent():
    seed_measures()
    seeding.seed_demo(lambda message: None)
    seeding.seed_demo(lambda message: None)
    m = Measure.objects.get(number=3)
    assert [u.title_fr for u in m.updates.all()] == ["[Démo] Étude de faisabilité lancée"]
    assert (m.status, m.progress) == (MeasureStatus.UNDER_STUDY, 10)
