"""Billing's pages pass the Nu HTML Checker (tests/html_validation.py)."""

import pytest
from django.urls import reverse

from billing import services
from tests.expeditions.factories import participant

from .factories import paid_trip, register

html_validation = pytest.importorskip("tests.html_validation")
pytestmark = pytest.mark.django_db


def test_billing_pages_are_valid_html(client):
    expedition = paid_trip()
    registration = register(expedition)
    services.quote_issue(expedition_id=expedition.pk, user=registration.user, places=2,
                         buyer=services.Buyer(name="ETI", address="1 rue A\n69001 Lyon"))
    client.force_login(registration.user)
    url = reverse("billing:quote_request", args=[expedition.slug])
    pages = {
        "quote-form": client.get(url).content.decode(),
        "quote-errors": client.post(url, {"places": "0", "tax_id": "123"}).content.decode(),
        "my-space-with-documents": client.get(reverse("me:dashboard")).content.decode(),
        "detail-with-quote-link": client.get(expedition.get_absolute_url()).content.decode(),
    }
    client.force_login(participant())
    pages["my-space-without-documents"] = client.get(reverse("me:dashboard")).content.decode()
    assert html_validation.validate_pages(pages) == []
