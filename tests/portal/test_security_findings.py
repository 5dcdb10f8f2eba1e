"""What an outside test of the portal found on accounts and personal pages, each reproduced here."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from portal.models import Notification, Profile
from tests.factories import PASSWORD, UserFactory, audience, region

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"  # 313 characters: a valid shape, too long for us


def test_password_reset_with_an_address_longer_than_254_characters_is_refused_with_a_message(client):
    assert len(LONG_EMAIL) > 254
    response = client.post(reverse("account_reset_password"), {"email": LONG_EMAIL})
    assert response.status_code == 200
    assert "254" in response.content.decode()
    assert not Notification.objects.exists()


def test_signup_with_an_address_longer_than_254_characters_is_refused_with_a_message(client):
    response = client.post(reverse("account_signup"), {"email": LONG_EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200
    assert "254" in response.content.decode()
    assert not Notification.objects.exists()


def _profile_data(**extra):
    return {
        "first_name": "Camille", "last_name": "Durand", "organisation": "Atelier Durand", "job_title": "Gérante",
        "audience": audience().pk, "region": region().pk, "company_size": "micro", "language": "fr", **extra,
    }


@pytest.mark.parametrize("target", ["-1", "foo", "me:delete", "javascript:alert(1)", "//evil.example/", "https://evil.example/"])
def test_profile_saved_with_a_next_that_is_not_a_local_path_returns_to_my_space(client, target):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("me:profile"), _profile_data(next=target))
    assert (response.status_code, response["Location"]) == (302, reverse("me:dashboard"))
    assert Profile.objects.get(user=user).organisation == "Atelier Durand"


def test_profile_saved_with_a_local_next_goes_there(client):
    client.force_login(UserFactory())
    response = client.post(reverse("me:profile"), _profile_data(next="/expeditions/?page=2"))
    assert (response.status_code, response["Location"]) == (302, "/expeditions/?page=2")


@pytest.mark.parametrize("name", ["me:dashboard", "me:profile", "me:notifications", "me:preferences", "me:data", "me:delete"])
def test_personal_pages_are_never_stored_by_a_shared_cache(client, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_the_data_download_is_never_stored_by_a_shared_cache(client):
    client.force_login(UserFactory())
    response = client.post(reverse("me:data"))
    assert response["Content-Type"].startswith("application/json")
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_failed_logins_from_one_address_do_not_lock_the_account_for_its_owner_elsewhere(client):
    user = UserFactory()
    attacker = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(6):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"}, **attacker)
    refused = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, **attacker)
    assert refused.status_code == 200  # the guesser stays locked out, even with the right password
    assert "Trop de tentatives de connexion" in refused.content.decode()
    owner = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert (owner.status_code, owner["Location"]) == (302, reverse("me:dashboard"))


class CountingHasher(PBKDF2PasswordHasher):
    """Django's own hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password, salt, iterations=None):
        type(self).calls += 1
        return super().encode(password, salt, iterations)


def test_signup_hashes_the_password_for_a_known_address_as_for_a_new_one(client, settings):
    """Timing enumeration (finding 4): the work, hence the time, is the same for both addresses.
    (Times themselves are measured by scripts/benchmark_signup.py, never asserted here.)"""
    settings.PASSWORD_HASHERS = ["tests.portal.test_security_findings.CountingHasher"]
    known = UserFactory()
    hashes = {}
    for email in ("brand.new@example.org", known.email):
        CountingHasher.calls = 0
        response = client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
        assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
        hashes[email] = CountingHasher.calls
        client.logout()
    assert hashes["brand.new@example.org"] >= 1
    assert hashes[known.email] == hashes["brand.new@example.org"]
