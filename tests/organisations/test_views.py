import pytest
from django.urls import reverse

from organisations.models import Membership, Organisation
from organisations.validators import french_vat_number
from tests.contests.factories import valid_siret
from tests.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, membership

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    siret = valid_siret()
    data = {"legal_name": "Fédération Ouest", "siret": siret, "vat_number": french_vat_number(siret[:9]),
            "legal_form": "association", "billing_address_line1": "3 quai", "billing_postal_code": "44000",
            "billing_city": "Nantes", "billing_country": "FR"}
    data.update(overrides)
    return data


def test_registering_an_organisation_goes_back_where_the_person_came_from(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("organisations:create") + "?next=/expeditions/", form_data(next="/expeditions/"))
    assert response["Location"] == "/expeditions/"
    assert Membership.objects.get().user == user


@pytest.mark.parametrize(("field", "value", "words"), [
    ("vat_number", "FR00303265045", "sa clé ne correspond pas au SIREN"),
    ("vat_number", "FR40303265045", "n’est pas celui de ce SIREN"),
    ("siret", "73282932000075", "clé de contrôle"),
])
def test_a_number_failing_its_check_is_said_on_the_form_and_nothing_is_written(client, field, value, words):
    client.force_login(UserFactory())
    response = client.post(reverse("organisations:create"), form_data(**{field: value}))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize("n", [1, 30])
def test_the_organisation_page_queries_do_not_grow_with_its_members(client, django_assert_num_queries, n):
    organisation = OrganisationFactory()
    users = [UserFactory() for _ in range(n)]
    for user in users:
        membership(organisation, user)
    client.force_login(users[0])
    url = reverse("organisations:detail", args=[organisation.pk])
    client.get(url)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


def test_only_members_see_an_organisation(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("organisations:detail", args=[organisation.pk])).status_code == 404
    assert client.get(reverse("organisations:edit", args=[organisation.pk])).status_code == 404
    assert client.post(reverse("organisations:invite", args=[organisation.pk]), {"email": "x@example.org"}).status_code == 404
