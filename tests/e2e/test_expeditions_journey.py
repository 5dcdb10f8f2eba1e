"""Browse → register → Mon espace → cancel → the first waitlisted person is offered the place
(e-mail captured) and accepts it."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from expeditions import services
from expeditions.models import Registration
from tests.expeditions.factories import ExpeditionFactory, ProgrammeItemFactory, destination, participant
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_register_cancel_and_the_waiting_list_takes_the_place(page, browser, live_server):
    expedition = ExpeditionFactory(
        capacity=1, destination=destination("etats-unis"), city="Las Vegas", time_zone="America/Los_Angeles",
        title_fr="Délégation française au CES de Las Vegas", slug="ces-las-vegas",
    )
    ProgrammeItemFactory(expedition=expedition, title_fr="Ouverture du salon", host_organisation="CTA")
    alice = participant(first_name="Alice", last_name="Martin")
    bob = participant(first_name="Bob", last_name="Durand")

    # Alice browses the catalogue and opens the trip.
    page.goto("/expeditions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning expeditions")
    expect(page.locator(".expedition-card")).to_contain_text("1 place restante")
    page.get_by_role("link", name="Délégation française au CES de Las Vegas").click()
    expect(page.get_by_role("button", name="Se connecter pour s’inscrire")).to_be_visible()

    # She logs in and registers.
    log_in(page, alice.email)
    page.goto("/expeditions/ces-las-vegas/")
    page.get_by_role("button", name="S’inscrire").click()
    page.get_by_label("Nom tel qu’inscrit sur le passeport").fill("MARTIN Alice")
    page.get_by_label("J’accepte de figurer").check()
    page.get_by_role("button", name="Confirmer mon inscription").click()

    # Mon espace shows the confirmed registration.
    expect(page.locator(".messages")).to_contain_text("Votre inscription est confirmée.")
    row = page.locator("table.my-registrations tbody tr")
    expect(row).to_contain_text("Délégation française au CES de Las Vegas")
    expect(row.locator(".registration-status")).to_contain_text("Confirmée")

    # Bob, meanwhile, joins the waiting list.
    waiting = services.registration_create(expedition_id=expedition.pk, user=bob, passport_name="DURAND Bob")
    assert (waiting.status, waiting.waitlist_position) == ("waitlisted", 1)
    mail.outbox.clear()

    # Alice cancels, through the confirmation step that says her place goes to Bob at once.
    row.get_by_role("button", name="Annuler mon inscription… — Délégation française au CES de Las Vegas").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annuler votre inscription")
    expect(page.locator("main")).to_contain_text("Votre place revient aussitôt à la personne suivante de la liste d’attente")
    assert mail.outbox == []  # nothing happened yet
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page.locator(".messages")).to_contain_text("Votre inscription est annulée.")
    expect(page.locator("table.my-registrations .registration-status")).to_contain_text("Annulée")
    offers = [m for m in mail.outbox if m.to == [bob.email]]
    assert len(offers) == 1
    assert offers[0].subject == "Une place vous est proposée : Délégation française au CES de Las Vegas"
    link = re.search(r"https?://\S+", offers[0].body).group(0)

    # Bob follows the link from the e-mail, in his own browser, and accepts.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    bob_page = context.new_page()
    log_in(bob_page, bob.email)
    parsed = urlparse(link)
    bob_page.goto(parsed.path + (f"#{parsed.fragment}" if parsed.fragment else ""))
    bob_row = bob_page.locator("table.my-registrations tbody tr")
    expect(bob_row.locator(".registration-status")).to_contain_text("Place proposée")
    bob_row.get_by_role("button", name="Accepter la place").click()
    expect(bob_page.locator(".messages")).to_contain_text("Vous avez accepté la place.")
    expect(bob_page.locator("table.my-registrations .registration-status")).to_contain_text("Confirmée")
    context.close()
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
