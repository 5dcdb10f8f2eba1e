"""The expeditions' pages pass the Nu HTML Checker (tests/html_validation.py, from the shared kernel)."""

import pytest
from django.urls import reverse

from expeditions import services

from .factories import ExpeditionFactory, ProgrammeItemFactory, participant

html_validation = pytest.importorskip("tests.html_validation")
pytestmark = pytest.mark.django_db


def test_expedition_pages_are_valid_html(client):
    expedition = ExpeditionFactory(capacity=1, price_cents=250000, time_zone="America/Los_Angeles")
    ProgrammeItemFactory(expedition=expedition)
    holder = participant()
    services.registration_create(expedition_id=expedition.pk, user=holder, passport_name="X", share_consent=True,
                                 billing_organisation="PME", billing_address="Paris")
    pages = {
        "list": client.get(reverse("expeditions:index")).content.decode(),
        "list-filtered": client.get(reverse("expeditions:index"), {"month": "bad", "places_left": "on"}).content.decode(),
        "archive": client.get(reverse("expeditions:archive")).content.decode(),
        "detail-anonymous": client.get(expedition.get_absolute_url()).content.decode(),
    }
    client.force_login(holder)
    services.calendar_feed_for(user=holder)
    pages["detail-registered"] = client.get(expedition.get_absolute_url()).content.decode()
    pages["my-space"] = client.get(reverse("me:dashboard")).content.decode()
    pages["delegation"] = client.get(reverse("expeditions:delegation", args=[expedition.slug])).content.decode()
    other = participant()
    client.force_login(other)
    pages["register-form"] = client.get(reverse("expeditions:register", args=[expedition.slug])).content.decode()
    pages["register-errors"] = client.post(reverse("expeditions:register", args=[expedition.slug]),
                                           {"dietary_needs": "Halal"}).content.decode()
    assert html_validation.validate_pages(pages) == []
