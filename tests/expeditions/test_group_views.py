"""Group pages: who sees what (nobody sees another's registration), bad input on the form,
and query counts that do not grow with the group (1 and 30 colleagues)."""

import pytest
from django.urls import reverse

from expeditions import services
from expeditions.models import GroupRegistration, Registration
from expeditions.services import Colleague
from tests.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, membership

from .factories import ExpeditionFactory, participant

pytestmark = pytest.mark.django_db


def group_of(n, *, capacity=40, contact=None):
    contact = contact or UserFactory()
    organisation = OrganisationFactory()
    membership(organisation, contact)
    expedition = ExpeditionFactory(capacity=capacity)
    group = services.group_register(
        expedition_id=expedition.pk, contact=contact, organisation_id=organisation.pk,
        colleagues=[Colleague(name=f"Collègue {i}", email=f"c{i}@pme.example") for i in range(n)],
    )
    return contact, group


@pytest.mark.parametrize("n", [1, 30])
def test_the_group_page_queries_do_not_grow_with_the_group(client, django_assert_num_queries, n):
    contact, group = group_of(n)
    client.force_login(contact)
    url = reverse("expeditions:group_detail", args=[group.pk])
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("@pme.example</small>") == n


@pytest.mark.parametrize("n", [1, 30])
def test_my_space_queries_do_not_grow_with_the_contact_s_groups(client, django_assert_num_queries, n):
    contact = UserFactory()
    for _ in range(n):
        group_of(2, contact=contact)
    client.force_login(contact)
    client.get(reverse("me:dashboard"))
    with django_assert_num_queries(20):  # billing: +1; the courses, diagnostics and juror roles read once for the section and the to-do list
        response = client.get(reverse("me:dashboard"))
    assert response.content.decode().count("collègues ont accepté") == n


def test_nobody_but_the_contact_sees_the_group_and_the_contact_never_sees_a_colleague_s_details(client):
    contact, group = group_of(2)
    row = group.registrations.get(invited_email="c0@pme.example")
    colleague = participant(email="c0@pme.example")
    services.group_member_accept(token=row.group_token, user=colleague, passport_name="PASSEPORT-SECRET",
                                 dietary_needs="Sans arachide", dietary_consent=True)
    for someone in (colleague, participant(), UserFactory()):
        client.force_login(someone)
        assert client.get(reverse("expeditions:group_detail", args=[group.pk])).status_code == 404
        assert client.post(reverse("expeditions:group_offer", args=[group.pk]), {"answer": "accept"}).status_code == 404
    client.force_login(contact)
    page = client.get(reverse("expeditions:group_detail", args=[group.pk])).content.decode()
    assert "c1@pme.example" in page and "PASSEPORT-SECRET" not in page and "arachide" not in page
    # The colleague sees his or her own registration in Mon espace, not the others'.
    client.force_login(colleague)
    space = client.get(reverse("me:dashboard")).content.decode()
    assert group.expedition.title in space and "c1@pme.example" not in space


def test_the_contact_confirms_then_cancels_a_colleague_s_place_and_nobody_else_can(client):
    contact, group = group_of(2)
    row = group.registrations.get(invited_email="c0@pme.example")
    url = reverse("expeditions:group_cancel", args=[group.pk, row.pk])
    for someone in (participant(), UserFactory()):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Registration.objects.get(pk=row.pk).status == Registration.Status.CONFIRMED
    client.force_login(contact)
    page = client.get(reverse("expeditions:group_detail", args=[group.pk])).content.decode()
    assert url in page and "Annuler cette place…" in page
    confirm = client.get(url).content.decode()
    assert "c0@pme.example" in confirm and "Oui, annuler cette place" in confirm
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("expeditions:group_detail", args=[group.pk])
    assert "La place de c0@pme.example est annulée" in response.content.decode()
    assert Registration.objects.get(pk=row.pk).status == Registration.Status.CANCELLED
    assert group.registrations.get(invited_email="c1@pme.example").status == Registration.Status.CONFIRMED
    assert client.get(url).status_code == 404  # a stale page: no longer cancellable
    again = client.post(url, follow=True).content.decode()
    assert "Cette place n’est plus active." in again


def test_the_invitation_page_lets_only_the_invited_address_answer(client):
    _contact, group = group_of(1)
    row = group.registrations.get()
    url = reverse("expeditions:group_invitation", args=[row.group_token])
    client.force_login(participant())
    response = client.post(url, {"passport_name": "Intrus"})
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.user is None
    colleague = participant(email="c0@pme.example")
    client.force_login(colleague)
    assert client.get(url).status_code == 200
    response = client.post(url, {"passport_name": "MARTIN Claude", "dietary_needs": "Végétarien"})
    assert response.status_code == 400  # dietary needs without consent: said, nothing written
    row.refresh_from_db()
    assert row.user is None
    response = client.post(url, {"passport_name": "MARTIN Claude", "dietary_needs": "Végétarien", "dietary_consent": "on"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.user, row.passport_name, row.dietary_needs) == (colleague, "MARTIN Claude", "Végétarien")
    assert client.get(reverse("expeditions:group_invitation", args=["x" * 10])).status_code == 404
    assert client.get(reverse("expeditions:group_invitation", args=["y" * 43])).status_code == 404


def test_the_group_form_refuses_bad_input_with_a_message_and_writes_nothing(client):
    contact = UserFactory()
    organisation = OrganisationFactory()
    membership(organisation, contact)
    expedition = ExpeditionFactory(capacity=2)
    client.force_login(contact)
    url = reverse("expeditions:group_register", args=[expedition.slug])
    base = {"organisation": organisation.pk, "name_0": "A", "email_0": "a@pme.example"}
    cases = [
        ({**base, "name_1": "A bis", "email_1": "A@pme.example"}, "a@pme.example figure deux fois"),
        ({**base, "name_1": "B", "email_1": "b@pme.example", "name_2": "C", "email_2": "c@pme.example", "mode": "together"},
         "plus grand que l’expédition (2 places)"),
        ({**base, "organisation": OrganisationFactory().pk}, 'class="error-summary"'),
        ({**base, "email_0": "pas-une-adresse"}, 'class="error-summary"'),
    ]
    for data, words in cases:
        response = client.post(url, data)
        assert response.status_code == 400
        assert words in response.content.decode()
    assert (GroupRegistration.objects.count(), Registration.objects.count()) == (0, 0)
    response = client.post(url, {**base, "name_1": "B", "email_1": "b@pme.example"})
    group = GroupRegistration.objects.get()
    assert response["Location"] == reverse("expeditions:group_detail", args=[group.pk])


def test_the_trip_page_says_a_waiting_group_does_not_hold_back_single_people(client):
    expedition = ExpeditionFactory()
    client.force_login(participant())
    page = client.get(expedition.get_absolute_url()).content.decode()
    assert reverse("expeditions:group_register", args=[expedition.slug]) in page
    assert "ne retient pas les personnes seules" in page
