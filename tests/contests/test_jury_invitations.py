"""Accepting a jury invitation: as strict as a colleague's — the invited address, verified, on the
logged-in account (the secret link alone is not enough)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from contests import services
from contests.models import Juror
from tests.contests.factories import EditionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG_ADDRESS = (
    "Cette invitation a été envoyée à une autre adresse. Connectez-vous avec le compte qui l’utilise "
    "(son adresse doit être confirmée)."
)


@pytest.fixture
def invited():
    return services.juror_invite(edition=EditionFactory(), email="Expert@Example.org", name="Expert")


def still_open(juror: Juror) -> tuple:
    juror.refresh_from_db()
    return juror.user_id, juror.accepted_at


def without_secrets(html: str, j: Juror) -> str:
    """The page, minus what differs by design: the address, the link and the per-response CSRF mask."""
    html = html.replace(j.email, "EMAIL").replace(j.token, "TOKEN")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


# --- Service ------------------------------------------------------------------------------------


def test_the_invited_verified_address_accepts_and_accepting_again_is_harmless(invited):
    expert = UserFactory(email="expert@example.org")
    accepted = services.juror_accept(token=invited.token, user=expert)
    assert (accepted.user, accepted.accepted_at is not None) == (expert, True)
    first = accepted.accepted_at
    again = services.juror_accept(token=invited.token, user=expert)
    assert (again.user, again.accepted_at) == (expert, first)


def test_a_verified_secondary_address_is_the_person_s_too(invited):
    expert = UserFactory()
    EmailAddress.objects.create(user=expert, email="EXPERT@example.org", verified=True)
    assert services.juror_accept(token=invited.token, user=expert).user == expert


def test_another_logged_in_account_is_refused_and_the_invitation_stays_open(invited):
    intruder = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.juror_accept(token=invited.token, user=intruder)
    assert exc.value.messages == [WRONG_ADDRESS]
    assert still_open(invited) == (None, None)
    # The invited person can still accept.
    expert = UserFactory(email="expert@example.org")
    assert services.juror_accept(token=invited.token, user=expert).user == expert


def test_the_invited_address_not_verified_is_refused(invited):
    unverified = UserFactory(email="expert@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    with pytest.raises(ValidationError) as exc:
        services.juror_accept(token=invited.token, user=unverified)
    assert exc.value.messages == [WRONG_ADDRESS]
    squatter = UserFactory()
    EmailAddress.objects.create(user=squatter, email="expert@example.org", verified=False)
    with pytest.raises(ValidationError):
        services.juror_accept(token=invited.token, user=squatter)
    assert still_open(invited) == (None, None)


# --- Page ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_and_back(client, invited):
    url = reverse("contests:jury_accept", args=[invited.token])
    for response in (client.get(url), client.post(url)):
        assert (response.status_code, response["Location"]) == (302, f"{reverse('account_login')}?next={url}")
    assert still_open(invited) == (None, None)


def test_the_invitee_sees_the_button_and_joins_the_jury(client, invited):
    expert = UserFactory(email="expert@example.org")
    client.force_login(expert)
    url = reverse("contests:jury_accept", args=[invited.token])
    assert "Accepter l’invitation" in client.get(url).content.decode()
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, reverse("contests:jury", args=[invited.edition.slug]))
    assert still_open(invited)[0] == expert.pk
    assert "Vous avez accepté cette invitation." in client.get(url).content.decode()


def test_another_account_sees_no_button_and_is_refused_with_a_message(client, invited):
    client.force_login(UserFactory())
    url = reverse("contests:jury_accept", args=[invited.token])
    page = client.get(url).content.decode()
    assert "Accepter l’invitation" not in page
    assert "Vous êtes connecté avec une autre adresse" in page
    response = client.post(url)
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == [WRONG_ADDRESS]
    assert still_open(invited) == (None, None)


def test_the_refusal_does_not_tell_whether_an_account_uses_the_address(client):
    edition = EditionFactory()
    UserFactory(email="known@example.org")
    known = services.juror_invite(edition=edition, email="known@example.org")
    unknown = services.juror_invite(edition=edition, email="unknown@example.org")
    client.force_login(UserFactory())
    answers = []
    for j in (known, unknown):
        url = reverse("contests:jury_accept", args=[j.token])
        page = client.get(url)
        response = client.post(url)
        answers.append((
            page.status_code, without_secrets(page.content.decode(), j),
            response.status_code, [str(m) for m in response.context["messages"]],
        ))
    assert answers[0] == answers[1]
    assert answers[0][2:] == (400, [WRONG_ADDRESS])
    assert Juror.objects.filter(user__isnull=False).count() == 0
