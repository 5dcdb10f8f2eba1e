"""A contact registers three colleagues on a trip with two places left, takes the two and waits for
the third; a colleague completes his or her details from the e-mail's link; staff confirm the
places in the admin; the contact sees the group's state. (The invoice download comes with billing.)"""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from facturx import get_xml_from_pdf
from playwright.sync_api import expect

from billing.models import Document
from expeditions import services
from expeditions.models import Registration
from tests.e2e.test_expeditions_journey import log_in
from tests.expeditions.factories import ExpeditionFactory, participant
from tests.factories import PASSWORD, UserFactory
from tests.organisations.factories import OrganisationFactory, membership

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_contact_registers_three_colleagues_for_two_places_a_colleague_accepts_and_staff_confirm(
        page, browser, live_server, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    expedition = ExpeditionFactory(capacity=3, requires_approval=True, slug="slush-helsinki",
                                   title_fr="Délégation au salon Slush", price_cents=190000)
    first = services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="PREMIER",
                                         billing_organisation="PME", billing_address="1 rue A\n75001 Paris")
    services.registration_confirm(registration_id=first.pk)
    contact = UserFactory(first_name="Claire", last_name="Contact")
    organisation = OrganisationFactory(legal_name="Fédération Numérique Ouest")
    membership(organisation, contact)
    colleague = participant(email="camille@pme.example", first_name="Camille", last_name="Durand")
    mail.outbox.clear()

    # The contact opens the trip and registers the group: two places left for three people.
    log_in(page, contact.email)
    page.goto("/expeditions/slush-helsinki/")
    page.get_by_role("link", name="Inscrire un groupe de collègues pour mon organisation").click()
    expect(page.locator("main")).to_contain_text("2 places restantes")
    for i, (name, email) in enumerate([("Camille Durand", "camille@pme.example"), ("Dominique Petit", "dominique@pme.example"),
                                       ("Sacha Leroy", "sacha@pme.example")]):
        page.get_by_label(f"Collègue {i + 1} : nom").fill(name)
        page.get_by_label(f"Collègue {i + 1} : adresse e-mail").fill(email)
    page.get_by_label("Prendre les places restantes et attendre pour les autres").check()
    page.get_by_role("button", name="Inscrire le groupe").click()
    expect(page.locator(".messages")).to_contain_text("Votre groupe est inscrit")
    expect(page.locator("main")).to_contain_text("Places retenues : 2. En attente : 1.")

    # Camille follows the link of her e-mail, in her own browser, completes her details and accepts.
    invitation = next(m for m in mail.outbox if m.to == ["camille@pme.example"])
    path = urlparse(re.search(r"https?://\S+", invitation.body).group(0)).path
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    camille = context.new_page()
    log_in(camille, colleague.email)
    camille.goto(path)
    camille.get_by_label("Nom tel qu’inscrit sur le passeport").fill("DURAND Camille")
    camille.get_by_role("button", name="Enregistrer mes informations et accepter").click()
    expect(camille.locator(".messages")).to_contain_text("vos informations sont enregistrées")
    expect(camille.locator("table.my-registrations")).to_contain_text("Délégation au salon Slush")
    expect(camille.locator("table.my-registrations")).not_to_contain_text("dominique@pme.example")
    context.close()

    # Staff confirm the two pending places of the group from the admin, through the confirmation step.
    staff = UserFactory(is_staff=True, is_superuser=True)
    staff_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    admin = staff_context.new_page()
    admin.goto(f"/accounts/login/?next=/admin/expeditions/registration/%3Fexpedition__id__exact%3D{expedition.pk}"
               "%26status__exact%3Dpending")
    admin.fill('input[name="login"]', staff.email)
    admin.fill('input[name="password"]', PASSWORD)
    admin.press('input[name="password"]', "Enter")
    expect(admin.locator("#result_list tbody tr")).to_have_count(2)
    admin.locator("#action-toggle").check()
    admin.select_option('select[name="action"]', "confirm")
    admin.locator('button[name="index"]').click()
    admin.get_by_role("button", name="Oui, je confirme").or_(admin.locator('input[value="Oui, je confirme"]')).click()
    expect(admin.locator(".messagelist")).to_contain_text("2")
    staff_context.close()
    assert sorted(Registration.objects.filter(group__isnull=False).values_list("status", flat=True)) == [
        "confirmed", "confirmed", "waitlisted"]

    # The contact sees the group's state: two confirmed, Camille's details done, one waiting.
    page.reload()
    expect(page.locator("main")).to_contain_text("Places retenues : 2. En attente : 1. Proposées : 0. Collègues ayant accepté : 1.")
    expect(page.locator("tbody tr").filter(has_text="camille@pme.example")).to_contain_text("Confirmée")
    expect(page.locator("tbody tr").filter(has_text="camille@pme.example")).to_contain_text("Complétées et acceptées")

    # The contact downloads the invoice of a confirmed place from Mon espace: a Factur-X PDF.
    invoice = Document.objects.filter(contact=contact, kind="invoice").order_by("pk").first()
    assert invoice.buyer_name == "Fédération Numérique Ouest"
    page.goto("/me/#me-billing")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"PDF — Facture {invoice.number}").click()
    with open(download.value.path(), "rb") as pdf:
        assert get_xml_from_pdf(pdf.read(), check_xsd=True)[0] == "factur-x.xml"
