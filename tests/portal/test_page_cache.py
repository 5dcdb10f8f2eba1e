"""The page cache (portal.page_cache): cached pages never show one person's state to another,
and every write that changes a cached page is seen at once (each test fails without its bump)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from measures import services as measure_services
from measures.models import Milestone, Origin
from portal import page_cache
from tests.factories import UserFactory
from tests.measures.factories import measure, publish, seed_measures

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# --- The mechanism --------------------------------------------------------------------------


def test_a_fragment_is_rendered_once_per_version_and_again_after_a_change(django_capture_on_commit_callbacks):
    calls = []

    def render():
        calls.append(1)
        return f"<p>rendu {len(calls)}</p>"

    assert page_cache.fragment("tests", ("a",), render) == "<p>rendu 1</p>"
    assert page_cache.fragment("tests", ("a",), render) == "<p>rendu 1</p>"
    assert page_cache.fragment("tests", ("b",), render) == "<p>rendu 2</p>"  # other key parts
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page_cache.changed("tests")
    assert len(callbacks) == 1  # bumped again once the transaction commits
    assert page_cache.fragment("tests", ("a",), render) == "<p>rendu 3</p>"


def test_a_fragment_is_kept_per_language():
    with translation.override("fr"):
        assert page_cache.fragment("tests", (), lambda: "fr") == "fr"
    with translation.override("en"):
        assert page_cache.fragment("tests", (), lambda: "en") == "en"
    with translation.override("fr"):
        assert page_cache.fragment("tests", (), lambda: "autre") == "fr"


# --- Nobody sees another person's state ---------------------------------------------------------


def test_a_cached_measure_page_shows_each_person_their_own_support_and_follow():
    seed_measures()
    supporter, other = UserFactory(), UserFactory()
    measure_services.measure_support(measure=measure(16), user=supporter)
    measure_services.measure_follow(measure=measure(16), user=supporter, frequency="weekly")
    first = _html(_client(supporter), "/measures/16/")  # renders and caches the public parts
    second = _html(_client(other), "/measures/16/")  # from the cache
    anonymous = _html(_client(), "/measures/16/")
    assert "Vous soutenez cette mesure." in first
    assert "Retirer mon soutien" in first and "Ne plus suivre" in first
    assert "Vous soutenez cette mesure." not in second
    assert "Retirer mon soutien" not in second and "Ne plus suivre" not in second
    assert "Soutenir cette mesure" in second
    assert "Se connecter pour soutenir ou suivre cette mesure" in anonymous
    assert supporter.email not in second and supporter.email not in anonymous
    for html in (first, second, anonymous):
        assert "1 soutien" in html  # the public figure, the same for all
    # each person's own CSRF token, never one cached for another
    assert _csrf(first) != _csrf(second)


def _csrf(html: str) -> str:
    start = html.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
    return html[start:html.index('"', start)]


def test_the_cached_overview_is_the_same_for_everybody_and_the_header_is_each_person_s():
    seed_measures()
    someone = UserFactory()
    measure_services.measure_support(measure=measure(3), user=someone)
    logged_in = _html(_client(someone), "/measures/")  # renders and caches the list
    anonymous = _html(_client(), "/measures/")  # from the cache
    assert 'action="/accounts/logout/"' in logged_in
    assert 'action="/accounts/logout/"' not in anonymous

    def main(html: str) -> str:
        return html[html.index('<main id="main"'):html.index("</main>")]

    assert main(logged_in) == main(anonymous)
    assert "1 soutien" in main(anonymous)


# --- Stale after write: each write bumps what it changes --------------------------------------------


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def test_a_new_support_and_a_withdrawal_change_the_cached_counts(on_commit):
    seed_measures()
    person = UserFactory()
    assert "0 soutien" in _html(_client(), "/measures/7/")
    assert "0 soutien" in _html(_client(), "/measures/")
    on_commit(measure_services.measure_support, measure=measure(7), user=person)
    assert "1 soutien" in _html(_client(), "/measures/7/")
    assert "1 soutien" in _html(_client(), "/measures/")
    on_commit(measure_services.measure_support_withdraw, measure=measure(7), user=person)  # an UPDATE, no signal
    assert "0 soutien" in _html(_client(), "/measures/7/")
    assert "0 soutien" in _html(_client(), "/measures/")


def test_a_published_update_reaches_the_cached_overview_and_detail(on_commit):
    seed_measures()
    before = _html(_client(), "/measures/5/")
    _html(_client(), "/measures/")
    assert "Arrêté publié" not in before
    on_commit(publish, measure(5), title="Arrêté publié", status="in_progress", progress=30)
    assert "Arrêté publié" in _html(_client(), "/measures/5/")
    assert '<progress id="progress-5" value="30" max="100">' in _html(_client(), "/measures/")


def test_a_milestone_and_a_renamed_origin_reach_the_cached_pages(on_commit):
    seed_measures()
    _html(_client(), "/measures/2/")
    _html(_client(), "/measures/")
    on_commit(Milestone.objects.create, measure=measure(2), title="Premier jalon", weight=40)
    assert "Premier jalon" in _html(_client(), "/measures/2/")
    origin = Origin.objects.get(code="nantes")
    origin.name_fr = "Nantes (atelier renommé)"
    on_commit(origin.save)
    assert "Nantes (atelier renommé)" in _html(_client(), "/measures/")


# --- Stored HTML (Markdown rendered when saved) -----------------------------------------------------


def test_markdown_is_stored_as_sanitised_html_when_saved_and_rendered_again_by_the_command():
    from contests.models import Edition
    from tests.contests.factories import EditionFactory

    edition = EditionFactory(rules="**Gras** <script>alert(1)</script>")  # French, the page's language
    edition.refresh_from_db()
    assert edition.rules_html_fr.startswith("<p><strong>Gras</strong>")
    assert "script" not in edition.rules_html_fr and "alert" not in edition.rules_html_fr
    assert not edition.rules_html_en
    with translation.override("en"):
        assert edition.rules_html == edition.rules_html_fr  # the French fallback, as the rules have
    edition.rules_fr = "*Nouveau*"
    edition.save(update_fields=["rules_fr"])
    edition.refresh_from_db()
    assert edition.rules_html_fr == "<p><em>Nouveau</em></p>"
    Edition.objects.filter(pk=edition.pk).update(rules_html_fr="stale")  # e.g. an older sanitiser
    call_command("render_rich_text", stdout=None)
    edition.refresh_from_db()
    assert edition.rules_html_fr == "<p><em>Nouveau</em></p>"


def test_a_laureate_s_company_renamed_and_the_rules_changed_reach_the_cached_contest_pages(on_commit):
    from datetime import timedelta

    from django.utils import timezone

    from contests.models import SubmissionState
    from tests.contests.factories import EditionFactory, SubmissionFactory

    now = timezone.now()
    past = EditionFactory(opens_at=now - timedelta(days=100), closes_at=now - timedelta(days=50),
                          published_at=now - timedelta(days=1))
    laureate = SubmissionFactory(edition=past, theme=past.edition_themes.first().theme, state=SubmissionState.LAUREATE, rank=1)
    current = EditionFactory(rules="Règle d’origine.")
    assert laureate.company.legal_name in _html(_client(), f"/contests/{past.slug}/laureates/")
    assert "Règle d’origine." in _html(_client(), "/contests/")
    laureate.company.legal_name = "Capteurs Renommés SAS"
    on_commit(laureate.company.save)
    assert "Capteurs Renommés SAS" in _html(_client(), f"/contests/{past.slug}/laureates/")
    current.rules = "Règle **modifiée**."
    on_commit(current.save)
    assert "Règle <strong>modifiée</strong>." in _html(_client(), "/contests/")


def test_a_new_course_and_a_renamed_module_reach_the_cached_mooc_pages(on_commit):
    from tests.mooc.factories import course_with_lessons

    course, _run, module, _lessons, _quiz = course_with_lessons()
    assert module.title in _html(_client(), course.get_absolute_url())
    _html(_client(), "/mooc/")
    other, *_ = on_commit(course_with_lessons)
    assert other.title in _html(_client(), "/mooc/")
    module.title_fr = "Module renommé"
    on_commit(module.save)
    assert "Module renommé" in _html(_client(), course.get_absolute_url())
