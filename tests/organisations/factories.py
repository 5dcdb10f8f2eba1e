"""Organisations for tests (shared by expeditions' group tests and the billing ones)."""

from __future__ import annotations

import factory

from organisations.models import Membership, Organisation
from organisations.validators import french_vat_number
from tests.contests.factories import valid_siret


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Fédération {n}")
    siret = factory.LazyFunction(valid_siret)
    vat_number = factory.LazyAttribute(lambda o: french_vat_number(o.siret[:9]))
    legal_form = "sas"
    billing_address_line1 = "55 avenue Bosquet"
    billing_postal_code = "75007"
    billing_city = "Paris"


def membership(organisation, user, role=Membership.Role.LEADER) -> Membership:
    return Membership.objects.create(organisation=organisation, user=user, role=role)
