"""What the design work promises a visitor and staff, checked on the rendered pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from expeditions import services as expedition_services
from portal.models import Notification
from portal.notifications.services import notify
from tests.expeditions.factories import ExpeditionFactory, participant
from tests.factories import UserFactory, complete_profile
from tests.mooc.factories import CourseRunFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/favicon.ico")


def test_the_server_error_page_stands_alone_styled_with_a_way_home(rf, django_assert_num_queries):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("en"), django_assert_num_queries(0):
        html = server_error(rf.get("/en/")).content.decode()
    assert '<meta name="viewport"' in html
    assert "/static/css/portal.css" in html and "/static/img/mark.svg" in html
    assert 'href="/en/"' in html and "Back to the home page" in html


def test_the_unread_count_is_spoken_as_unread_notifications(client):
    user = UserFactory()
    for i in range(8):
        Notification.objects.create(user=user, kind="k", recipient_email=user.email, subject=f"s{i}", body_text="b")
    client.force_login(user)
    html = client.get("/legal/").content.decode()
    assert '8<span class="visually-hidden"> 8 notifications non lues</span>' not in html
    assert '<span class="badge badge-unread">8<span class="visually-hidden"> notifications non lues</span></span>' in html


def test_the_menu_is_in_the_page_twice_for_phones_and_computers_without_script(client):
    html = client.get("/").content.decode()
    assert '<details class="menu-mobile">' in html and "<summary>Menu</summary>" in html
    assert html.count('href="/measures/"') >= 2  # the desktop bar and the phone menu (CSS shows one)


def test_switching_language_saves_it_on_the_account_and_new_notifications_follow(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    queued_before = notify(kind="expeditions.confirmed", user=user, context={"expedition": ExpeditionFactory(), "registration": None})
    response = client.post(reverse("set_language"), {"language": "en", "next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/en/me/"
    user.refresh_from_db()
    assert user.language == "en"
    queued_after = notify(kind="expeditions.confirmed", user=user, context={"expedition": ExpeditionFactory(), "registration": None})
    assert (queued_before.language, queued_after.language) == ("fr", "en")


def test_english_pages_use_british_dates():
    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ d|date:"DATE_FORMAT" }} {{ t|date:"SHORT_DATETIME_FORMAT" }}')
    moment = timezone.make_aware(datetime.datetime(2026, 1, 12, 14, 43))
    with translation.override("en"):
        assert template.render(Context({"d": moment.date(), "t": moment})) == "12 January 2026 12/01/2026 14:43"


def test_a_failed_form_lists_its_errors_as_links_to_the_fields(client):
    user = UserFactory()
    complete_profile(user)
    client.force_login(user)
    html = client.post(reverse("me:profile"), {"first_name": "", "last_name": "Martin"}).content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "autofocus" in html.split('class="error-summary"', 1)[1][:80]
    assert '<a href="#id_first_name">Prénom : Ce champ est obligatoire.</a>' in summary
    assert 'aria-describedby="id_first_name_error"' in html


def test_the_trip_page_says_price_and_approval_before_registering(client):
    expedition = ExpeditionFactory(price_cents=420000, requires_approval=True)
    client.force_login(participant())
    html = client.get(expedition.get_absolute_url()).content.decode()
    action = html.split('id="action-title"', 1)[1].split("</section>", 1)[0]
    assert "Prix : 4\u202f200 € HT, facturé par les organisateurs" in action
    assert "Validation requise" in action
    assert action.index("Validation requise") < action.index("S’inscrire")


def test_calendar_links_only_for_confirmed_registrations(client):
    person = participant()
    full = ExpeditionFactory(capacity=1)
    expedition_services.registration_create(expedition_id=full.pk, user=participant(), passport_name="X")
    waiting = expedition_services.registration_create(expedition_id=full.pk, user=person, passport_name="Y")
    confirmed = expedition_services.registration_create(expedition_id=ExpeditionFactory().pk, user=person, passport_name="Y")
    client.force_login(person)
    html = client.get(reverse("me:dashboard")).content.decode()
    assert reverse("expeditions:registration_ics", args=[confirmed.pk]) in html
    assert reverse("expeditions:registration_ics", args=[waiting.pk]) not in html


def test_each_enroll_button_names_its_course_run(client):
    course, run, *_ = course_with_lessons()
    CourseRunFactory(course=course, label_fr="Session de printemps")
    client.force_login(UserFactory())
    html = client.get(course.get_absolute_url()).content.decode()
    assert f'S’inscrire<span class="visually-hidden"> — {run.label}</span>' in html
    assert 'S’inscrire<span class="visually-hidden"> — Session de printemps</span>' in html


def test_the_styleguide_is_for_staff(client):
    assert client.get("/styleguide/").status_code == 302
    client.force_login(UserFactory(is_staff=True))
    html = client.post("/styleguide/", {}).content.decode()
    assert "Système de design" in html and 'class="error-summary"' in html
    assert '<legend>Accompagnement souhaité' in html  # a checkbox group has its legend


def test_city_and_host_names_are_translated_content(client):
    from tests.expeditions.factories import ProgrammeItemFactory

    expedition = ExpeditionFactory(city_fr="Séoul", city_en="Seoul")
    ProgrammeItemFactory(expedition=expedition, host_organisation_fr="Ambassade de France", host_organisation_en="French Embassy")
    url = expedition.get_absolute_url()  # before a request under /en/ activates English in this thread
    english = client.get("/en" + url).content.decode()
    french = client.get(url).content.decode()
    assert "Seoul" in english and "French Embassy" in english and "Séoul" not in english
    assert "Séoul" in french and "Ambassade de France" in french
    catalogue = client.get("/en/expeditions/").content.decode()
    assert "Seoul" in catalogue and "Séoul" not in catalogue
