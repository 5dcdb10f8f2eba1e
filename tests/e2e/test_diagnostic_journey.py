"""An SME leader takes the diagnostic without an account → signs up → sees the result with a
path → follows the recommended MOOC module → Mon espace shows the path's progress. In French,
by keyboard-friendly controls only (labels, buttons, links)."""

import re
import uuid

import pytest
from django.core import mail
from playwright.sync_api import expect

from diagnostic.models import Response, ResponseStatus
from tests.diagnostic.factories import reference_version, rule
from tests.factories import region
from tests.mooc.factories import course_with_lessons

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un-mot-de-passe-solide-7"


def _answer_step(page, *, weakest: bool) -> None:
    """Tick answers in every question of the step: the lowest ones for the weakest dimension."""
    for question in page.locator("fieldset.diag-question").all():
        radios = question.get_by_role("radio").all()
        boxes = question.get_by_role("checkbox").all()
        if radios:
            (radios[0] if weakest else radios[-1]).check()
        elif weakest:
            boxes[-1].check()  # "none of these"
        else:
            for box in boxes[:-1]:
                box.check()
    page.get_by_role("button", name=re.compile("Enregistrer et continuer|Voir mon résultat")).click()


def test_anonymous_diagnostic_then_sign_up_then_the_path_moves_in_my_space(page, live_server):
    reference_version()
    region("bretagne")
    course, run, module, lessons, _quiz = course_with_lessons(text_lessons=1, quiz=False)
    module.title_fr = "Se former au numérique"
    module.save()
    rule(dimension="human", kind="advice", text="Un plan de formation simple change le rapport des équipes aux outils.")
    rule(dimension="human", kind="mooc.module", key=str(module.pk), text="Le premier module aide à former les équipes.")
    address = f"dirigeant-{uuid.uuid4().hex[:8]}@example.org"

    page.goto("/")
    page.get_by_role("button", name="Faire le diagnostic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic de maturité numérique")
    page.get_by_role("button", name="Commencer le diagnostic").click()

    expect(page.get_by_text("Étape 1 sur 7")).to_be_visible()
    page.get_by_label("Secteur d’activité").select_option("C")
    page.get_by_label("10 à 49 salariés").check()
    page.get_by_label("Région").select_option("bretagne")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    titles = ["Stratégie numérique", "Équipement et présence en ligne", "Compétences et équipes", "Données et cybersécurité",
              "Automatisation et intelligence artificielle", "Numérique responsable"]
    for number, title in enumerate(titles, start=2):
        expect(page.get_by_text(f"Étape {number} sur 7")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        if number == 2:  # a forgotten answer: a message, nothing lost
            page.get_by_role("button", name="Enregistrer et continuer").click()
            expect(page.get_by_role("alert")).to_contain_text("Il y a un problème")
        _answer_step(page, weakest=title == "Compétences et équipes")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon résultat de diagnostic")
    expect(page.get_by_text("Un plan de formation simple")).to_be_visible()
    assert Response.objects.count() == 0
    page.get_by_role("link", name="Créer un compte").first.click()

    page.fill("input[name=email]", address)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(live_server.url + "/accounts/confirm-email/" + link.split("/accounts/confirm-email/", 1)[1])
    page.get_by_role("button", name="Confirmer").click()
    page.fill("input[name=login]", address)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    section = page.locator("section", has=page.get_by_role("heading", name="Mon diagnostic de maturité numérique"))
    expect(section).to_contain_text("Étapes faites : 0 sur 1.")
    section.get_by_role("link", name="Voir mon résultat et mon parcours").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon résultat de diagnostic")
    assert Response.objects.get().status == ResponseStatus.COMPLETED
    path = page.locator("section", has=page.get_by_role("heading", name="Mon parcours"))
    expect(path).to_contain_text("Le premier module aide à former les équipes.")
    path.get_by_role("link", name="Se former au numérique").click()

    page.get_by_role("button", name="S’inscrire").click()
    page.wait_for_url(re.compile(rf"/lessons/{lessons[0].pk}/$"))
    page.get_by_role("button", name="Marquer comme terminée et continuer").click()

    page.goto("/me/")
    section = page.locator("section", has=page.get_by_role("heading", name="Mon diagnostic de maturité numérique"))
    expect(section).to_contain_text("Étapes faites : 1 sur 1.")
    expect(section.get_by_text("fait :", exact=False)).to_have_count(1)
