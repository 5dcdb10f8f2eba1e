"""A company leader asks for a quote on a paid trip, downloads it from Mon espace, registers, and
downloads the invoice: a Factur-X PDF whose XML bills the place."""

import pytest
from facturx import get_xml_from_pdf
from playwright.sync_api import expect

from billing.models import Document, TripBilling
from tests.billing.factories import VALID_SIRET
from tests.e2e.test_expeditions_journey import log_in
from tests.expeditions.factories import ExpeditionFactory, participant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_quote_then_registration_then_the_invoice_downloads_as_factur_x(page, live_server):
    expedition = ExpeditionFactory(price_cents=190000, slug="slush-helsinki", title_fr="Slush à Helsinki")
    TripBilling.objects.create(expedition=expedition)
    leader = participant(first_name="Alice", last_name="Martin")
    log_in(page, leader.email)

    # The quote, from the trip's page.
    page.goto("/expeditions/slush-helsinki/")
    page.get_by_role("link", name="Demander un devis pour votre organisation (PDF)").click()
    page.get_by_label("Nombre de places").fill("3")
    page.get_by_label("Organisation à facturer").fill("PME Exemple SAS")
    page.get_by_label("Adresse de facturation").fill("12 rue de la Paix\n75002 Paris")
    page.get_by_label("SIRET ou numéro de TVA").fill(VALID_SIRET)
    page.get_by_role("button", name="Émettre le devis").click()
    quote = Document.objects.get(kind="quote")
    expect(page.locator(".messages")).to_contain_text(f"Le devis {quote.number} est prêt")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"PDF — Devis {quote.number}").click()
    assert download.value.suggested_filename == f"{quote.number}.pdf"

    # She registers: the place is confirmed and invoiced at once.
    page.goto("/expeditions/slush-helsinki/")
    page.get_by_role("button", name="S’inscrire").click()
    page.get_by_label("Nom tel qu’inscrit sur le passeport").fill("MARTIN Alice")
    page.get_by_label("Organisation facturée").fill("PME Exemple SAS")
    page.get_by_label("Adresse de facturation").fill("12 rue de la Paix\n75002 Paris")
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.locator(".messages")).to_contain_text("Votre inscription est confirmée.")
    invoice = Document.objects.get(kind="invoice")
    page.goto("/me/#me-billing")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"PDF — Facture {invoice.number}").click()
    filename, xml = get_xml_from_pdf(open(download.value.path(), "rb").read(), check_xsd=True)
    assert filename == "factur-x.xml" and invoice.number.encode() in xml and b"2280.00" in xml
