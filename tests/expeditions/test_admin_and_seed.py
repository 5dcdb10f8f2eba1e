"""Staff side: admin changelists, actions through the services, capacity error, exports,
imports with dry run, history; and the demo seed."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from expeditions import services
from expeditions.models import Destination, Expedition, Registration
from tests.factories import UserFactory

from .factories import ExpeditionFactory, ProgrammeItemFactory, admin_form_data, participant

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def register(expedition, user=None, **kwargs):
    user = user or participant()
    return services.registration_create(expedition_id=expedition.pk, user=user, passport_name=user.last_name, **kwargs)


@pytest.mark.parametrize("n", [1, 30])
def test_registration_changelist_queries_do_not_grow(staff_client, django_assert_num_queries, n):
    expedition = ExpeditionFactory(capacity=5)
    for _ in range(n):
        register(expedition)
    # no second COUNT of the whole table (show_full_result_count); the list is counted by the
    # counts per status shown above it (one GROUP BY, not a COUNT and a GROUP BY)
    with django_assert_num_queries(8):
        response = staff_client.get(reverse("admin:expeditions_registration_changelist"))
    assert response.status_code == 200
    assert response.context_data["cl"].result_count == n
    assert sum(count for _label, count in response.context_data["status_counts"]) == n


@pytest.mark.parametrize("query", ["", "o=5", "o=-2.5", "status__exact=waitlisted", "q=paris"])
def test_registration_changelist_pages_show_each_row_once_in_the_list_s_order(staff_client, monkeypatch, query):
    """Pages after the first are read by ids first, then joined: every row on exactly one page,
    in the order the list shows, sorted, filtered or searched alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from expeditions.admin import RegistrationAdmin

    monkeypatch.setattr(RegistrationAdmin, "list_per_page", 3)
    small = ExpeditionFactory(capacity=1)
    for i in range(5):
        register(small, participant(email=f"paris{i}@pme.example"))
    for _ in range(4):
        register(ExpeditionFactory(capacity=9))
    url = reverse("admin:expeditions_registration_changelist")
    whole = staff_client.get(f"{url}?{query}&all=").context_data["cl"]
    expected = [r.pk for r in whole.result_list]
    assert len(expected) == whole.result_count > 3
    shown, queries = [], set()
    for page in range(1, (len(expected) + 2) // 3 + 1):
        with CaptureQueriesContext(connection) as captured:
            cl = staff_client.get(f"{url}?{query}&p={page}").context_data["cl"]
            rows = list(cl.result_list)
            assert len(rows) <= 3 and all(row.user.email and row.expedition.title for row in rows)
        queries.add(len(captured))
        shown += [row.pk for row in rows]
    assert shown == expected
    assert len(queries) == 1  # every page costs what the first does (the rows joined in the page's query)


@pytest.mark.parametrize("n", [1, 30])
def test_expedition_changelist_queries_do_not_grow(staff_client, django_assert_num_queries, n):
    for _ in range(n):
        register(ExpeditionFactory())
    with django_assert_num_queries(9):
        response = staff_client.get(reverse("admin:expeditions_expedition_changelist"))
    assert response.status_code == 200


def test_expedition_change_page_shows_counts_and_refuses_capacity_below_taken(staff_client):
    expedition = ExpeditionFactory(capacity=3)
    ProgrammeItemFactory(expedition=expedition)
    register(expedition)
    register(expedition)
    url = reverse("admin:expeditions_expedition_change", args=[expedition.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "Confirmée: 2" in page.content.decode()
    form = page.context["adminform"].form
    data = admin_form_data(form, expedition, capacity="99", new_capacity="1")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "ne peut pas être inférieure aux 2 places déjà prises" in response.content.decode()
    assert "expedition_places_within_capacity" not in response.content.decode()  # the check constraint speaks French too
    expedition.refresh_from_db()
    assert expedition.capacity == 3


def test_registration_actions_call_the_services(staff_client):
    expedition = ExpeditionFactory(capacity=1, requires_approval=True)
    pending = register(expedition)
    waiting = register(expedition)
    url = reverse("admin:expeditions_registration_changelist")
    # First the confirmation page, which says what will happen and changes nothing.
    page = staff_client.post(url, {"action": "refuse", "_selected_action": [pending.pk]})
    assert page.status_code == 200
    assert "vont aussitôt aux personnes suivantes de la liste d’attente" in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    staff_client.post(url, {"action": "refuse", "_selected_action": [pending.pk], "post": "yes"})
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert (pending.status, waiting.status) == (S.REFUSED, S.OFFERED)
    staff_client.post(url, {"action": "cancel", "_selected_action": [waiting.pk], "post": "yes"})
    waiting.refresh_from_db()
    assert waiting.status == S.CANCELLED
    response = staff_client.post(url, {"action": "confirm", "_selected_action": [waiting.pk], "post": "yes"}, follow=True)
    assert response.status_code == 200  # refused transition → error message, no 500


def test_payment_state_has_no_side_door_in_the_registrations_list(staff_client):
    """The payment state follows billing's documents: no bulk action marks a place invoiced or
    paid without an invoice or a recorded payment (and the field is read-only in the form)."""
    expedition = ExpeditionFactory(price_cents=190000)
    registration = Registration.objects.create(
        expedition=expedition, user=participant(), passport_name="X", status=S.CONFIRMED, payment=Registration.Payment.DUE,
    )
    url = reverse("admin:expeditions_registration_changelist")
    offered = {value for value, _label in staff_client.get(url).context["action_form"].fields["action"].choices}
    assert not offered & {"mark_invoiced", "mark_paid"}
    for action in ("mark_invoiced", "mark_paid"):
        staff_client.post(url, {"action": action, "_selected_action": [registration.pk], "post": "yes"})
    registration.refresh_from_db()
    assert registration.payment == Registration.Payment.DUE


def test_staff_message_action_sends_only_on_explicit_submit(staff_client):
    from portal.models import Notification

    expedition = ExpeditionFactory()
    register(expedition)
    url = reverse("admin:expeditions_expedition_changelist")
    page = staff_client.post(url, {"action": "message_registrants", "_selected_action": [expedition.pk]})
    assert page.status_code == 200
    assert Notification.objects.filter(kind="expeditions.staff_message").count() == 0
    staff_client.post(url, {"action": "message_registrants", "_selected_action": [expedition.pk], "send": "1",
                            "subject": "Convocation", "message": "Rendez-vous à 7 h.", "statuses": ["confirmed"]})
    assert Notification.objects.filter(kind="expeditions.staff_message").count() == 1


def test_participants_export_is_csv_with_formulas_neutralised():
    from expeditions.resources import ParticipantResource

    expedition = ExpeditionFactory()
    register(expedition, remarks="=HYPERLINK(\"http://evil\")")
    dataset = ParticipantResource().export(queryset=Registration.objects.filter(expedition=expedition))
    rows = list(csv.DictReader(io.StringIO(dataset.csv)))
    assert rows[0]["Remarques"] == "'=HYPERLINK(\"http://evil\")"
    assert dataset.xlsx[:2] == b"PK"


def test_expedition_import_dry_run_reports_row_errors_and_writes_nothing():
    import tablib

    from expeditions.resources import ExpeditionResource

    Destination.objects.get_or_create(slug="japon", defaults={"country_fr": "Japon", "country_code": "JP"})
    headers = ["slug", "destination", "city", "time_zone", "title_fr", "starts_on", "ends_on", "registration_opens_at",
               "registration_closes_at", "capacity", "status", "price_cents", "offer_hours", "purge_after_days", "language"]
    good = ["tokyo-2027", "japon", "Tokyo", "Asia/Tokyo", "Tokyo 2027", "2027-04-01", "2027-04-05",
            "2027-01-01 09:00", "2027-03-01 18:00", "20", "draft", "0", "48", "30", "fr"]
    bad = ["nowhere-2027", "japon", "Nulle part", "Mars/Olympus", "Nulle part", "2027-04-01", "2027-04-05",
           "2027-01-01 09:00", "2027-03-01 18:00", "20", "draft", "0", "48", "30", "fr"]
    result = ExpeditionResource().import_data(tablib.Dataset(good, bad, headers=headers), dry_run=True)
    assert result.has_validation_errors() or result.has_errors()
    assert Expedition.objects.filter(slug__in=["tokyo-2027", "nowhere-2027"]).count() == 0
    result = ExpeditionResource().import_data(tablib.Dataset(good, headers=headers), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Expedition.objects.get(slug="tokyo-2027").time_zone == "Asia/Tokyo"


def test_history_records_who_changed_what():
    expedition = ExpeditionFactory(capacity=5)
    services.expedition_change_capacity(expedition_id=expedition.pk, capacity=8)
    assert [h.capacity for h in expedition.history.order_by("history_date")] == [5, 8]


def test_seed_demo_covers_every_destination_past_and_future_with_waiting_lists():
    call_command("seed", "--demo", stdout=io.StringIO())
    call_command("seed", "--demo", stdout=io.StringIO())  # idempotent
    demo = Expedition.objects.filter(is_demo=True)
    assert demo.count() == 10
    assert set(demo.values_list("destination__slug", flat=True)) == set(Destination.objects.values_list("slug", flat=True))
    ces = demo.get(slug="demo-ces-las-vegas")
    assert (ces.destination.slug, ces.city, ces.time_zone) == ("etats-unis", "Las Vegas", "America/Los_Angeles")
    assert demo.filter(status=Expedition.Status.PAST).count() == 2
    assert ces.registrations.filter(status=S.CONFIRMED).count() == ces.capacity
    assert sorted(ces.registrations.filter(status=S.WAITLISTED).values_list("waitlist_position", flat=True)) == [1, 2, 3, 4]
    assert not any(e.title.startswith("[Démo]") for e in demo)  # the "Demo" label says it, once


def test_import_refuses_a_capacity_below_the_places_taken():
    import tablib

    from expeditions.resources import ExpeditionResource

    expedition = ExpeditionFactory(capacity=3)
    register(expedition)
    register(expedition)
    row = [expedition.slug, expedition.destination.slug, expedition.city, expedition.time_zone, expedition.title_fr,
           str(expedition.starts_on), str(expedition.ends_on), "2026-01-01 09:00", "2027-12-01 18:00", "1", "published",
           "0", "48", "30", "fr"]
    headers = ["slug", "destination", "city", "time_zone", "title_fr", "starts_on", "ends_on", "registration_opens_at",
               "registration_closes_at", "capacity", "status", "price_cents", "offer_hours", "purge_after_days", "language"]
    result = ExpeditionResource().import_data(tablib.Dataset(row, headers=headers), dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    expedition.refresh_from_db()
    assert expedition.capacity == 3


def test_admin_import_and_export_pages_render(staff_client):
    ExpeditionFactory()
    assert staff_client.get(reverse("admin:expeditions_expedition_import")).status_code == 200
    assert staff_client.get(reverse("admin:expeditions_registration_export")).status_code == 200
    assert staff_client.get(reverse("admin:expeditions_expedition_history",
                                    args=[Expedition.objects.get().pk])).status_code == 200


def test_notifications_are_written_in_the_recipients_language():
    from portal.models import Notification

    expedition = ExpeditionFactory(title_en="Helsinki digital week")
    english = participant(language="en")
    register(expedition, english)
    notification = Notification.objects.get(user=english)
    assert notification.subject == "Registration confirmed: Helsinki digital week"


def test_registration_changelist_counts_follow_the_filter(staff_client):
    shown, other = ExpeditionFactory(capacity=1), ExpeditionFactory(capacity=5)
    register(shown)
    register(shown)
    register(other)
    response = staff_client.get(reverse("admin:expeditions_registration_changelist"), {"expedition__id__exact": shown.pk})
    counts = dict(response.context_data["status_counts"])
    assert (counts["Confirmée"], counts["En liste d’attente"]) == (1, 1)


def test_registration_list_filters_by_the_next_trips_and_keeps_the_chosen_one(staff_client):
    """The expedition filter lists the trips not ended yet, soonest first (not every trip ever
    organised); a past trip chosen by its link is still filtered and shown as chosen."""
    from datetime import timedelta

    from expeditions.admin import ExpeditionFilter

    today = timezone.localdate()
    past = ExpeditionFactory(starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=26))
    later = ExpeditionFactory(starts_on=today + timedelta(days=90), ends_on=today + timedelta(days=94))
    soon = ExpeditionFactory(starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=14))
    Registration.objects.create(expedition=past, user=participant(), passport_name="X", status=S.CONFIRMED)  # it took place
    register(soon)
    url = reverse("admin:expeditions_registration_changelist")

    def trips(response):
        [spec] = [f for f in response.context_data["cl"].filter_specs if isinstance(f, ExpeditionFilter)]
        return [int(value) for value, _label in spec.lookup_choices]

    assert trips(staff_client.get(url)) == [soon.pk, later.pk]
    response = staff_client.get(url, {"expedition__id__exact": past.pk})
    assert trips(response) == [past.pk, soon.pk, later.pk]
    assert [r.expedition_id for r in response.context_data["cl"].result_list] == [past.pk]
    assert dict(response.context_data["status_counts"])["Confirmée"] == 1
    assert staff_client.get(url, {"expedition__id__exact": "x"}).status_code == 302  # ?e=1, as a wrong lookup


IMPORT_HEADERS = ["slug", "destination", "city", "time_zone", "title_fr", "starts_on", "ends_on", "registration_opens_at",
                  "registration_closes_at", "capacity", "status", "price_cents", "offer_hours", "purge_after_days", "language"]


def _row(expedition, **changes):
    values = {
        "slug": expedition.slug, "destination": expedition.destination.slug, "city": expedition.city,
        "time_zone": expedition.time_zone, "title_fr": expedition.title_fr, "starts_on": str(expedition.starts_on),
        "ends_on": str(expedition.ends_on),
        "registration_opens_at": timezone.localtime(expedition.registration_opens_at).strftime("%Y-%m-%d %H:%M:%S"),
        "registration_closes_at": timezone.localtime(expedition.registration_closes_at).strftime("%Y-%m-%d %H:%M:%S"),
        "capacity": str(expedition.capacity), "status": expedition.status, "price_cents": str(expedition.price_cents),
        "offer_hours": str(expedition.offer_hours), "purge_after_days": str(expedition.purge_after_days),
        "language": expedition.language,
    } | changes
    return [values[h] for h in IMPORT_HEADERS]


def _import(*rows, dry_run=False):
    import tablib

    from expeditions.resources import ExpeditionResource

    return ExpeditionResource().import_data(tablib.Dataset(*rows, headers=IMPORT_HEADERS), dry_run=dry_run,
                                            use_transactions=True)


def test_import_of_a_lower_capacity_is_a_row_error_with_the_reason():
    expedition = ExpeditionFactory(capacity=3)
    register(expedition)
    register(expedition)
    result = _import(_row(expedition, capacity="1"), dry_run=True)
    assert result.has_validation_errors()
    errors = result.invalid_rows[0].field_specific_errors
    assert errors == {"capacity": ["La capacité ne peut pas être inférieure aux 2 places déjà prises."]}
    expedition.refresh_from_db()
    assert expedition.capacity == 3


def test_import_of_a_higher_capacity_offers_the_new_place_at_once():
    expedition = ExpeditionFactory(capacity=1)
    register(expedition)
    waiting = register(expedition)
    preview = _import(_row(expedition, capacity="2"), dry_run=True)
    assert [r.import_type for r in preview.valid_rows()] == ["update"]
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED  # the preview changed nothing
    result = _import(_row(expedition, capacity="2"))
    assert not result.has_errors() and not result.has_validation_errors()
    waiting.refresh_from_db()
    expedition.refresh_from_db()
    assert (expedition.capacity, waiting.status) == (2, S.OFFERED)


def test_import_of_cancelled_cancels_every_registration_and_unchanged_rows_are_skipped():
    from portal.models import Notification

    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition)
    waiting = register(expedition)
    other = ExpeditionFactory()
    Expedition.objects.filter(pk=other.pk).update(  # whole seconds, as a spreadsheet holds them
        registration_opens_at=other.registration_opens_at.replace(microsecond=0),
        registration_closes_at=other.registration_closes_at.replace(microsecond=0))
    other.refresh_from_db()
    result = _import(_row(expedition, status="cancelled"), _row(other))
    assert [r.import_type for r in result.valid_rows()] == ["update", "skip"]
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, waiting.status) == (S.CANCELLED, S.CANCELLED)
    assert Notification.objects.filter(kind="expeditions.cancelled").count() == 2
    refused = _import(_row(Expedition.objects.get(pk=expedition.pk), status="published"), dry_run=True)
    assert refused.invalid_rows[0].field_specific_errors == {
        "status": ["Une expédition annulée le reste : ses inscriptions ont été annulées et les personnes prévenues."]
    }


def test_admin_change_form_raises_capacity_and_changes_status_through_the_services(staff_client):
    expedition = ExpeditionFactory(capacity=1)
    register(expedition)
    waiting = register(expedition)
    url = reverse("admin:expeditions_expedition_change", args=[expedition.pk])
    page = staff_client.get(url)
    html = page.content.decode()
    assert 'name="capacity"' not in html and 'name="status"' not in html  # read-only: the services own them
    assert 'name="new_capacity"' in html and 'name="new_status"' in html
    form = page.context["adminform"].form
    data = admin_form_data(form, expedition, new_capacity="2", new_status="closed")
    assert staff_client.post(url, data).status_code == 302
    expedition.refresh_from_db()
    waiting.refresh_from_db()
    assert (expedition.capacity, expedition.status, waiting.status) == (2, "closed", S.OFFERED)


def test_cancelling_trips_from_the_list_asks_first_and_says_how_many_people_are_affected(staff_client):
    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition)
    register(expedition)
    url = reverse("admin:expeditions_expedition_changelist")
    page = staff_client.post(url, {"action": "cancel_expeditions", "_selected_action": [expedition.pk]})
    html = page.content.decode()
    assert "2 inscriptions actives seront annulées et chaque personne prévenue par e-mail." in html
    assert 'name="post" value="yes"' in html
    holder.refresh_from_db()
    assert holder.status == S.CONFIRMED
    staff_client.post(url, {"action": "cancel_expeditions", "_selected_action": [expedition.pk], "post": "yes"})
    holder.refresh_from_db()
    expedition.refresh_from_db()
    assert (expedition.status, holder.status) == ("cancelled", S.CANCELLED)


def test_participants_export_reads_in_the_staff_member_s_language():
    from django.utils import translation

    from expeditions.resources import ParticipantResource

    expedition = ExpeditionFactory()
    register(expedition, billing_po_reference="BC-42")
    for language, headers, status, consent in [
        ("fr", ["Statut", "Référence du bon de commande", "Figure sur la liste de la délégation"], "Confirmée", "oui"),
        ("en", ["Status", "Purchase-order reference", "Appears on the delegation list"], "Confirmed", "yes"),
    ]:
        with translation.override(language):
            dataset = ParticipantResource().export(queryset=Registration.objects.filter(expedition=expedition))
            row = next(csv.DictReader(io.StringIO(dataset.csv)))
        assert set(headers) <= set(row)
        assert (row[headers[0]], row[headers[1]]) == (status, "BC-42")
        assert row[headers[2]] in (consent, "non" if language == "fr" else "no")
        assert "billing_po_reference" not in row


def test_participants_export_file_is_named_in_the_staff_member_s_language(staff_client):
    expedition = ExpeditionFactory()
    register(expedition)
    response = staff_client.post(reverse("admin:expeditions_registration_export"),
                                 {"format": "0", "resource": "0", "participantresource_id": "on"},
                                 HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, response.content[:500]
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="inscriptions-{stamp}.csv"'


def test_staff_type_an_expedition_price_in_euros(staff_client):
    expedition = ExpeditionFactory(price_cents=390000)
    url = reverse("admin:expeditions_expedition_change", args=[expedition.pk])
    page = staff_client.get(url)
    html = page.content.decode()
    assert 'name="price_euros"' in html and 'name="price_cents"' not in html
    form = page.context["adminform"].form
    assert form.initial["price_euros"] == 3900
    data = admin_form_data(form, expedition, price_euros="4200,50")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    expedition.refresh_from_db()
    assert expedition.price_cents == 420050
