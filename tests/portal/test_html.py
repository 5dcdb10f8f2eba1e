"""Valid HTML from the first page: the shared kernel's pages pass the Nu HTML Checker."""

import pytest

from portal.models import Notification
from tests.factories import UserFactory, complete_profile
from tests.html_validation import validate_pages

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/en/", "/legal/", "/privacy/", "/en/privacy/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/no-such-page/"]
PRIVATE = ["/me/", "/me/profile/", "/me/notifications/", "/me/preferences/", "/me/data/", "/me/delete/", "/en/me/", "/accounts/email/", "/accounts/2fa/"]


def test_shared_pages_are_valid_html(client):
    pages = {url: client.get(url).content.decode() for url in PUBLIC}
    user = UserFactory()
    complete_profile(user)
    Notification.objects.create(user=user, kind="k", recipient_email=user.email, subject="Bienvenue", body_text="b")
    client.force_login(user)
    pages.update({url: client.get(url).content.decode() for url in PRIVATE})
    assert validate_pages(pages) == []
