"""Asking a quote, downloading one's documents in Mon espace, staff's read-only admin and export."""

import pytest
from django.urls import reverse
from django.utils import timezone
from facturx import get_xml_from_pdf

from billing import services
from billing.models import Document, DocumentKind
from tests.expeditions.factories import ExpeditionFactory, participant
from tests.factories import UserFactory

from .factories import VALID_SIRET, paid_trip, register

pytestmark = pytest.mark.django_db
BUYER = services.Buyer(name="ETI Exemple SA", address="1 place de la Bourse\n69002 Lyon")


def test_the_participant_downloads_the_factur_x_invoice_nobody_else_does(client):
    registration = register(paid_trip())
    invoice = Document.objects.get()
    url = reverse("billing:document_pdf", args=[invoice.pk])
    client.force_login(registration.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    assert get_xml_from_pdf(response.content, check_xsd=False)[0] == "factur-x.xml"
    client.force_login(participant())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True))  # staff without the permission
    assert client.get(url).status_code == 404


def test_the_buyers_contact_downloads_the_invoice_too(client):
    register(paid_trip())
    contact = participant()
    Document.objects.filter(pk=Document.objects.get().pk).update(contact=contact)
    client.force_login(contact)
    assert client.get(reverse("billing:document_pdf", args=[Document.objects.get().pk])).status_code == 200


def test_a_person_asks_a_quote_and_finds_it_in_mon_espace(client):
    expedition = paid_trip(price_cents=420000)
    user = participant()
    client.force_login(user)
    url = reverse("billing:quote_request", args=[expedition.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"places": "3", "organisation": "ETI Exemple SA", "address": "1 place de la Bourse\n69002 Lyon",
                                 "tax_id": VALID_SIRET, "purchase_order": "PO-1"})
    assert response.status_code == 302 and response["Location"].endswith("#me-billing")
    quote = Document.objects.get(kind=DocumentKind.QUOTE)
    assert (quote.user, quote.buyer_siren, quote.lines.get().quantity) == (user, "732829320", 3)
    page = client.get(reverse("me:dashboard")).content.decode()
    assert quote.number in page and reverse("billing:document_pdf", args=[quote.pk]) in page


def test_a_quote_with_a_wrong_siret_is_refused_with_the_reason_and_nothing_issued(client):
    expedition = paid_trip()
    client.force_login(participant())
    response = client.post(reverse("billing:quote_request", args=[expedition.slug]),
                           {"places": "2", "organisation": "ETI", "address": "1 rue A\n69001 Lyon", "tax_id": "73282932000075"})
    assert response.status_code == 200
    assert "SIRET" in response.content.decode()
    assert not Document.objects.exists()


def test_a_quote_for_more_places_than_the_trip_has_says_so(client):
    expedition = paid_trip(capacity=5)
    client.force_login(participant())
    response = client.post(reverse("billing:quote_request", args=[expedition.slug]),
                           {"places": "6", "organisation": "ETI", "address": "1 rue A\n69001 Lyon"})
    assert response.status_code == 200 and "5" in response.content.decode()
    assert not Document.objects.exists()


def test_a_quote_for_a_free_trip_sends_back_to_the_trip_with_a_message(client):
    expedition = ExpeditionFactory(price_cents=0)
    client.force_login(participant())
    response = client.get(reverse("billing:quote_request", args=[expedition.slug]), follow=True)
    assert response.redirect_chain[-1][0] == expedition.get_absolute_url()
    assert any("gratuit" in str(m).lower() or "free" in str(m).lower() for m in response.context["messages"])


@pytest.mark.parametrize("count", [1, 30])
def test_mon_espace_lists_documents_with_a_constant_number_of_queries(client, django_assert_num_queries, count):
    from billing.dashboard import me_section_context

    user = participant()
    expedition = paid_trip()
    for _ in range(count):
        services.quote_issue(expedition_id=expedition.pk, user=None, places=1, buyer=BUYER)
    Document.objects.update(user=user)  # past the 20 quotes a day one person may ask

    class Request:
        pass

    request = Request()
    request.user = user
    with django_assert_num_queries(1):
        data = me_section_context(request)
    assert len(data["documents"]) == count


def test_the_admin_never_edits_nor_deletes_an_issued_document(admin_client):
    register(paid_trip())
    invoice = Document.objects.get()
    change = admin_client.get(reverse("admin:billing_document_change", args=[invoice.pk]))
    assert change.status_code == 200 and b'name="buyer_name"' not in change.content
    assert admin_client.post(reverse("admin:billing_document_delete", args=[invoice.pk]), {"post": "yes"}).status_code == 403
    assert Document.objects.filter(pk=invoice.pk).exists()


def test_staff_cancel_an_invoice_from_the_admin_after_a_confirmation_page(admin_client):
    register(paid_trip())
    invoice = Document.objects.get()
    url = reverse("admin:billing_document_changelist")
    data = {"action": "cancel_with_credit_note", "_selected_action": [invoice.pk]}
    confirm = admin_client.post(url, data)
    assert confirm.status_code == 200 and not Document.objects.filter(kind=DocumentKind.CREDIT_NOTE).exists()
    admin_client.post(url, {**data, "post": "yes", "reason": "Désistement"})
    credit = Document.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert credit.corrects == invoice and credit.reason == "Désistement"


def test_staff_record_a_payment_from_the_admin(admin_client):
    register(paid_trip())
    invoice = Document.objects.get()
    admin_client.post(reverse("admin:billing_document_changelist"), {
        "action": "record_payment", "_selected_action": [invoice.pk], "post": "yes",
        "paid_on": timezone.localdate().strftime("%d/%m/%Y"), "means": "transfer", "reference": "VIR-1"})
    invoice.refresh_from_db()
    assert (invoice.paid_on, invoice.payment_reference) == (timezone.localdate(), "VIR-1")


def test_the_accounting_export_is_formula_safe_and_signs_credit_notes(admin_client):
    register(paid_trip(), billing_organisation="=HYPERLINK(\"http://evil\")")
    invoice = Document.objects.get()
    services.invoice_cancel(invoice_id=invoice.pk)
    services.quote_issue(expedition_id=invoice.expedition_id, user=None, places=1, buyer=BUYER)
    from billing.resources import AccountingResource

    dataset = AccountingResource().export(queryset=Document.objects.exclude(kind=DocumentKind.QUOTE).order_by("pk"))
    rows = dataset.dict
    assert [row[dataset.headers[0]] for row in rows] == [invoice.number, Document.objects.get(kind="credit_note").number]
    buyer_column = [h for h in dataset.headers if "cheteur" in h or "buyer" in h.lower()][0]
    assert all(row[buyer_column].startswith("'=") for row in rows)
    incl = [h for h in dataset.headers if "TTC" in h or "incl" in h.lower()][0]
    assert [str(row[incl]) for row in rows] == ["2280", "-2280"]


@pytest.mark.parametrize("count", [1, 30])
def test_the_documents_changelist_has_a_constant_number_of_queries(admin_client, django_assert_num_queries, count):
    expedition = paid_trip()
    for _ in range(count):
        services.quote_issue(expedition_id=expedition.pk, user=None, places=1, buyer=BUYER)
    url = reverse("admin:billing_document_changelist")
    admin_client.get(url)  # warm the session and the content types
    with django_assert_num_queries(9):
        assert admin_client.get(url).status_code == 200


def test_the_account_deletion_page_and_the_privacy_page_say_invoices_are_kept(client):
    client.force_login(participant())
    assert "conserver dix ans" in client.get(reverse("me:delete")).content.decode()
    privacy = client.get(reverse("privacy")).content.decode()
    assert "Devis et factures" in privacy and "ne sont PAS effacés" in privacy


def test_staff_find_the_invoices_of_cancelled_places_not_yet_credited(admin_client):
    from expeditions import services as expedition_services

    expedition = paid_trip()
    kept, cancelled, credited = register(expedition), register(expedition), register(expedition)
    for registration in (cancelled, credited):
        expedition_services.registration_cancel(registration_id=registration.pk, by_staff=True)
    services.invoice_cancel(invoice_id=credited.invoice_link.document_id)
    response = admin_client.get(reverse("admin:billing_document_changelist"), {"to_credit": "yes"})
    assert [d.pk for d in response.context["cl"].result_list] == [cancelled.invoice_link.document_id]
    assert kept.invoice_link.document_id != cancelled.invoice_link.document_id
