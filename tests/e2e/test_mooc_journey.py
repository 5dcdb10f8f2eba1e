"""Enroll → read a lesson → pass a quiz → the progress bar moves → certificate downloaded →
its code verified; Mon espace shows the course and the certificate."""

import re

import pytest

from mooc.models import Certificate
from tests.factories import PASSWORD, UserFactory
from tests.mooc.factories import course_with_lessons, numeric_question, single_choice_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_learner_journey_to_a_verified_certificate(page, tmp_path):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    lessons[0].title_fr = "Partir des problèmes, pas des outils"
    lessons[0].body_fr = "Listez les **irritants** du quotidien."
    lessons[0].save()
    question, good, bad = single_choice_question(quiz, right="Lister les irritants", wrong="Acheter un logiciel")
    numeric = numeric_question(quiz, answer="2.5", tolerance="0.05")
    user = UserFactory(first_name="Camille", last_name="Martin")

    page.goto(f"/accounts/login/?next=/mooc/{course.slug}/")
    page.fill('input[name="login"]', user.email)
    page.fill('input[name="password"]', PASSWORD)
    page.press('input[name="password"]', "Enter")
    page.wait_for_url(f"**/mooc/{course.slug}/")

    page.get_by_role("button", name="S’inscrire").click()
    page.wait_for_url(re.compile(rf"/mooc/{course.slug}/runs/{run.pk}/lessons/{lessons[0].pk}/$"))
    assert page.locator("#course-progress").get_attribute("value") == "0"
    assert page.locator(".lesson-body strong").inner_text() == "irritants"

    page.get_by_role("button", name="Marquer comme terminée et continuer").click()
    page.wait_for_url(re.compile(rf"/lessons/{quiz.lesson.pk}/$"))
    assert page.locator("#course-progress").get_attribute("value") == "1"
    assert page.locator(".progress-label").first.inner_text() == "50 %"

    page.get_by_label("Lister les irritants").check()
    page.fill(f'input[name="q{numeric.pk}"]', "2,5")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_load_state()
    assert "Quiz réussi avec 100 %." in page.locator(".messages").inner_text()
    assert page.locator("#course-progress").get_attribute("value") == "2"
    assert page.locator(".progress-label").first.inner_text() == "100 %"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mon certificat (PDF)").first.click()
    download = download_info.value
    path = tmp_path / "certificate.pdf"
    download.save_as(path)
    data = path.read_bytes()
    certificate = Certificate.objects.get()
    assert data.startswith(b"%PDF")
    assert download.suggested_filename == f"certificate-{certificate.code}.pdf"
    assert certificate.code.encode() in data

    page.goto(f"/mooc/certificates/{certificate.code}/")
    assert page.get_by_text("Ce certificat est valide.").is_visible()
    assert page.get_by_text("Camille Martin").is_visible()

    page.goto("/me/")
    section = page.locator("section", has=page.get_by_role("heading", name="Mes cours"))
    assert course.title in section.inner_text()
    assert certificate.code in section.inner_text()

    # The digital credential, from Mon espace: a VC-JWT that verifies against the published keys.
    with page.expect_download() as download_info:
        section.get_by_role("link", name="Open Badge").click()
    download = download_info.value
    assert download.suggested_filename == f"open-badge-{certificate.code}.jwt"
    path = tmp_path / "open-badge.jwt"
    download.save_as(path)
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(page.request.get("/.well-known/jwks.json").json())
    claims = jose_jwt.decode(path.read_text(), keys, algorithms=["RS256"]).claims
    assert claims["credentialSubject"]["identifier"][0]["identityHash"] == "Camille Martin"
    assert claims["id"].endswith(f"/mooc/certificates/{certificate.code}/")
    linkedin = section.get_by_role("link", name=re.compile("Ajouter à LinkedIn"))
    assert f"certId={certificate.code}" in linkedin.get_attribute("href")
