"""Issuing quotes, invoices and credit notes; payments; immutability; erasure."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from billing import services
from billing.models import Counter, Document, DocumentKind
from billing.services import BillingError, Buyer
from expeditions import services as expedition_services
from expeditions.models import Registration
from portal.personal_data import user_account_delete
from tests.expeditions.factories import ExpeditionFactory, participant

from .factories import paid_trip, register

pytestmark = pytest.mark.django_db
BUYER = Buyer(name="ETI Exemple SA", address="1 place de la Bourse\n69002 Lyon", siren="732829320",
              vat_number="FR44732829320", purchase_order="PO-9")


def year() -> int:
    return timezone.localdate().year


def test_confirming_a_place_on_a_paid_trip_issues_one_invoice_with_the_buyer_as_at_issue():
    expedition = paid_trip(price_cents=190000)
    registration = register(expedition)
    invoice = Document.objects.get(kind=DocumentKind.INVOICE)
    assert invoice.number == f"F-{year()}-00001"
    assert (invoice.total_excl_vat_cents, invoice.total_vat_cents, invoice.total_incl_vat_cents) == (190000, 38000, 228000)
    assert (invoice.buyer_name, invoice.buyer_siren, invoice.purchase_order) == ("PME Exemple SAS", "732829320", "BC-2026-17")
    assert invoice.buyer_address == "12 rue de la Paix\n75002 Paris"
    assert invoice.user == registration.user
    assert (invoice.service_start, invoice.service_end) == (expedition.starts_on, expedition.ends_on)
    assert invoice.due_date == invoice.issue_date + timedelta(days=30)
    assert "DUPONT Marie" in invoice.lines.get().description
    registration.refresh_from_db()
    assert registration.payment == Registration.Payment.INVOICED


def test_a_free_trip_issues_no_invoice():
    register(ExpeditionFactory(price_cents=0))
    assert not Document.objects.exists()


def test_a_place_awaiting_approval_is_invoiced_when_staff_confirm_it_not_before():
    expedition = paid_trip(requires_approval=True)
    registration = register(expedition)
    assert not Document.objects.exists()
    expedition_services.registration_confirm(registration_id=registration.pk)
    assert Document.objects.filter(kind=DocumentKind.INVOICE, invoiced_registrations__registration=registration).count() == 1


def test_margin_scheme_invoice_shows_no_vat():
    expedition = paid_trip(price_cents=250000, regime="margin")
    register(expedition)
    invoice = Document.objects.get()
    assert (invoice.total_excl_vat_cents, invoice.total_vat_cents, invoice.total_incl_vat_cents) == (250000, 0, 250000)
    assert invoice.vat_regime == "margin"


def test_a_quote_for_a_free_trip_is_refused_with_a_clear_message():
    expedition = ExpeditionFactory(price_cents=0)
    with pytest.raises(BillingError) as refused:
        services.quote_issue(expedition_id=expedition.pk, user=participant(), places=3, buyer=BUYER)
    assert refused.value.code == "free"
    assert "gratuite" in str(refused.value.message)
    assert not Document.objects.exists() and not Counter.objects.exists()


def test_a_quote_is_numbered_dated_and_valid_the_trips_number_of_days():
    expedition = paid_trip(price_cents=420000)
    first = services.quote_issue(expedition_id=expedition.pk, user=participant(), places=3, buyer=BUYER)
    second = services.quote_issue(expedition_id=expedition.pk, user=participant(), places=1, buyer=BUYER)
    assert (first.number, second.number) == (f"D-{year()}-00001", f"D-{year()}-00002")
    assert first.valid_until == first.issue_date + timedelta(days=30)
    assert (first.total_excl_vat_cents, first.total_vat_cents) == (1260000, 252000)
    assert first.lines.get().quantity == 3


@pytest.mark.parametrize("places", [0, 21])
def test_a_quote_for_more_places_than_the_trip_has_is_refused(places):
    expedition = paid_trip()
    with pytest.raises(BillingError) as refused:
        services.quote_issue(expedition_id=expedition.pk, user=participant(), places=places, buyer=BUYER)
    assert refused.value.code == "places"


def test_series_are_separate_per_document_type():
    expedition = paid_trip()
    register(expedition)
    quote = services.quote_issue(expedition_id=expedition.pk, user=participant(), places=1, buyer=BUYER)
    credit = services.invoice_cancel(invoice_id=Document.objects.get(kind="invoice").pk)
    assert quote.number == f"D-{year()}-00001"
    assert credit.number == f"AV-{year()}-00001"


def test_an_issue_rolled_back_gives_its_number_back_no_gap():
    expedition = paid_trip()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.quote_issue(expedition_id=expedition.pk, user=participant(), places=1, buyer=BUYER)
        raise Abort
    quote = services.quote_issue(expedition_id=expedition.pk, user=participant(), places=1, buyer=BUYER)
    assert quote.sequence == 1


def test_a_failing_confirmation_writes_neither_registration_nor_invoice():
    expedition = paid_trip()
    user = participant()
    with pytest.raises(expedition_services.RegistrationError):  # paid trip without billing details
        register(expedition, user, billing_organisation="", billing_address="")
    assert not Registration.objects.exists() and not Document.objects.exists()


def test_an_issued_invoice_is_never_edited_nor_deleted():
    register(paid_trip())
    invoice = Document.objects.get()
    invoice.buyer_name = "Someone else"
    with pytest.raises(ValidationError):
        invoice.save()
    with pytest.raises(ValidationError):
        invoice.delete()
    with pytest.raises(ValidationError):
        Document.objects.all().delete()
    with pytest.raises(ValidationError):
        invoice.lines.get().save()
    assert Document.objects.get().buyer_name == "PME Exemple SAS"


def test_cancelling_an_invoice_issues_one_credit_note_referring_to_it():
    register(paid_trip())
    invoice = Document.objects.get()
    credit = services.invoice_cancel(invoice_id=invoice.pk, reason="Désistement")
    assert credit.kind == DocumentKind.CREDIT_NOTE and credit.corrects == invoice
    assert credit.total_incl_vat_cents == invoice.total_incl_vat_cents
    assert [line.description for line in credit.lines.all()] == [line.description for line in invoice.lines.all()]
    with pytest.raises(BillingError) as twice:
        services.invoice_cancel(invoice_id=invoice.pk)
    assert twice.value.code == "already_cancelled" and credit.number in str(twice.value.message)
    with pytest.raises(BillingError):
        services.invoice_cancel(invoice_id=credit.pk)


def test_staff_record_a_payment_once_and_the_registration_is_paid():
    registration = register(paid_trip())
    invoice = Document.objects.get()
    services.invoice_record_payment(invoice_id=invoice.pk, paid_on=timezone.localdate(), means="transfer", reference="VIR 123")
    invoice.refresh_from_db()
    assert (invoice.payment_means, invoice.payment_reference) == ("transfer", "VIR 123")
    registration.refresh_from_db()
    assert registration.payment == Registration.Payment.PAID
    with pytest.raises(BillingError) as twice:
        services.invoice_record_payment(invoice_id=invoice.pk, paid_on=timezone.localdate(), means="card")
    assert twice.value.code == "already_paid"


def test_a_cancelled_invoice_cannot_be_paid_nor_a_payment_dated_in_the_future():
    register(paid_trip())
    invoice = Document.objects.get()
    with pytest.raises(BillingError) as future:
        services.invoice_record_payment(invoice_id=invoice.pk, paid_on=timezone.localdate() + timedelta(days=1), means="card")
    assert future.value.code == "future"
    services.invoice_cancel(invoice_id=invoice.pk)
    with pytest.raises(BillingError) as cancelled:
        services.invoice_record_payment(invoice_id=invoice.pk, paid_on=timezone.localdate(), means="card")
    assert cancelled.value.code == "cancelled"


def test_account_erasure_keeps_invoices_unlinked_and_erases_quotes():
    expedition = paid_trip()
    registration = register(expedition)
    user = registration.user
    services.quote_issue(expedition_id=expedition.pk, user=user, places=2, buyer=BUYER)
    user_account_delete(user)
    invoice = Document.objects.get()
    assert invoice.kind == DocumentKind.INVOICE and invoice.user is None
    assert invoice.buyer_name == "PME Exemple SAS"


@pytest.mark.parametrize(("typed", "expected"), [
    ("732 829 320 00074", ("732829320", "")),
    ("FR44732829320", ("732829320", "FR44732829320")),
    ("DE123456789", ("", "DE123456789")),
    ("n/a", ("", "")),
])
def test_what_people_type_as_tax_id_gives_siren_and_vat_number(typed, expected):
    assert services.split_tax_id(typed) == expected


def test_an_organisation_as_buyer_prints_its_legal_details():
    from types import SimpleNamespace

    organisation = SimpleNamespace(
        legal_name="ETI Exemple SA", siret="73282932000074", vat_number="FR 44 732829320", legal_form="sa",
        get_legal_form_display=lambda: "SA (public limited company)", billing_address_line1="1 place de la Bourse",
        billing_address_line2="", billing_postal_code="69002", billing_city="Lyon", billing_country="FR")
    buyer = services.buyer_for_organisation(organisation, purchase_order=" PO-7 ")
    assert buyer == Buyer(name="ETI Exemple SA", address="1 place de la Bourse\n69002 Lyon", country="FR",
                          siren="732829320", vat_number="FR44732829320", legal_form="SA (public limited company)",
                          purchase_order="PO-7")


def test_a_person_gets_at_most_twenty_quotes_a_day():
    expedition = paid_trip()
    user = participant()
    for _ in range(services.QUOTES_PER_DAY):
        services.quote_issue(expedition_id=expedition.pk, user=user, places=1, buyer=BUYER)
    with pytest.raises(BillingError) as refused:
        services.quote_issue(expedition_id=expedition.pk, user=user, places=1, buyer=BUYER)
    assert refused.value.code == "too_many"
    assert services.quote_issue(expedition_id=expedition.pk, user=participant(), places=1, buyer=BUYER).sequence == 21


def test_a_groups_confirmed_places_get_one_invoice_with_one_line_each_for_the_contact():
    expedition = paid_trip(requires_approval=True, price_cents=100000)
    members = [register(expedition) for _ in range(3)]
    Registration.objects.filter(pk__in=[r.pk for r in members[:2]]).update(status="confirmed")  # the group's confirmation
    contact = participant()
    members = list(Registration.objects.filter(pk__in=[r.pk for r in members]).select_related("user", "expedition"))
    invoice = services.invoice_for_registrations(registrations=members, contact=contact)
    assert invoice.lines.count() == 2 and invoice.total_excl_vat_cents == 200000
    assert (invoice.contact, invoice.user) == (contact, None)
    assert services.invoice_for_registrations(registrations=members[:2], contact=contact) is None  # already invoiced


def test_check_deploy_warns_while_the_sellers_details_are_placeholders():
    from tests.portal.test_platform import PRODUCTION_ENV, _manage

    env = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith("BILLING_")}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode != 0 and "billing.W001" in result.stdout + result.stderr
