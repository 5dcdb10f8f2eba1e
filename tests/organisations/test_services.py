import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organisations import selectors, services
from organisations.models import Membership, Organisation
from organisations.validators import french_vat_number
from tests.contests.factories import valid_siret
from tests.factories import UserFactory


def details(**overrides):
    siret = overrides.pop("siret", None) or valid_siret()
    data = {"legal_name": "Fédération des PME numériques", "siret": siret, "vat_number": french_vat_number(siret[:9]),
            "legal_form": "association", "billing_address_line1": "12 rue de la Paix", "billing_postal_code": "75002",
            "billing_city": "Paris"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_registering_an_organisation_makes_the_person_its_leader_with_billing_details():
    user = UserFactory()
    data = details()
    data["vat_number"] = " ".join([data["vat_number"][:2].lower(), data["vat_number"][2:4], data["vat_number"][4:]])
    organisation = services.organisation_create(user=user, **data)
    assert organisation.vat_number == details(siret=data["siret"])["vat_number"]  # typed with spaces, stored compact
    assert Membership.objects.get(organisation=organisation).user == user
    assert organisation.has_billing_details
    assert organisation.billing_address_lines == ["12 rue de la Paix", "75002 Paris"]
    assert selectors.organisations_of(user) == [organisation]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "words"), [
    ("siret", "73282932000076", "sa clé de contrôle ne correspond pas"),
    ("vat_number", "FR00303265045", "sa clé ne correspond pas au SIREN"),
    ("vat_number", "FR40303265045", "n’est pas celui de ce SIREN"),
])
def test_a_number_failing_its_check_is_refused_and_nothing_is_written(field, value, words):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(user=UserFactory(), **details(**{field: value}))
    assert words in " ".join(error.value.message_dict[field])
    assert (Organisation.objects.count(), Membership.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_a_siret_is_registered_once_and_the_second_person_is_told_to_ask_for_an_invitation():
    data = details()
    services.organisation_create(user=UserFactory(), **data)
    with pytest.raises(ValidationError) as error:
        services.organisation_create(user=UserFactory(), **data)
    assert "demandez à l’un de ses membres de vous inviter" in error.value.message_dict["siret"][0]
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_only_a_member_changes_the_billing_details():
    leader = UserFactory()
    organisation = services.organisation_create(user=leader, **details())
    with pytest.raises(PermissionDenied):
        services.organisation_update(organisation=organisation, user=UserFactory(), billing_city="Lyon")
    services.organisation_update(organisation=organisation, user=leader, billing_city="Lyon")
    organisation.refresh_from_db()
    assert organisation.billing_city == "Lyon"
    assert organisation.history.count() == 2  # history kept


@pytest.mark.django_db
def test_an_accepted_invitation_makes_a_member_and_the_member_sees_the_organisation():
    leader, colleague = UserFactory(), UserFactory()
    organisation = services.organisation_create(user=leader, **details())
    invitation = services.invitation_create(organisation=organisation, user=leader, email=colleague.email)
    assert selectors.invitations_waiting_for(colleague) == [invitation]
    services.invitation_accept(token=invitation.token, user=colleague)
    assert selectors.organisation_for_member(colleague, organisation.pk) == organisation
    assert selectors.organisation_for_member(UserFactory(), organisation.pk) is None


@pytest.mark.django_db
def test_changes_made_through_the_contest_s_company_are_in_the_organisation_s_history():
    from contests.models import Company
    from tests.contests.factories import CompanyFactory

    company = CompanyFactory(legal_name="Avant")
    company.legal_name = "Après"
    company.save()
    assert list(Organisation.history.filter(id=company.pk).order_by("history_id").values_list("legal_name", "history_type")) \
        == [("Avant", "+"), ("Après", "~")]
    assert Company.history.filter(id=company.pk).count() == 2
