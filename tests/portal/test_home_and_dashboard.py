"""The home page shows the programme alive and a logged-in person's next steps; Mon espace lists
what to do first. Both are built from what each app registers in portal.dashboard, with query
counts that do not grow with the data."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contests.models import SubmissionState
from expeditions import services as expedition_services
from expeditions.models import Registration
from mooc import services as mooc_services
from portal import dashboard
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory
from tests.expeditions.factories import ExpeditionFactory, participant
from tests.factories import UserFactory, complete_profile
from tests.mooc.factories import course_with_lessons

pytestmark = pytest.mark.django_db


def _seeded():
    call_command("seed", verbosity=0)


def test_home_shows_next_trips_contest_deadline_courses_measures_and_partners(client):
    _seeded()
    ExpeditionFactory(title_fr="Délégation au CES", capacity=12)
    edition = EditionFactory(title_fr="Concours 2027", opens_at=timezone.now() - timedelta(days=1),
                             closes_at=timezone.now() + timedelta(days=20))
    course_with_lessons()
    html = client.get("/").content.decode()
    assert "Délégation au CES" in html and "12 places restantes" in html
    assert edition.title in html and "Candidatures ouvertes" in html
    assert "Déposez votre projet avant le" in html
    assert "jours pour déposer un projet au concours" in html  # a key figure
    assert "Les 19 mesures, suivies en public" in html and "d’avancement global des 19 mesures" in html
    assert 'class="partner-grid"' in html and "La Poste" in html
    assert "Créer mon compte" in html  # the call to act, for a visitor


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_home_has_a_constant_number_of_queries(client, django_assert_num_queries, logged_in):
    _seeded()
    user = UserFactory()
    complete_profile(user)
    if logged_in:
        client.force_login(user)
    edition = EditionFactory(opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=20))
    company = CompanyFactory()
    company.memberships.create(user=user)
    client.get("/")  # warm caches (content types, site)
    for count in (1, 3):
        for _ in range(count):
            ExpeditionFactory()
            SubmissionFactory(edition=edition, company=company, state=SubmissionState.DRAFT)
            course_with_lessons()
        # anonymous: each app's block (trips 2, contest 1, courses 1; the measures' from the page
        # cache) and the partners; logged in: + session, user, unread count and each app's "to do" (4)
        with django_assert_num_queries(13 if logged_in else 5):  # diagnostic: +1 (the person's own diagnostics)
            assert client.get("/").status_code == 200


def _todo_person():
    """A person with something to do in each programme, and a date on each."""
    person = participant()
    now = timezone.now()
    full = ExpeditionFactory(title_fr="Voyage complet", capacity=1)
    other = participant()
    expedition_services.registration_create(expedition_id=full.pk, user=other, passport_name="X")
    waiting = expedition_services.registration_create(expedition_id=full.pk, user=person, passport_name="Y")
    Registration.objects.filter(pk=waiting.pk).update(status=Registration.Status.OFFERED, waitlist_position=None,
                                                      offer_expires_at=now + timedelta(days=2))
    edition = EditionFactory(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10))
    company = CompanyFactory()
    company.memberships.create(user=person)
    SubmissionFactory(edition=edition, company=company, title="Ruche connectée", state=SubmissionState.DRAFT)
    course, run, *_ = course_with_lessons()
    mooc_services.enrollment_create(user=person, run=run)
    return person


def test_my_space_lists_what_to_do_first_soonest_deadline_first(client):
    person = _todo_person()
    client.force_login(person)
    html = client.get(reverse("me:dashboard")).content.decode()
    todo = html.split('id="me-todo"', 1)[1].split("</section>", 1)[0]
    offer = todo.index("Une place vous est proposée pour « Voyage complet »")
    draft = todo.index("Votre brouillon « Ruche connectée » n’est pas encore soumis.")
    course = todo.index("Reprendre « ")
    assert offer < draft < course  # in two days, in ten days, no date
    assert "Répondre à la proposition" in todo and "Terminer mon projet" in todo and "Reprendre le cours" in todo
    assert html.index('id="me-todo"') < html.index('id="me-expeditions"')  # "à faire" before the rest


def test_the_home_page_shows_a_logged_in_person_s_next_steps(client):
    person = _todo_person()
    client.force_login(person)
    html = client.get("/").content.decode()
    steps = html.split('id="home-next-steps"', 1)[1].split("</section>", 1)[0]
    assert "Une place vous est proposée pour « Voyage complet »" in steps
    assert "Créer mon compte" not in html


def test_my_space_has_a_constant_number_of_queries_whatever_there_is_to_do(client, django_assert_num_queries):
    person = _todo_person()
    client.force_login(person)
    client.get(reverse("me:dashboard"))
    edition = EditionFactory(opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=5))
    company = person.organisation_memberships.first().organisation
    for count in (1, 3):
        for _ in range(count):
            SubmissionFactory(edition=edition, company=company, state=SubmissionState.DRAFT)
        # billing: +1 (quotes and invoices); the courses' progress: +3 once a course is followed (read
        # once for the section and the to-do list; the course's structure from the page cache);
        # diagnostic: +1 (read once for its section and the to-do list); groups: +1; the contest's
        # juror roles read once for the section and the to-do list
        with django_assert_num_queries(21):
            assert client.get(reverse("me:dashboard")).status_code == 200


def test_another_app_adds_a_home_block_and_a_to_do_without_touching_portal_templates(client, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], settings.BASE_DIR / "tests" / "templates"]}]
    user = UserFactory()
    complete_profile(user)
    dashboard.register_home_block("other", template="tests/_home_block.html", context=lambda request: {"title": "Faites le diagnostic"}, order=5)
    dashboard.register_todo("other", items=lambda request: [
        dashboard.TodoItem(text="Terminez votre diagnostic", url="/diagnostic/", action="Reprendre", due=timezone.now(), kind="other")])
    try:
        client.force_login(user)
        home = client.get("/").content.decode()
        assert '<h2 id="other">Faites le diagnostic</h2>' in home
        assert "Terminez votre diagnostic" in home
        me = client.get(reverse("me:dashboard")).content.decode()
        assert "Terminez votre diagnostic" in me and 'href="/diagnostic/"' in me
    finally:
        dashboard._HOME_BLOCKS.pop("other")
        dashboard._TODOS.pop("other")


# --- The home page's shared blocks (portal.page_cache) with live figures -------------------------


def test_the_home_page_keeps_its_trips_but_reads_places_left_live(client, django_assert_num_queries):
    trip = ExpeditionFactory(title_fr="Mission en Estonie", capacity=3)
    people = [participant() for _ in range(3)]
    assert "3 places restantes" in client.get("/").content.decode()
    # a registration changes the counters, not the catalogue's version: the cards are kept,
    # their places are read again
    expedition_services.registration_create(expedition_id=trip.pk, user=people[0], passport_name="A")
    with django_assert_num_queries(1):  # the places of the cards shown; everything else is kept
        html = client.get("/").content.decode()
    assert "Mission en Estonie" in html and "2 places restantes" in html and "3 places restantes" not in html
    for person in people[1:]:
        expedition_services.registration_create(expedition_id=trip.pk, user=person, passport_name="B")
    assert "Complet" in client.get("/").content.decode()


def test_a_trip_leaves_the_home_page_when_its_registration_closes_without_any_write(client):
    import time_machine

    closing = ExpeditionFactory(title_fr="Mission qui ferme", registration_closes_at=timezone.now() + timedelta(hours=2))
    ExpeditionFactory(title_fr="Mission qui reste", registration_closes_at=timezone.now() + timedelta(days=20))
    html = client.get("/").content.decode()
    assert "Mission qui ferme" in html and "Mission qui reste" in html
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        html = client.get("/").content.decode()
    assert "Mission qui ferme" not in html and "Mission qui reste" in html
    assert closing.title_fr not in html


def test_a_trip_cancelled_by_a_plain_update_leaves_the_cached_home_block(client):
    trip = ExpeditionFactory(title_fr="Mission annulée")
    assert "Mission annulée" in client.get("/").content.decode()
    type(trip).objects.filter(pk=trip.pk).update(status="cancelled")  # no signal, no new version
    assert "Mission annulée" not in client.get("/").content.decode()


def test_a_renamed_partner_and_a_contest_s_new_phase_reach_the_cached_home_page(client):
    import time_machine

    from portal.models import Partner

    partner = Partner.objects.create(slug="fiducial-test", name="Fiducial")
    edition = EditionFactory(title_fr="Concours 2027", opens_at=timezone.now() + timedelta(hours=1),
                             closes_at=timezone.now() + timedelta(days=20))
    html = client.get("/").content.decode()
    assert "Fiducial" in html and "Dépôt des projets à partir du" in html
    partner.name = "Fiducial Expertise"
    partner.save()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):  # the call opens: no write
        html = client.get("/").content.decode()
    assert "Fiducial Expertise" in html
    assert edition.title in html and "Candidatures ouvertes" in html and "Déposez votre projet avant le" in html


def test_the_cached_home_blocks_are_the_same_for_two_people_and_each_sees_only_their_own_steps():
    from django.test import Client

    ExpeditionFactory(title_fr="Mission partagée", capacity=5)
    first = _todo_person()  # a draft "Ruche connectée", an offer, a course to resume
    second = participant(first_name="Second")
    pages = {}
    for person in (first, second, None):
        client = Client()
        if person is not None:
            client.force_login(person)
        pages[person.pk if person else "anonymous"] = client.get("/").content.decode()
    first_html, second_html, anonymous_html = pages[first.pk], pages[second.pk], pages["anonymous"]

    def next_steps(html: str) -> str:
        start = html.find('aria-labelledby="home-next-steps"')
        return html[start:html.index("</section>", start)] if start >= 0 else ""

    assert "Ruche connectée" in next_steps(first_html) and "Voyage complet" in next_steps(first_html)
    assert next_steps(second_html) and "Ruche connectée" not in next_steps(second_html)
    assert "Voyage complet" not in next_steps(second_html)
    assert "Ruche connectée" not in anonymous_html and not next_steps(anonymous_html)
    for html in (first_html, second_html, anonymous_html):  # the shared block, the same live places
        assert "Mission partagée" in html and "5 places restantes" in html


def test_a_page_cache_value_is_computed_again_once_its_instant_passes():
    import time_machine

    from portal import page_cache

    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls), "until": timezone.now() + timedelta(minutes=10)}

    assert page_cache.value("tests", ("v",), compute, until=lambda v: v["until"])["n"] == 1
    assert page_cache.value("tests", ("v",), compute, until=lambda v: v["until"])["n"] == 1  # kept
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert page_cache.value("tests", ("v",), compute, until=lambda v: v["until"])["n"] == 2
    assert page_cache.value("tests", ("none",), lambda: None) is None  # never kept: asked again
    assert page_cache.value("tests", ("none",), lambda: "now") == "now"
