"""Hostile and odd input never gives a 500."""

import pytest
from django.urls import reverse

from .factories import ExpeditionFactory, participant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", [
    {"destination": "fin\x00lande"}, {"audience": "a\x00b"}, {"month": "2026\x00-01"}, {"page": "\x00"},
    {"month": "99999-01"}, {"month": "2026-13"}, {"page": "99999999999999999999999"}, {"places_left": "\x00"},
])
def test_catalogue_filters_with_hostile_values_are_ignored(client, query):
    ExpeditionFactory()
    assert client.get(reverse("expeditions:index"), query).status_code == 200


def test_huge_registration_ids_and_odd_feed_tokens_are_404(client):
    client.force_login(participant())
    huge = 99999999999999999999
    for name in ("cancel", "request_cancellation", "offer_accept", "offer_decline"):
        assert client.post(f"/expeditions/registrations/{huge}/{reverse(f'expeditions:{name}', args=[1]).split('/')[-2]}/").status_code == 404
    assert client.get(f"/expeditions/registrations/{huge}/calendar.ics").status_code == 404
    assert client.get("/expeditions/feed/abc%00def.ics").status_code == 404
