"""A small public world for the API: published and unpublished content, demo content, a frozen
barometer quarter; and the client as an outside reuser sees it (no session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from contests.models import SubmissionState
from diagnostic import services as diagnostic_services
from expeditions.models import Expedition
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory
from tests.contests.factories import publish as publish_results
from tests.diagnostic.factories import at, stored_result
from tests.expeditions.factories import ExpeditionFactory, ProgrammeItemFactory
from tests.measures.factories import measure
from tests.measures.factories import publish as publish_update
from tests.mooc.factories import CourseFactory, CourseRunFactory, ModuleFactory


@dataclass
class World:
    trip: Expedition
    past_trip: Expedition
    draft_trip: Expedition
    demo_trip: Expedition
    edition: object
    unpublished_edition: object
    hidden_edition: object
    demo_edition: object
    laureate: object
    course: object
    draft_course: object
    demo_course: object
    quarter: str


def build_api_world() -> World:
    m1 = measure(1)
    publish_update(m1, title="Lancement du chantier", progress=20)
    trip = ExpeditionFactory(slug="helsinki-slush", title_en="", summary_en="")
    ProgrammeItemFactory(expedition=trip)
    past_trip = ExpeditionFactory(slug="las-vegas-ces", starts_on=timezone.localdate() - timedelta(days=300),
                                  registration_opens_at=timezone.now() - timedelta(days=400),
                                  registration_closes_at=timezone.now() - timedelta(days=320),
                                  status=Expedition.Status.PAST)
    draft_trip = ExpeditionFactory(slug="brouillon-secret", status=Expedition.Status.DRAFT)
    demo_trip = ExpeditionFactory(slug="demo-seoul", is_demo=True)
    # A published edition with a laureate, one whose decisions are made but not published, one hidden, a demo one.
    edition = EditionFactory(slug="edition-2016", opens_at=timezone.now() - timedelta(days=90),
                             closes_at=timezone.now() - timedelta(days=60))
    laureate = SubmissionFactory(edition=edition, company=CompanyFactory(legal_name="Capteurs d'Armor SAS"),
                                 title="Ruche connectée", state=SubmissionState.LAUREATE, rank=1, prize="Accompagnement")
    publish_results(edition)
    unpublished = EditionFactory(slug="edition-en-deliberation", opens_at=timezone.now() - timedelta(days=80),
                                 closes_at=timezone.now() - timedelta(days=50))
    SubmissionFactory(edition=unpublished, title="Projet pas encore annoncé", state=SubmissionState.LAUREATE, rank=1)
    hidden = EditionFactory(slug="edition-cachee", is_visible=False)
    demo_edition = EditionFactory(slug="demo-open", is_demo=True)
    course = CourseFactory(slug="transformation-numerique", summary_en="")
    ModuleFactory(course=course, title_fr="Stratégie", title_en="Strategy")
    CourseRunFactory(course=course)
    CourseRunFactory(course=course, label_fr="[Démo] Session", label_en="[Demo] Run", is_demo=True)
    draft_course = CourseFactory(slug="cours-brouillon", is_published=False)
    demo_course = CourseFactory(slug="demo-cours", is_demo=True)
    # Six respondents in the first quarter of 2025, frozen.
    for i in range(6):
        stored_result(completed_at=at(2025, 2, 1 + i), score=40 + i, region_code="bretagne" if i < 3 else "normandie")
    diagnostic_services.snapshot_compute(start=date(2025, 1, 1), end=date(2025, 4, 1), quarter="2025-Q1")
    return World(trip, past_trip, draft_trip, demo_trip, edition, unpublished, hidden, demo_edition, laureate,
                 course, draft_course, demo_course, "2025-Q1")


@pytest.fixture
def world(db):
    return build_api_world()
