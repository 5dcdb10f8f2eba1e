"""Certificates learners can carry: Open Badges 3.0 credentials (VC-JWT), their published keys,
the revocation status list, the LinkedIn link.

Every credential here is verified with joserfc — a JOSE library independent of the one that
signs (PyJWT) — against the key published at the credential's ``kid``, fetched over HTTP."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from joserfc import jwt as jose_jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, RSAKey

from mooc import services
from mooc.models import Certificate
from portal import checks, credential_keys, personal_data, status_list
from tests.factories import UserFactory
from tests.mooc.factories import CourseRunFactory, course_with_lessons, single_choice_question
from tests.mooc.test_grading import _post

pytestmark = pytest.mark.django_db
KEY_A = credential_keys.generate_private_pem(2048)
KEY_B = credential_keys.generate_private_pem(2048)


@pytest.fixture(autouse=True)
def _signing_key(settings):
    settings.PORTAL_CREDENTIALS_SIGNING_KEY = KEY_A
    settings.PORTAL_CREDENTIALS_RETIRED_KEYS = ""


def _certificate(user=None) -> Certificate:
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    course.effort_hours = 6
    course.save()
    question, good, _bad = single_choice_question(quiz)
    user = user or UserFactory(first_name="Camille", last_name="Martin")
    enrollment = services.enrollment_create(user=user, run=run)
    outcome = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk}))
    assert outcome.certificate is not None
    return outcome.certificate


def _path(url: str) -> str:
    assert url.startswith(settings.PORTAL_BASE_URL), url
    return url[len(settings.PORTAL_BASE_URL):]


def _download(client, certificate) -> str:
    client.force_login(certificate.user)
    response = client.get(reverse("mooc:certificate_credential", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Content-Disposition"] == f'attachment; filename="open-badge-{certificate.code}.jwt"'
    return response.content.decode()


def _header(token: str) -> dict:
    segment = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _verify(client, token: str) -> dict:
    """Verify as an outside verifier would: fetch the JWK the ``kid`` names, check the signature."""
    header = _header(token)
    assert (header["alg"], header["typ"]) == ("RS256", "JWT")
    response = client.get(_path(header["kid"]))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    key = RSAKey.import_key(response.json())
    assert key.as_dict()["kid"] == header["kid"]
    return jose_jwt.decode(token, key, algorithms=["RS256"]).claims


def _status_bit(client, credential: dict) -> bool:
    entry = credential["credentialStatus"]
    token = client.get(_path(entry["statusListCredential"])).content.decode()
    status = _verify(client, token)
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status["credentialSubject"]
    assert (subject["type"], subject["statusPurpose"]) == ("BitstringStatusList", "revocation")
    bitstring = status_list.decode(subject["encodedList"])
    assert len(bitstring) >= 16 * 1024  # the specification's minimum: 16 KB
    return status_list.is_set(bitstring, int(entry["statusListIndex"]))


def test_credential_is_an_open_badge_signed_rs256_that_an_independent_library_verifies(client):
    certificate = _certificate()
    token = _download(client, certificate)
    claims = _verify(client, token)
    assert claims["@context"] == ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    verification_url = f"{settings.PORTAL_BASE_URL}/mooc/certificates/{certificate.code}/"
    assert claims["id"] == claims["jti"] == verification_url
    assert claims["iss"] == claims["issuer"]["id"] == f"{settings.PORTAL_BASE_URL}/mooc/credentials/issuer.json"
    assert claims["nbf"] == int(certificate.issued_at.timestamp())
    subject = claims["credentialSubject"]
    assert subject["identifier"] == [{"type": "IdentityObject", "identityHash": "Camille Martin", "identityType": "name", "hashed": False}]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == certificate.run.course.title_fr
    assert "6" in achievement["criteria"]["narrative"] and "60 %" in achievement["criteria"]["narrative"]
    assert claims["credentialStatus"]["type"] == "BitstringStatusListEntry"
    # The signing key is at least 2048 bits and listed in the JWK Set.
    jwks = client.get("/.well-known/jwks.json").json()
    assert [k["kid"] for k in jwks["keys"]] == [_header(token)["kid"]]
    assert RSAKey.import_key(jwks["keys"][0]).as_dict()["n"]
    assert credential_keys.current_key().public.key_size >= 2048


def test_a_tampered_credential_fails_verification(client):
    token = _download(client, _certificate())
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(BadSignatureError):
        _verify(client, f"{header}.{forged}.{signature}")
    _verify(client, token)  # the genuine one still verifies


def test_revocation_by_staff_is_published_in_the_signed_status_list(client, admin_client):
    certificate = _certificate()
    other = _certificate()
    credential = _verify(client, _download(client, certificate))
    other_credential = _verify(client, _download(client, other))
    assert _status_bit(client, credential) is False
    # The admin's "revoke" action, confirmed with a reason.
    admin_client.post(reverse("admin:mooc_certificate_changelist"), {
        "action": "revoke", "_selected_action": [certificate.pk], "post": "yes", "reason": "Fraude au quiz"})
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert _status_bit(client, credential) is True
    assert _status_bit(client, other_credential) is False
    # Once revoked, no new credential is handed out.
    client.force_login(certificate.user)
    response = client.get(reverse("mooc:certificate_credential", args=[certificate.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("me:dashboard")
    assert "révoqué" in response.content.decode()


def test_erasing_the_account_revokes_the_credential(client):
    certificate = _certificate()
    credential = _verify(client, _download(client, certificate))
    personal_data.user_account_delete(certificate.user)
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.learner_name == ""
    assert _status_bit(client, credential) is True
    assert "révoqué" in client.get(f"/mooc/certificates/{certificate.code}/").content.decode()


def test_the_credential_holds_nothing_beyond_the_public_verification_page(client):
    certificate = _certificate()
    claims = _verify(client, _download(client, certificate))
    page = client.get(_path(claims["id"])).content.decode()
    # What is about this certificate, each shown on its public page:
    shown = {
        "name": claims["credentialSubject"]["identifier"][0]["identityHash"],
        "course": claims["name"],
        "date": datetime.fromisoformat(claims["validFrom"]).astimezone().strftime("%Y-%m-%d"),
        "code": certificate.code,
    }
    for label, value in shown.items():
        assert value in page, label
    assert "Ce certificat est valide." in page
    # ... and nothing else: the top level, the subject and its identifier have exactly these fields;
    # the achievement is the course's public description, linked from the page.
    assert set(claims) == {"@context", "id", "type", "name", "issuer", "validFrom", "credentialSubject", "credentialStatus",
                           "iss", "jti", "nbf"}
    assert set(claims["credentialSubject"]) == {"type", "identifier", "achievement"}
    assert len(claims["credentialSubject"]["identifier"]) == 1
    achievement_url = claims["credentialSubject"]["achievement"]["id"]
    assert f'href="{_path(achievement_url)}"' in page
    public = client.get(_path(achievement_url), HTTP_ACCEPT="application/ld+json").json()
    assert {k: v for k, v in public.items() if k != "@context"} == claims["credentialSubject"]["achievement"]
    token = _download(client, certificate)
    assert str(certificate.grade) not in token and certificate.user.email not in json.dumps(claims)


def test_a_credential_signed_by_a_retired_key_still_verifies_after_rotation(client, settings):
    old = _certificate()
    old_token = _download(client, old)
    old_kid = _header(old_token)["kid"]
    # Rotation: the new key signs, the old one's public part is listed as retired.
    settings.PORTAL_CREDENTIALS_SIGNING_KEY = KEY_B
    settings.PORTAL_CREDENTIALS_RETIRED_KEYS = credential_keys.public_pem(KEY_A)
    new_token = _download(client, _certificate())
    assert _header(new_token)["kid"] != old_kid
    assert _verify(client, old_token)["id"].endswith(f"/{old.code}/")
    _verify(client, new_token)
    kids = [k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"]]
    assert kids == [_header(new_token)["kid"], old_kid]
    keyset = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    jose_jwt.decode(old_token, keyset, algorithms=["RS256"])
    # Without the retired key published, the old credential's kid no longer resolves.
    settings.PORTAL_CREDENTIALS_RETIRED_KEYS = ""
    assert client.get(_path(old_kid)).status_code == 404


def test_only_the_holder_downloads_the_credential(client):
    certificate = _certificate()
    url = reverse("mooc:certificate_credential", args=[certificate.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 404


def test_status_indexes_are_drawn_at_random_once_and_a_taken_one_is_drawn_again(monkeypatch):
    first = _certificate()
    index = first.status_index
    assert (first.status_list, 0 <= index < status_list.LIST_SIZE) == (1, True)
    draws = iter([index, index, 4242])
    monkeypatch.setattr("mooc.services.secrets.randbelow", lambda n: next(draws))
    second = _certificate()
    assert (second.status_list, second.status_index) == (1, 4242)
    services.certificate_status_entry_ensure(certificate=second)
    second.refresh_from_db()
    assert second.status_index == 4242  # allocated once


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_drawing_the_same_index_end_on_different_entries(monkeypatch):
    from portal.locking import race_test
    from tests.concurrency import rendezvous, run_together

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("concurrency is tested on PostgreSQL")
    run = CourseRunFactory()
    certificates = [
        Certificate.objects.create(user=UserFactory(), run=run, code=f"CODE{i}", learner_name="X", grade=80) for i in range(2)
    ]
    draws = {}

    def draw(n):  # each thread's first draw is 7, then 8, 9...
        import threading

        ident = threading.get_ident()
        draws[ident] = draws.get(ident, 6) + 1
        return draws[ident]

    monkeypatch.setattr("mooc.services.secrets.randbelow", draw)
    with race_test(locking=True, pause=rendezvous(2), at="mooc.status_index_drawn"):
        outcome = run_together(lambda c: services.certificate_status_entry_ensure(certificate=c), [(c,) for c in certificates])
    assert outcome.errors == []
    entries = sorted(Certificate.objects.values_list("status_list", "status_index"))
    assert entries == [(1, 7), (1, 8)]


def test_status_list_encoding_is_a_gzipped_base64url_multibase_bitstring():
    encoded = status_list.encode([0, 9, status_list.LIST_SIZE - 1])
    assert encoded.startswith("u") and re.fullmatch(r"u[A-Za-z0-9_-]+", encoded)
    bits = status_list.decode(encoded)
    assert len(bits) == 16384
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000 and bits[-1] == 0b0000_0001
    assert [i for i in range(status_list.LIST_SIZE) if status_list.is_set(bits, i)] == [0, 9, status_list.LIST_SIZE - 1]


def test_certificate_page_and_mon_espace_offer_the_credential_and_linkedin(client):
    certificate = _certificate()
    client.force_login(certificate.user)
    enrollment = certificate.run.enrollments.get()
    credential_url = reverse("mooc:certificate_credential", args=[certificate.pk])
    for page in (client.get(reverse("mooc:progress", args=[enrollment.pk])), client.get(reverse("me:dashboard"))):
        html = page.content.decode()
        assert credential_url in html
        link = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html).group(1)
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        issued = certificate.issued_at.astimezone()
        assert query == {
            "startTask": ["CERTIFICATION_NAME"], "name": [certificate.run.course.title_fr],
            "organizationName": ["Medef — Université du numérique"], "issueYear": [str(issued.year)],
            "issueMonth": [str(issued.month)], "certId": [certificate.code],
            "certUrl": [f"{settings.PORTAL_BASE_URL}/mooc/certificates/{certificate.code}/"],
        }


def test_achievement_page_describes_course_criteria_and_effort_in_the_visitor_language(client):
    certificate = _certificate()
    course = certificate.run.course
    html = client.get(f"/mooc/achievements/{course.slug}/").content.decode()
    assert course.title_fr in html and "6 heures" in html and "60 %" in html
    english = client.get(f"/mooc/achievements/{course.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert course.title_en in english and "6 hours" in english
    assert client.get("/mooc/achievements/no-such-course/").status_code == 404


def test_production_requires_a_signing_key_of_2048_bits(settings):
    settings.DEBUG = settings.TESTING = False
    settings.PORTAL_CREDENTIALS_SIGNING_KEY = ""
    settings.PORTAL_CREDENTIALS_SIGNING_KEY_FILE = ""
    assert [e.id for e in checks.credentials_signing_key_check()] == ["portal.E010"]
    with pytest.raises(credential_keys.SigningKeyMissing):
        credential_keys.signing_private_key()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    settings.PORTAL_CREDENTIALS_SIGNING_KEY = weak
    assert [e.id for e in checks.credentials_signing_key_check()] == ["portal.E011"]
    settings.PORTAL_CREDENTIALS_SIGNING_KEY = KEY_A.replace("\n", "\\n")  # a one-line environment value
    assert checks.credentials_signing_key_check() == []


def test_key_command_generates_and_prints_keys(capsys, tmp_path):
    call_command("credentials_key", "generate", "--bits", "2048")
    pem = capsys.readouterr().out
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    call_command("credentials_key", "public")
    assert capsys.readouterr().out == credential_keys.public_pem(KEY_A)
    call_command("credentials_key", "show")
    assert capsys.readouterr().out.startswith("current\t2048 bits\t" + settings.PORTAL_BASE_URL)
    target = tmp_path / "key.pem"
    call_command("credentials_key", "generate", "--bits", "2048", "--output", str(target))
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("credentials_key", "generate", "--output", str(target))
    with pytest.raises(CommandError):
        call_command("credentials_key", "generate", "--bits", "1024")
