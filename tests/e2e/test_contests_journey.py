"""SME leader → company → draft → submit → juror scores → staff publishes → the leader sees "lauréat"."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from contests import services
from contests.models import Edition, Submission, SubmissionState
from portal.models import Notification
from tests.contests.factories import EditionFactory, juror
from tests.factories import PASSWORD, UserFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/$"))


def sign_up(page, live_server, email: str) -> None:
    """Sign up, confirm the address with the e-mailed link, log in."""
    page.context.clear_cookies()
    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    path = re.search(r"/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(live_server.url + path)
    page.locator("main form button[type=submit]").click()
    log_in(page, email)


def test_sme_leader_submits_juror_scores_staff_publishes_leader_sees_laureate(page, live_server):
    region("pays-de-la-loire")
    edition = EditionFactory(slug="concours-2026", title="Concours objets connectés 2026", jurors_per_submission=1)
    jury_member = juror(edition, UserFactory(email="jure@example.org"))
    staff = UserFactory(email="staff@medef.example", is_staff=True, is_superuser=True)

    # The SME leader signs up, registers her company and is told it is eligible.
    sign_up(page, live_server, "dirigeante@pme-angers.example")
    page.goto("/contests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Concours objets connectés")
    page.get_by_role("button", name="Enregistrer mon entreprise").click()
    expect(page.get_by_text("nous ne pouvons pas vérifier que l’entreprise existe", exact=False)).to_be_visible()
    page.locator("#id_legal_name").fill("Capteurs d'Anjou SAS")
    page.locator("#id_siret").fill("732 829 320 00075")  # a typo in the check digit
    page.locator("#id_region").select_option(label="pays-de-la-loire")
    page.locator("#id_headcount").fill("8")
    page.locator("#id_turnover_eur").fill("900000")
    page.locator("#id_created_on").fill("2014-06-01")
    page.locator("#id_independence_declared").check()
    page.get_by_role("button", name="Enregistrer mon entreprise").click()
    # the error summary takes the focus and names the field; the error also stands by the field
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary").get_by_role("link")).to_contain_text("SIRET : Ce numéro SIRET n’est pas valide")
    expect(page.locator("#id_siret_error")).to_contain_text("Ce numéro SIRET n’est pas valide")
    page.locator("#id_siret").fill("732 829 320 00074")
    page.get_by_role("button", name="Enregistrer mon entreprise").click()
    expect(page.get_by_text("Votre entreprise est une micro-entreprise (TPE) : elle peut participer au concours.")).to_be_visible()

    # A draft, then a submission.
    page.get_by_role("button", name="Rédiger un projet pour Concours objets connectés 2026").click()
    page.locator("#id_title").fill("Ruche connectée")
    page.locator("#id_theme").select_option(index=1)
    page.locator("#id_pitch").fill("Une balance connectée qui suit la santé des ruches.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Votre brouillon a été enregistré. Il n’est pas encore soumis.")).to_be_visible()
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.get_by_text("Complétez ces champs avant de soumettre", exact=False)).to_be_visible()  # the draft survives
    page.locator("#id_description").fill("Pesée, température et humidité de la ruche, alertes à l'apiculteur.")
    page.locator("#id_object_function").fill("Mesure le poids, la température et l'humidité.")
    page.locator("#id_connectivity").fill("Sigfox")
    page.locator("#id_target_market").fill("Apiculteurs professionnels")
    page.locator("#id_business_model").fill("Vente du capteur et abonnement")
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.get_by_text("Votre projet a été soumis.", exact=False)).to_be_visible()
    submission = Submission.objects.get(title="Ruche connectée")
    assert submission.state == SubmissionState.SUBMITTED

    # The deadline passes: the sweep hands the project to the jury, balanced assignment.
    Edition.objects.filter(pk=edition.pk).update(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.deadline_sweep() == 1
    assert services.assignments_auto_balance(edition=Edition.objects.get(pk=edition.pk)) == 1

    # The juror scores it in the front-end jury space.
    log_in(page, jury_member.user.email)
    page.goto(f"/contests/{edition.slug}/jury/")
    page.get_by_role("link", name="Ruche connectée").click()
    expect(page.get_by_text("Vous verrez les notes des autres jurés une fois votre propre évaluation remise.")).to_be_visible()
    for field in page.locator("input[name^=score_]").all():
        field.fill("8")
    page.locator("#id_comment").fill("Marché de niche mais bien adressé.")
    page.get_by_role("button", name="Remettre mon évaluation").click()
    expect(page.get_by_text("Votre évaluation a été enregistrée.")).to_be_visible()

    # Staff try to publish during the jury phase: refused, and told why.
    log_in(page, staff.email)
    page.goto(f"/contests/{edition.slug}/ranking/")
    publication = page.locator("section.publication-box")
    expect(publication).to_contain_text("Les résultats se publient pendant la délibération seulement")
    expect(publication.get_by_role("button", name="Préparer la publication", exact=True)).to_have_count(0)
    page.goto(f"/contests/{edition.slug}/publication/")
    expect(page.get_by_role("alert")).to_contain_text("pendant la délibération seulement")
    expect(page.get_by_role("button", name="Préparer la publication (rien n’est envoyé)")).to_have_count(0)

    # They decide, then open the deliberation.
    page.goto(f"/contests/{edition.slug}/ranking/")
    row = page.locator(f"#sub-{submission.pk}")
    expect(row.get_by_role("cell").nth(2)).to_have_text("8,0")
    row.get_by_label("Décision").select_option("laureate")
    row.get_by_label("Rang").fill("1")
    row.get_by_label("Prix", exact=True).fill("Accompagnement à l'industrialisation")
    row.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Décision enregistrée pour « Ruche connectée ».")).to_be_visible()
    page.get_by_role("button", name="Ouvrir la délibération…").click()
    expect(page.locator("main")).to_contain_text("Les évaluations du jury deviennent alors définitives")
    page.get_by_role("button", name="Oui, ouvrir la délibération").click()
    expect(page.get_by_text("La délibération est ouverte.")).to_be_visible()

    # Preparing: every theme without a laureate must be confirmed as such.
    page.get_by_role("button", name="Préparer la publication", exact=True).click()
    expect(page.locator("main")).to_contain_text("n’a pas de lauréat")
    other_themes = [t.theme.name for t in edition.edition_themes.select_related("theme") if t.theme_id != submission.theme_id]
    page.get_by_role("button", name="Préparer la publication (rien n’est envoyé)").click()
    expect(page.locator("main")).to_contain_text(f"Le thème « {other_themes[0]} » n’a pas de lauréat")
    for name in other_themes:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Préparer la publication (rien n’est envoyé)").click()

    # The confirmation page says exactly what will happen; the e-mail waits, held, for staff to read.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirmer la publication")
    expect(page.locator("main")).to_contain_text("Ruche connectée (1) — Capteurs d'Anjou SAS")
    expect(page.locator("main")).to_contain_text("1 e-mail sera envoyé")
    assert Notification.objects.filter(kind="contests.result_laureate", state="held").count() == 1
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.LAUREATE
    assert Edition.objects.get(pk=edition.pk).published_at is None
    page.get_by_role("link", name=re.compile("lauréat", re.IGNORECASE)).click()
    expect(page.locator("pre.email-body")).to_contain_text("Ruche connectée")
    page.get_by_role("link", name="Retour à la publication").click()

    # Cancel once: the held e-mail is deleted, nothing was sent.
    page.get_by_role("button", name="Annuler la préparation (supprimer les e-mails retenus)").click()
    expect(page.get_by_text("Publication annulée : 1 e-mail retenu supprimé, rien n’a été envoyé.", exact=False)).to_be_visible()
    assert Notification.objects.filter(kind="contests.result_laureate").count() == 0

    # Prepare again, and release.
    page.get_by_role("button", name="Préparer la publication", exact=True).click()
    for name in other_themes:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Préparer la publication (rien n’est envoyé)").click()
    page.get_by_role("button", name="Publier les résultats et envoyer 1 e-mail").click()
    expect(page.get_by_text("Résultats publiés : 1 e-mail est en route.")).to_be_visible()

    # The leader sees "lauréat" in Mon espace, on the project and on the public page.
    log_in(page, "dirigeante@pme-angers.example")
    my_project = page.get_by_role("row").filter(has=page.get_by_role("link", name="Ruche connectée", exact=True))
    expect(my_project).to_contain_text(re.compile("lauréat", re.IGNORECASE))
    expect(page.get_by_role("link", name="Félicitations : « Ruche connectée » est lauréat")).to_be_visible()
    page.get_by_role("link", name="Ruche connectée", exact=True).click()
    expect(page.locator("main")).to_contain_text("Lauréat")
    page.goto(f"/contests/{edition.slug}/laureates/")
    expect(page.locator("main")).to_contain_text("Ruche connectée — Capteurs d'Anjou SAS")
