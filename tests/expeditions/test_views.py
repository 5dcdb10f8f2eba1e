"""Views: catalogue, detail, registration, Mon espace, iCal; bad input never gives a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from expeditions import services
from expeditions.models import Expedition, Registration
from portal.models import Partner
from tests.factories import UserFactory, audience

from .factories import ExpeditionFactory, ProgrammeItemFactory, participant

pytestmark = pytest.mark.django_db
S = Registration.Status


def register(expedition, user, **kwargs):
    kwargs.setdefault("passport_name", user.last_name)
    return services.registration_create(expedition_id=expedition.pk, user=user, **kwargs)


def _populate(n: int, *, for_user=None) -> list[Expedition]:
    """n expeditions, each with programme items, partners, audiences and other people's registrations."""
    partners = [Partner.objects.get_or_create(slug=f"p{i}", defaults={"name_fr": f"P{i}", "name_en": f"P{i}"})[0]
                for i in range(2)]
    others = [participant() for _ in range(2)]
    expeditions = []
    for i in range(n):
        expedition = ExpeditionFactory(capacity=2, starts_on=timezone.localdate() + timedelta(days=30 + i),
                                       ends_on=timezone.localdate() + timedelta(days=34 + i))
        expedition.partners.set(partners)
        expedition.audiences.set([audience("business-leader"), audience("elected-official")])
        ProgrammeItemFactory.create_batch(2, expedition=expedition)
        for other in others:
            register(expedition, other)
        if for_user is not None:
            register(expedition, for_user)  # waitlisted: the two others took the places
        expeditions.append(expedition)
    return expeditions


@pytest.mark.parametrize("n", [1, 30])
def test_catalogue_queries_do_not_grow_anonymous(client, django_assert_num_queries, n):
    _populate(n)
    with django_assert_num_queries(4):
        response = client.get(reverse("expeditions:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_catalogue_queries_do_not_grow_logged_in(client, django_assert_num_queries, n):
    user = participant()
    _populate(n, for_user=user)
    client.force_login(user)
    with django_assert_num_queries(7):
        response = client.get(reverse("expeditions:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_detail_queries_do_not_grow_anonymous(client, django_assert_num_queries, n):
    expedition = _populate(1)[0]
    ProgrammeItemFactory.create_batch(n, expedition=expedition)
    for _ in range(n):
        register(expedition, participant())
    with django_assert_num_queries(5):
        response = client.get(expedition.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_detail_queries_do_not_grow_logged_in(client, django_assert_num_queries, n):
    user = participant()
    expedition = _populate(1, for_user=user)[0]
    ProgrammeItemFactory.create_batch(n, expedition=expedition)
    for _ in range(n):
        register(expedition, participant())
    client.force_login(user)
    with django_assert_num_queries(9):
        response = client.get(expedition.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_my_space_queries_do_not_grow(client, rf, django_assert_num_queries, n):
    """The expeditions' section of Mon espace (context + template): the other apps' sections
    of the same page are guarded by their own tests."""
    from django.template.loader import render_to_string

    from expeditions.dashboard import me_section_context

    user = participant()
    _populate(n, for_user=user)
    services.calendar_feed_for(user=user)
    request = rf.get(reverse("me:dashboard"))
    request.user = user
    with django_assert_num_queries(3):  # registrations, calendar feed, groups registered as contact
        html = render_to_string("expeditions/_me_section.html", {"data": me_section_context(request)})
    assert html.count('class="registration-status"') == n
    client.force_login(user)
    response = client.get(reverse("me:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count('class="registration-status"') == n


# --- The catalogue ------------------------------------------------------------------------------


def test_catalogue_hides_drafts_and_shows_places_honestly(client):
    open_trip = ExpeditionFactory(capacity=3, title_fr="Slush Helsinki")
    full = ExpeditionFactory(capacity=1, title_fr="Tel Aviv Cyber Week")
    register(full, participant())
    register(full, participant())
    ExpeditionFactory(status=Expedition.Status.DRAFT, title_fr="Brouillon secret")
    html = client.get(reverse("expeditions:index")).content.decode()
    assert "Slush Helsinki" in html and "3 places restantes" in html
    assert "Tel Aviv Cyber Week" in html and "Complet — liste d’attente (1 en attente)" in html
    assert "Brouillon secret" not in html
    assert client.get(reverse("expeditions:detail", args=[open_trip.slug])).status_code == 200


def test_draft_detail_is_404_for_the_public(client):
    draft = ExpeditionFactory(status=Expedition.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_catalogue_filters_and_archive(client):
    from .factories import destination

    japan = ExpeditionFactory(destination=destination("japon"), title_fr="Tokyo numérique")
    ExpeditionFactory(title_fr="Helsinki numérique")
    past = ExpeditionFactory(title_fr="CES passé", starts_on=timezone.localdate() - timedelta(days=300),
                             ends_on=timezone.localdate() - timedelta(days=295), status=Expedition.Status.PAST)
    html = client.get(reverse("expeditions:index"), {"destination": "japon"}).content.decode()
    assert "Tokyo numérique" in html and "Helsinki numérique" not in html
    month = japan.starts_on.strftime("%Y-%m")
    assert "Tokyo numérique" in client.get(reverse("expeditions:index"), {"month": month}).content.decode()
    assert client.get(reverse("expeditions:index"), {"month": "n'importe", "page": "x"}).status_code == 200
    japan.audiences.set([audience("journalist")])
    audience("elected-official")
    html = client.get(reverse("expeditions:index"), {"audience": "elected-official"}).content.decode()
    assert "Tokyo numérique" not in html and "Helsinki numérique" in html
    archive = client.get(reverse("expeditions:archive")).content.decode()
    assert past.title in archive and "Tokyo numérique" not in archive


def test_places_left_filter(client):
    ExpeditionFactory(capacity=1, title_fr="Plein")
    full = Expedition.objects.get(title_fr="Plein")
    register(full, participant())
    ExpeditionFactory(capacity=5, title_fr="Ouvert")
    html = client.get(reverse("expeditions:index"), {"places_left": "on"}).content.decode()
    assert "Ouvert" in html and "Plein" not in html


# --- The one action ------------------------------------------------------------------------------


def test_detail_offers_the_action_that_fits_the_visitor(client):
    expedition = ExpeditionFactory(capacity=1)
    url = expedition.get_absolute_url()
    assert "Se connecter pour s’inscrire" in client.get(url).content.decode()
    incomplete = UserFactory()
    client.force_login(incomplete)
    assert "Compléter mon profil" in client.get(url).content.decode()
    user = participant()
    client.force_login(user)
    assert reverse("expeditions:register", args=[expedition.slug]) in client.get(url).content.decode()
    register(expedition, participant())
    assert "Rejoindre la liste d’attente" in client.get(url).content.decode()
    register(expedition, user)
    assert "Voir dans Mon espace" in client.get(url).content.decode()


def test_register_through_the_form_then_cancel(client):
    expedition = ExpeditionFactory(capacity=1)
    user = participant()
    client.force_login(user)
    url = reverse("expeditions:register", args=[expedition.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"passport_name": "DUPONT Marie", "share_consent": "on",
                                 "status": "confirmed", "capacity": "999", "user": "1"})
    assert response.status_code == 302
    registration = Registration.objects.get(user=user)
    assert (registration.status, registration.passport_name, registration.share_consent) == (S.CONFIRMED, "DUPONT Marie", True)
    expedition.refresh_from_db()
    assert expedition.capacity == 1
    me = client.get(reverse("me:dashboard")).content.decode()
    assert expedition.title in me and "Confirmée" in me
    response = client.post(reverse("expeditions:cancel", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_dietary_needs_without_consent_redisplay_the_form_with_an_error(client):
    expedition = ExpeditionFactory()
    client.force_login(participant())
    response = client.post(reverse("expeditions:register", args=[expedition.slug]),
                           {"passport_name": "X", "dietary_needs": "Halal"})
    assert response.status_code == 200
    assert "id_dietary_consent_error" in response.content.decode()
    assert Registration.objects.count() == 0


def test_paid_trip_form_requires_billing(client):
    expedition = ExpeditionFactory(price_cents=290000)
    client.force_login(participant())
    url = reverse("expeditions:register", args=[expedition.slug])
    assert 'name="billing_organisation"' in client.get(url).content.decode()
    assert client.post(url, {"passport_name": "X"}).status_code == 200
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("changes", [
    {"status": Expedition.Status.REGISTRATION_CLOSED},
    {"status": Expedition.Status.CANCELLED},
    {"status": Expedition.Status.PAST},
    {"registration_closes_at": timezone.now() - timedelta(days=1), "registration_opens_at": timezone.now() - timedelta(days=9)},
])
def test_register_on_unavailable_trips_is_a_clear_message_not_an_error(client, changes):
    expedition = ExpeditionFactory(**changes)
    client.force_login(participant())
    response = client.post(reverse("expeditions:register", args=[expedition.slug]), {"passport_name": "X"}, follow=True)
    assert response.status_code == 200
    assert Registration.objects.count() == 0
    assert 'class="messages"' in response.content.decode()


def test_register_on_a_draft_is_404(client):
    expedition = ExpeditionFactory(status=Expedition.Status.DRAFT)
    client.force_login(participant())
    assert client.post(reverse("expeditions:register", args=[expedition.slug]), {"passport_name": "X"}).status_code == 404


def test_duplicate_and_ineligible_registrations_are_refused_with_a_message(client):
    expedition = ExpeditionFactory()
    expedition.audiences.set([audience("elected-official")])
    client.force_login(participant(audience_code="journalist"))
    response = client.post(reverse("expeditions:register", args=[expedition.slug]), {"passport_name": "X"}, follow=True)
    assert "pas ouverte à votre catégorie" in response.content.decode()
    user = participant(audience_code="elected-official")
    register(expedition, user)
    client.force_login(user)
    response = client.post(reverse("expeditions:register", args=[expedition.slug]), {"passport_name": "X"}, follow=True)
    assert response.status_code == 200
    assert Registration.objects.filter(user=user).count() == 1


def test_tampering_with_another_persons_registration_is_404_and_changes_nothing(client):
    expedition = ExpeditionFactory(capacity=1)
    victim = register(expedition, participant())
    client.force_login(participant())
    for name in ("cancel", "request_cancellation", "offer_accept", "offer_decline"):
        assert client.post(reverse(f"expeditions:{name}", args=[victim.pk])).status_code == 404
    assert client.get(reverse("expeditions:registration_ics", args=[victim.pk])).status_code == 404
    assert client.post(reverse("expeditions:cancel", args=[999999])).status_code == 404
    victim.refresh_from_db()
    assert victim.status == S.CONFIRMED


def test_actions_that_give_a_place_away_ask_first_and_a_get_changes_nothing(client):
    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition, participant())
    waiting = register(expedition, participant())
    client.force_login(holder.user)
    page = client.get(reverse("expeditions:cancel", args=[holder.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Votre place revient aussitôt à la personne suivante de la liste d’attente" in html
    assert f'action="{reverse("expeditions:cancel", args=[holder.pk])}"' in html
    assert client.get(reverse("expeditions:registration_ics", args=[holder.pk])).status_code == 200
    holder.refresh_from_db()
    assert holder.status == S.CONFIRMED
    # Another person's registration: 404, before and after the confirmation.
    assert client.get(reverse("expeditions:cancel", args=[waiting.pk])).status_code == 404
    assert client.get(reverse("expeditions:offer_decline", args=[waiting.pk])).status_code == 404
    assert client.get(reverse("expeditions:offer_accept", args=[holder.pk])).status_code == 405


def test_declining_an_offer_asks_first_then_passes_the_place_on(client):
    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition, participant())
    offered = register(expedition, participant())
    third = register(expedition, participant())
    services.registration_cancel(registration_id=holder.pk, by_staff=True)
    offered.refresh_from_db()
    assert offered.status == S.OFFERED
    client.force_login(offered.user)
    html = client.get(reverse("expeditions:offer_decline", args=[offered.pk])).content.decode()
    assert "la place revient à la personne suivante de la liste d’attente" in html
    assert Registration.objects.get(pk=offered.pk).status == S.OFFERED
    client.post(reverse("expeditions:offer_decline", args=[offered.pk]))
    assert Registration.objects.get(pk=offered.pk).status == S.OFFER_DECLINED
    assert Registration.objects.get(pk=third.pk).status == S.OFFERED
    # The page of an offer already declined is stale: 404, nothing changes.
    assert client.get(reverse("expeditions:offer_decline", args=[offered.pk])).status_code == 404
    assert client.get(reverse("expeditions:cancel", args=[offered.pk])).status_code == 404


def test_accepting_an_offer_from_my_space(client):
    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition, participant())
    waiting = register(expedition, participant())
    services.registration_cancel(registration_id=holder.pk, user=holder.user)
    client.force_login(waiting.user)
    assert "Accepter la place" in client.get(reverse("me:dashboard")).content.decode()
    client.post(reverse("expeditions:offer_accept", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    response = client.post(reverse("expeditions:offer_accept", args=[waiting.pk]), follow=True)
    assert response.status_code == 200  # a second accept is a message, not an error


def test_delegation_list_only_for_confirmed_participants_and_only_consenting_people(client):
    expedition = ExpeditionFactory(capacity=2)
    shown = register(expedition, participant(), share_consent=True)
    hidden = register(expedition, participant(), share_consent=False)
    waiting = register(expedition, participant(), share_consent=True)
    client.force_login(waiting.user)
    assert client.get(reverse("expeditions:delegation", args=[expedition.slug])).status_code == 404
    client.force_login(hidden.user)
    html = client.get(reverse("expeditions:delegation", args=[expedition.slug])).content.decode()
    assert shown.user.last_name in html
    assert hidden.user.last_name not in html


# --- iCalendar -------------------------------------------------------------------------------------


def test_registration_ics_is_valid_with_a_vtimezone(client):
    expedition = ExpeditionFactory(time_zone="America/Los_Angeles", city="Las Vegas")
    ProgrammeItemFactory(expedition=expedition, title_fr="Ouverture du CES")
    registration = register(expedition, participant())
    client.force_login(registration.user)
    response = client.get(reverse("expeditions:registration_ics", args=[registration.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    item = [e for e in events if "CES" in str(e["SUMMARY"])][0]
    assert item["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert item["DTSTART"].dt.hour == 9


def test_personal_feed_lists_confirmed_trips_and_can_be_revoked(client):
    user = participant()
    confirmed = register(ExpeditionFactory(title_fr="Confirmée Helsinki"), user)
    full = ExpeditionFactory(capacity=1, title_fr="Liste d'attente Séoul")
    register(full, participant())
    register(full, user)
    feed = services.calendar_feed_for(user=user)
    url = reverse("expeditions_public:feed", args=[feed.token])
    assert url.startswith("/expeditions/feed/")
    response = client.get(url)
    assert response.status_code == 200
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert confirmed.expedition.title in summaries
    assert "Liste d'attente Séoul" not in summaries
    client.force_login(user)
    client.post(reverse("expeditions:feed_regenerate"))
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get("/expeditions/feed/not-a-token.ics").status_code == 404


def test_english_pages_work(client):
    expedition = ExpeditionFactory(title_en="Helsinki digital week")
    assert "Helsinki digital week" in client.get("/en/expeditions/").content.decode()
    assert client.get(f"/en/expeditions/{expedition.slug}/").status_code == 200


def test_my_space_shows_the_waiting_list_position_and_the_cancellation_request(client):
    from datetime import timedelta as td

    expedition = ExpeditionFactory(capacity=1, cancellation_cutoff=timezone.now() - td(hours=1))
    register(expedition, participant())
    register(expedition, participant())
    mine = register(expedition, participant())
    client.force_login(mine.user)
    html = client.get(reverse("me:dashboard")).content.decode()
    assert "En liste d’attente — position 2" in html
    assert "Demander l’annulation aux organisateurs" in html  # the cut-off has passed
    client.post(reverse("expeditions:request_cancellation", args=[mine.pk]))
    assert "Annulation demandée" in client.get(reverse("me:dashboard")).content.decode()


def test_renaming_a_destination_or_a_partner_shows_at_once_on_the_list_and_the_detail(client):
    expedition = ExpeditionFactory()
    partner = Partner.objects.create(slug="bpi", name_fr="Bpifrance", name_en="Bpifrance")
    expedition.partners.add(partner)
    assert "Finlande" in client.get(reverse("expeditions:index")).content.decode()
    assert "Bpifrance" in client.get(expedition.get_absolute_url()).content.decode()
    destination = expedition.destination
    destination.country_fr = "Suomi"
    destination.save()
    partner.name_fr = "Bpifrance Le Hub"
    partner.save()
    assert "Suomi" in client.get(reverse("expeditions:index")).content.decode()
    assert "Bpifrance Le Hub" in client.get(expedition.get_absolute_url()).content.decode()


def test_a_full_trip_with_nobody_waiting_says_so_in_french_without_a_raw_placeholder(client):
    expedition = ExpeditionFactory(capacity=1)
    register(expedition, participant())
    for url in (reverse("expeditions:index"), expedition.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Complet — liste d’attente ouverte" in html
        assert "%(" not in html


def test_cached_catalogue_shows_a_places_left_change_at_once(client, django_assert_num_queries):
    expedition = ExpeditionFactory(capacity=3, title_fr="Voyage au Japon")
    person = participant()  # before the first request: a new audience changes the filters
    url = reverse("expeditions:index")
    first = client.get(url).content.decode()
    assert "3 places restantes" in first
    # Proof the second request is served from the cache: a title written behind the ORM's
    # back (updated_at untouched) does not show, while places left do.
    Expedition.objects.filter(pk=expedition.pk).update(title_fr="Titre non rafraîchi")
    register(expedition, person)
    with django_assert_num_queries(1):  # the live places
        second = client.get(url).content.decode()
    assert "Voyage au Japon" in second
    assert "2 places restantes" in second
    catalogue = slice(first.index("<h1>"), first.index("</ul>"))
    assert second[catalogue] == first[catalogue].replace("3 places restantes", "2 places restantes")


def test_cached_catalogue_shows_a_trip_change_at_once(client):
    expedition = ExpeditionFactory(capacity=3, title_fr="Voyage au Japon")
    url = reverse("expeditions:index")
    assert "Voyage au Japon" in client.get(url).content.decode()
    expedition.title_fr = "Voyage en Corée"
    expedition.save()
    page = client.get(url).content.decode()
    assert "Voyage en Corée" in page
    assert "Voyage au Japon" not in page


def test_cached_detail_shows_a_places_left_change_at_once(client):
    expedition = ExpeditionFactory(capacity=3)
    url = expedition.get_absolute_url()
    assert "3 places restantes" in client.get(url).content.decode()
    register(expedition, participant())
    page = client.get(url).content.decode()
    assert "2 places restantes" in page
    assert "3 places restantes" not in page


@pytest.mark.parametrize("n", [1, 30])
def test_a_warm_catalogue_and_detail_cost_one_query_each(client, django_assert_num_queries, n):
    """Once cached, each page reads only the live places (and the catalogue's version)."""
    expedition = _populate(n)[0]
    ProgrammeItemFactory.create_batch(n, expedition=expedition)
    for url in (reverse("expeditions:index"), reverse("expeditions:index") + "?page=1", expedition.get_absolute_url()):
        first = client.get(url).content.decode()
        register(expedition, participant())  # places change between the two requests
        with django_assert_num_queries(1):
            second = client.get(url).content.decode()
        assert second != first  # the places left moved: they were not served from the cache


def test_cached_catalogue_drops_a_deleted_trip_at_once(client):
    kept = ExpeditionFactory(title_fr="Voyage gardé")
    gone = ExpeditionFactory(title_fr="Voyage supprimé", starts_on=kept.starts_on)
    url = reverse("expeditions:index")
    assert "Voyage supprimé" in client.get(url).content.decode()
    gone.delete()
    page = client.get(url).content.decode()
    assert "Voyage supprimé" not in page
    assert "Voyage gardé" in page


def test_cached_catalogue_shows_a_newly_published_trip_at_once(client):
    ExpeditionFactory(title_fr="Voyage déjà là")
    url = reverse("expeditions:index")
    client.get(url)
    draft = ExpeditionFactory(title_fr="Voyage tout neuf", status=Expedition.Status.DRAFT)
    assert "Voyage tout neuf" not in client.get(url).content.decode()
    draft.status = Expedition.Status.PUBLISHED
    draft.save()
    assert "Voyage tout neuf" in client.get(url).content.decode()


def test_cached_detail_shows_cancellation_and_unpublishing_at_once(client):
    expedition = ExpeditionFactory(capacity=3)
    url = expedition.get_absolute_url()
    assert "3 places restantes" in client.get(url).content.decode()
    # written behind the ORM's back (updated_at untouched): the status is read live anyway
    Expedition.objects.filter(pk=expedition.pk).update(status=Expedition.Status.CANCELLED)
    page = client.get(url).content.decode()
    assert "<strong>Annulée</strong>" in page
    assert "3 places restantes" not in page
    expedition.status = Expedition.Status.DRAFT
    expedition.save()
    assert client.get(url).status_code == 404


def test_a_new_destination_can_be_filtered_on_at_once(client):
    from expeditions.models import Destination

    client.get(reverse("expeditions:index"))  # caches the filter choices
    islande = Destination.objects.create(slug="islande", country_fr="Islande", country_en="Iceland", country_code="IS")
    ExpeditionFactory(destination=islande, title_fr="Reykjavik numérique")
    ExpeditionFactory(title_fr="Autre voyage")
    page = client.get(reverse("expeditions:index"), {"destination": "islande"}).content.decode()
    assert '<option value="islande" selected>Islande</option>' in page
    assert "Reykjavik numérique" in page and "Autre voyage" not in page


@pytest.mark.parametrize("n", [1, 30])
def test_a_warm_catalogue_and_detail_cost_the_same_for_a_logged_in_person(client, django_assert_num_queries, n):
    user = participant()
    expedition = _populate(n, for_user=user)[0]
    client.force_login(user)
    for url, queries in ((reverse("expeditions:index"), 4), (expedition.get_absolute_url(), 5)):
        client.get(url)
        with django_assert_num_queries(queries):  # session, user, profile/notifications… + the live places
            assert client.get(url).status_code == 200


def test_the_catalogue_version_is_replaced_again_after_the_commit(client, django_capture_on_commit_callbacks):
    """A reader can render the old rows between the write's first bump and its commit: the
    bump after the commit is what sends the next request back to the database."""
    from expeditions import catalogue_cache

    trip = ExpeditionFactory(title_fr="Avant")
    url = reverse("expeditions:index")
    client.get(url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        trip.title_fr = "Après"
        trip.save()
    key = catalogue_cache.page_key(archive=False, query_string="&page=1")
    version, _cached = catalogue_cache.lookup(key)
    catalogue_cache.store(key, version=version, html="<p>Avant, rendu avant le commit</p>", pks=[trip.pk])
    assert "rendu avant le commit" in client.get(url).content.decode()
    for callback in callbacks:
        callback()
    page = client.get(url).content.decode()
    assert "rendu avant le commit" not in page
    assert "Après" in page


def test_a_trip_unpublished_behind_the_orms_back_leaves_the_cached_catalogue_at_once(client):
    trip = ExpeditionFactory(title_fr="Voyage retiré")
    url = reverse("expeditions:index")
    assert "Voyage retiré" in client.get(url).content.decode()
    Expedition.objects.filter(pk=trip.pk).update(status=Expedition.Status.DRAFT)  # no signal, no new version
    assert "Voyage retiré" not in client.get(url).content.decode()


def test_junk_query_strings_are_answered_but_never_cached(client):
    from django.core.cache import cache

    from expeditions import catalogue_cache

    ExpeditionFactory()
    for junk in ({"page": "1x0"}, {"destination": "nulle-part"}, {"month": "2027-1"}, {"page": "999"}):
        assert client.get(reverse("expeditions:index"), junk).status_code == 200
        raw = "&".join(f"{k}={v}" for k, v in junk.items() if k != "page")
        key = catalogue_cache.page_key(archive=False, query_string=f"{raw}&page={junk.get('page', 1)}")
        assert cache.get(key) is None, junk
    client.get(reverse("expeditions:index"))
    assert cache.get(catalogue_cache.page_key(archive=False, query_string="&page=1")) is not None


def test_places_labels_follow_the_language(client):
    expedition = ExpeditionFactory(capacity=3)
    for _ in range(2):  # memoised labels: each language keeps its own
        assert "3 places restantes" in client.get("/expeditions/").content.decode()
        assert "3 places left" in client.get("/en/expeditions/").content.decode()
        assert "3 places left" in client.get(f"/en/expeditions/{expedition.slug}/").content.decode()


def test_deleting_a_partner_or_editing_the_programme_outside_the_admin_shows_at_once(client):
    expedition = ExpeditionFactory()
    partner = Partner.objects.create(slug="bpi", name_fr="Bpifrance", name_en="Bpifrance")
    expedition.partners.add(partner)
    item = ProgrammeItemFactory(expedition=expedition, title_fr="Visite de Slush")
    url = expedition.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Bpifrance" in page and "Visite de Slush" in page
    partner.delete()
    assert "Bpifrance" not in client.get(url).content.decode()
    item.title_fr = "Visite de Maria 01"
    item.save()
    assert "Visite de Maria 01" in client.get(url).content.decode()
