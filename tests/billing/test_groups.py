"""A group's places are invoiced to its organisation, for its contact: one invoice per group or per place."""

import pytest

from billing.models import Document, TripBilling
from expeditions import services
from expeditions.services import Colleague
from tests.expeditions.factories import ExpeditionFactory
from tests.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, membership

pytestmark = pytest.mark.django_db


def _group(invoice_per: str, n: int = 3):
    expedition = ExpeditionFactory(price_cents=190000)
    TripBilling.objects.create(expedition=expedition, invoice_per=invoice_per)
    contact = UserFactory()
    organisation = OrganisationFactory()
    membership(organisation, contact)
    group = services.group_register(expedition_id=expedition.pk, contact=contact, organisation_id=organisation.pk,
                                    colleagues=[Colleague(name=f"Collègue {i}", email=f"c{i}@pme.example") for i in range(n)],
                                    po_reference="BC-77")
    return group, contact, organisation


def test_a_per_group_trip_issues_one_invoice_for_the_groups_places_to_the_organisation():
    group, contact, organisation = _group("group")
    invoice = Document.objects.get()
    assert invoice.lines.count() == 3 and invoice.total_excl_vat_cents == 570000
    assert (invoice.contact, invoice.buyer_name, invoice.purchase_order) == (contact, organisation.legal_name, "BC-77")
    assert invoice.buyer_siren == organisation.siret[:9]
    assert ["Collègue 0" in line.description for line in invoice.lines.all()][0]


def test_a_per_registration_trip_issues_one_invoice_per_place_all_for_the_contact():
    group, contact, _organisation = _group("registration")
    invoices = list(Document.objects.all())
    assert len(invoices) == 3 and {i.contact for i in invoices} == {contact}
    assert all(i.lines.count() == 1 for i in invoices)
