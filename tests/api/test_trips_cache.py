"""The trips list kept for one catalogue version (api.trips): what is live is live on a warm page,
what staff change shows at once, languages stay apart, and the kept answer is the computed one."""

from __future__ import annotations

import pytest

from api.pagination import _encode
from expeditions.models import Expedition, Tag
from tests.expeditions.factories import ExpeditionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/expeditions/"


def trips(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {row["slug"]: row for row in response.json()["results"]}


def test_a_warm_page_is_the_computed_answer_in_one_query(client, world, django_assert_num_queries):
    computed = client.get(URL)
    with django_assert_num_queries(1):  # the live places only
        kept = client.get(URL)
    assert (kept.content, kept["ETag"]) == (computed.content, computed["ETag"])
    assert client.get(URL, HTTP_IF_NONE_MATCH=kept["ETag"]).status_code == 304


def test_a_place_taken_or_registration_closed_shows_at_once_on_a_warm_page(client, world, django_assert_num_queries):
    first = client.get(URL)
    # what the registration services write: the counters, without a new catalogue version
    Expedition.objects.filter(pk=world.trip.pk).update(places_held=5, waitlist_length=2)
    with django_assert_num_queries(1):
        taken = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert taken.status_code == 200
    row = trips(taken)["helsinki-slush"]
    assert (row["capacity"], row["places_left"], row["waiting_list"], row["registration_open"]) == (20, 15, 2, True)
    Expedition.objects.filter(pk=world.trip.pk).update(status=Expedition.Status.REGISTRATION_CLOSED, capacity=30)
    with django_assert_num_queries(1):
        row = trips(client.get(URL))["helsinki-slush"]
    assert (row["status"], row["status_label"], row["capacity"], row["places_left"], row["registration_open"]) == (
        "closed", "Inscriptions closes", 30, 25, False)


def test_a_trip_unpublished_disappears_at_once_from_a_warm_page(client, world):
    assert "helsinki-slush" in trips(client.get(URL))
    world.trip.status = Expedition.Status.DRAFT
    world.trip.save()
    assert "helsinki-slush" not in trips(client.get(URL))


def test_a_trip_unpublished_without_a_new_version_disappears_too(client, world):
    assert "helsinki-slush" in trips(client.get(URL))
    Expedition.objects.filter(pk=world.trip.pk).update(status=Expedition.Status.DRAFT)  # a shell, a plain update()
    assert "helsinki-slush" not in trips(client.get(URL))


def test_an_edited_trip_or_a_renamed_tag_changes_at_once_on_a_warm_page(client, world):
    tag = Tag.objects.create(slug="cyber", name_fr="Cybersécurité")
    world.trip.tags.add(tag)
    assert [t["name"] for t in trips(client.get(URL))["helsinki-slush"]["tags"]] == ["Cybersécurité"]
    world.trip.title_fr = "Slush, nouvelle formule"
    world.trip.save()
    assert trips(client.get(URL))["helsinki-slush"]["title"] == "Slush, nouvelle formule"
    tag.name_fr = "Cybersécurité des PME"
    tag.save()
    assert [t["name"] for t in trips(client.get(URL))["helsinki-slush"]["tags"]] == ["Cybersécurité des PME"]
    world.trip.tags.add(Tag.objects.create(slug="ia", name_fr="Intelligence artificielle"))
    assert [t["slug"] for t in trips(client.get(URL))["helsinki-slush"]["tags"]] == ["cyber", "ia"]


def test_two_languages_are_kept_apart(client, world, django_assert_num_queries):
    ExpeditionFactory(slug="tokyo", title_fr="Tokyo numérique", title_en="Digital Tokyo")
    client.get(URL)
    client.get(URL, {"lang": "en"})
    with django_assert_num_queries(2):
        french, english = trips(client.get(URL))["tokyo"], trips(client.get(URL, {"lang": "en"}))["tokyo"]
    assert (french["title"], french["status_label"]) == ("Tokyo numérique", "Publiée")
    assert (english["title"], english["status_label"]) == ("Digital Tokyo", "Published")


def test_the_places_left_filter_is_never_kept(client, world):
    assert list(trips(client.get(URL, {"places_left": "1"}))) == ["helsinki-slush"]
    Expedition.objects.filter(pk=world.trip.pk).update(places_held=20)
    assert list(trips(client.get(URL, {"places_left": "1"}))) == []


def test_pages_reached_by_their_cursor_are_kept_but_not_forged_cursors(client, world, django_assert_num_queries):
    for i in range(3):
        ExpeditionFactory(slug=f"trip-{i}")
    following = client.get(URL, {"page_size": 2}).json()["next"]
    client.get(following)
    with django_assert_num_queries(1):
        client.get(following)
    forged = f"{URL}?page_size=2&cursor={_encode([world.trip.starts_on, 0])}"  # valid, but no page handed it out
    assert client.get(forged).status_code == 200
    with django_assert_num_queries(3):
        client.get(forged)


@pytest.mark.parametrize("n", [1, 30])
def test_cold_and_warm_pages_cost_the_same_for_1_and_30_trips(client, django_assert_num_queries, n):
    for i in range(n):
        ExpeditionFactory(slug=f"q-{i}").tags.create(slug=f"tag-{i}", name_fr="Thème")
    with django_assert_num_queries(3):  # trips with their places, tags, audiences
        cold = client.get(URL, {"page_size": 50})
    with django_assert_num_queries(1):
        warm = client.get(URL, {"page_size": 50})
    assert len(trips(warm)) == n
    assert warm.content == cold.content


# --- The detail, kept under the trip's updated_at -----------------------------------------------------------

DETAIL = "/api/v1/expeditions/helsinki-slush/"


def test_a_warm_detail_costs_one_query_and_shows_places_and_edits_at_once(client, world, django_assert_num_queries):
    computed = client.get(DETAIL)
    with django_assert_num_queries(1):
        kept = client.get(DETAIL)
    assert (kept.content, kept["ETag"]) == (computed.content, computed["ETag"])
    Expedition.objects.filter(pk=world.trip.pk).update(places_held=7)
    with django_assert_num_queries(1):
        assert client.get(DETAIL).json()["places_left"] == 13
    world.trip.title_fr = "Slush, nouvelle formule"
    world.trip.save()
    body = client.get(DETAIL).json()
    assert (body["title"], body["places_left"]) == ("Slush, nouvelle formule", 13)
    assert client.get(DETAIL, {"lang": "en"}).json()["status_label"] == "Published"
    assert client.get(DETAIL).json()["status_label"] == "Publiée"


def test_a_warm_detail_still_hides_drafts_and_demo_trips(client, world):
    demo = "/api/v1/expeditions/demo-seoul/"
    assert client.get(demo, {"include_demo": "1"}).status_code == 200
    assert client.get(demo).status_code == 404
    assert client.get(DETAIL).status_code == 200
    Expedition.objects.filter(pk=world.trip.pk).update(status=Expedition.Status.DRAFT)
    assert client.get(DETAIL).status_code == 404
