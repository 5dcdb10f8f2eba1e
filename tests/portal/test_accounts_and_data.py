"""Accounts, profile completion, Mon espace, personal-data download and account deletion."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from portal.models import Notification, Profile
from tests.factories import PASSWORD, UserFactory, audience, complete_profile, region

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_signup_requires_email_verification_before_login(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.leader@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.leader@example.org")
    assert EmailAddress.objects.get(user=user).verified is False
    assert Profile.objects.filter(user=user).exists()
    # The confirmation went through the outbox, in French.
    row = Notification.objects.get(recipient_email="new.leader@example.org")
    assert row.kind == "account.email_confirmation_signup"
    assert row.language == "fr"
    response = client.post(reverse("account_login"), {"login": "new.leader@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_login_by_email_lands_in_my_space(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("me:dashboard")


def test_failed_logins_are_rate_limited(client):
    user = UserFactory()
    pages = [
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"}).content.decode()
        for _ in range(6)
    ]
    assert "Trop de tentatives de connexion" not in pages[0]
    assert "Trop de tentatives de connexion" in pages[-1]
    # Even the right password is refused while the limit holds.
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200


def test_profile_form_explains_missing_fields_in_french(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("me:profile"), {"first_name": "", "last_name": "Durand", "language": "fr"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_profile_completion_returns_to_next(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("me:profile"),
        {
            "first_name": "Camille",
            "last_name": "Durand",
            "organisation": "Atelier Durand",
            "job_title": "Gérante",
            "audience": audience().pk,
            "region": region().pk,
            "company_size": "micro",
            "language": "fr",
            "next": "/expeditions/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/expeditions/"
    user.profile.refresh_from_db()
    assert user.profile.is_complete


def test_profile_next_refuses_external_redirects(client):
    user = UserFactory()
    profile = complete_profile(user)
    client.force_login(user)
    data = {
        "first_name": "A", "last_name": "B", "organisation": "O", "job_title": "J",
        "audience": profile.audience_id, "region": profile.region_id, "language": "fr",
        "next": "https://evil.example.com/",
    }
    response = client.post(reverse("me:profile"), data)
    assert response["Location"] == reverse("me:dashboard")


def test_download_my_data_contains_my_profile_and_notifications(client):
    user = UserFactory(first_name="Camille")
    complete_profile(user)
    Notification.objects.create(user=user, kind="k", recipient_email=user.email, subject="Bienvenue", body_text="b")
    client.force_login(user)
    response = client.post(reverse("me:data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="medef-numerique-mes-donnees-')
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["account"]["first_name"] == "Camille"
    assert data["account"]["profile"]["organisation"] == "PME Exemple SAS"
    assert [n["subject"] for n in data["notifications"]["notifications"]] == ["Bienvenue"]


def test_download_my_data_has_what_deletion_erases_mails_sent_before_the_account_existed(client):
    user = UserFactory()
    Notification.objects.create(kind="account.unknown_account", recipient_email=user.email.upper(), subject="Compte inconnu", body_text="b")
    Notification.objects.create(user=user, kind="k", recipient_email=user.email, subject="Bienvenue", body_text="b")
    Notification.objects.create(kind="account.unknown_account", recipient_email="someone.else@example.org", subject="Autre", body_text="b")
    client.force_login(user)
    data = json.loads(client.post(reverse("me:data")).content)
    assert [n["subject"] for n in data["notifications"]["notifications"]] == ["Compte inconnu", "Bienvenue"]


def test_delete_account_needs_the_password_and_erases_everything(client):
    user = UserFactory()
    Notification.objects.create(user=user, kind="k", recipient_email=user.email, subject="s", body_text="b")
    client.force_login(user)
    refused = client.post(reverse("me:delete"), {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post(reverse("me:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not Notification.objects.filter(recipient_email=user.email).exists()
    assert client.get(reverse("me:dashboard")).status_code == 302  # logged out


def test_my_space_has_a_constant_number_of_queries(client, django_assert_num_queries):
    user = UserFactory()
    complete_profile(user)
    client.force_login(user)
    client.get(reverse("me:dashboard"))  # warm caches (content types, site)
    for count in (1, 30):
        Notification.objects.bulk_create(
            Notification(user=user, kind="k", recipient_email=user.email, subject=f"s{i}", body_text="b") for i in range(count)
        )
        # Session, user, profile, unread count, latest notifications, every app's section and its
        # "to do" (trips' offers, contest drafts and jury duties, courses to resume: +4).
        # (the person's courses, diagnostics and juror roles are read once for the section and the
        # to-do list; the profile's person is the one logged in, not read again)
        with django_assert_num_queries(19):  # billing: +1 (quotes and invoices); contests: +1 for the invitations waiting for an answer; diagnostic: +1; groups: +1
            assert client.get(reverse("me:dashboard")).status_code == 200


def test_password_reset_mail_goes_through_the_outbox(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert Notification.objects.get(recipient_email=user.email).kind == "account.password_reset_key"
    assert len(mail.outbox) == 1




def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_password_reset_from_a_french_page_is_written_in_the_account_s_english(client):
    user = UserFactory(language="en")
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    row = Notification.objects.get(recipient_email=user.email)
    assert (row.kind, row.language, row.user) == ("account.password_reset_key", "en", user)
    assert row.subject == "[Medef numérique] Password Reset Email"
    assert "Click the link below to reset your password." in row.body_text
    [link] = _links(row.body_text)
    assert re.fullmatch(rf"http://testserver/en/accounts/password/reset/key/{user_pk_to_url_str(user)}-[\w-]+/", link)
    # The link opens the form to choose a new password, in English.
    response = client.get(link.removeprefix("http://testserver"), follow=True)
    assert response.redirect_chain[-1][0].startswith("/en/accounts/password/reset/key/")
    assert '<html lang="en">' in response.content.decode()


def test_password_reset_from_an_english_page_is_written_in_the_account_s_french(client):
    user = UserFactory(language="fr")
    client.post("/en/accounts/password/reset/", {"email": user.email})
    row = Notification.objects.get(recipient_email=user.email)
    assert (row.language, row.subject) == ("fr", "[Medef numérique] E-mail de réinitialisation de mot de passe")
    [link] = _links(row.body_text)
    assert link.startswith(f"http://testserver/accounts/password/reset/key/{user_pk_to_url_str(user)}-")


@pytest.mark.parametrize(
    "page, language, subject, signup_link",
    [
        ("/accounts/password/reset/", "fr", "[Medef numérique] Compte inconnu", "http://testserver/accounts/signup/"),
        ("/en/accounts/password/reset/", "en", "[Medef numérique] Unknown Account", "http://testserver/en/accounts/signup/"),
    ],
)
def test_an_address_without_account_is_written_to_in_the_page_s_language(client, page, language, subject, signup_link):
    client.post(page, {"email": "nobody@example.org"})
    row = Notification.objects.get(recipient_email="nobody@example.org")
    assert (row.kind, row.user, row.language, row.subject) == ("account.unknown_account", None, language, subject)
    assert _links(row.body_text) == [signup_link]


def test_a_security_notice_to_a_former_address_is_in_the_account_s_language(client, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True  # off in the portal today; the notice goes to the former address
    user = UserFactory(language="en")
    former = user.email
    EmailAddress.objects.create(user=user, email="new.address@example.org", verified=True)
    client.force_login(user)
    response = client.post("/accounts/email/", {"email": "new.address@example.org", "action_primary": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "new.address@example.org"
    row = Notification.objects.get(recipient_email=former)
    assert (row.kind, row.user, row.language) == ("account.email_changed", user, "en")
    assert row.subject == "[Medef numérique] Email Changed"
