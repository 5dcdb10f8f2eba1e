"""Sign up → verify by the e-mailed link → log in → "Mon espace" in French, then English."""

import re
import uuid

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un-mot-de-passe-solide-7"


def _confirmation_link(address: str, base_url: str) -> str:
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert match, message.body
    # Links are absolute on PORTAL_BASE_URL; the live server listens elsewhere.
    return base_url + "/accounts/confirm-email/" + match.group(0).split("/accounts/confirm-email/", 1)[1]


def test_signup_verify_login_and_my_space_in_french_then_english(page, live_server):
    address = f"dirigeante-{uuid.uuid4().hex[:8]}@example.org"

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accélérer la transformation numérique des entreprises françaises")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    page.get_by_label("Courriel").fill(address)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")

    page.goto(_confirmation_link(address, live_server.url))
    page.get_by_role("button", name="Confirmer").click()

    page.get_by_label("Courriel").fill(address)
    page.get_by_role("textbox", name="Mot de passe", exact=True).fill(PASSWORD)  # "Mot de passe *" on screen
    page.locator("main").get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(live_server.url + "/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_text("Votre profil n'est pas encore complet")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My space")
    expect(page.locator("html")).to_have_attribute("lang", "en")
