"""Admin exports at scale: CSV streamed through the resource (formula-safe, every row once),
XLSX and JSON refused above the in-memory row limit with a message pointing to CSV."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from expeditions import services
from expeditions.models import Registration
from expeditions.resources import ParticipantResource
from portal.exports import stream_csv
from tests.expeditions.factories import ExpeditionFactory, participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
EXPORT = "admin:expeditions_registration_export"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _register(expedition, count: int, **kwargs) -> None:
    for _ in range(count):
        user = participant()
        services.registration_create(expedition_id=expedition.pk, user=user, passport_name=user.last_name, **kwargs)


def _post(client, fmt: str):
    every_column = {f"participantresource_{name}": "on" for name in ParticipantResource._meta.fields}
    return client.post(reverse(EXPORT), {"format": fmt, "resource": "0", **every_column}, HTTP_ACCEPT_LANGUAGE="fr")


def test_the_csv_export_is_streamed_with_every_row_once_and_formulas_neutralised(staff_client):
    expedition = ExpeditionFactory(capacity=50)
    _register(expedition, 4)
    _register(expedition, 1, remarks='=HYPERLINK("http://evil")')
    response = _post(staff_client, "0")  # CSV
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    ids = [int(row[0]) for row in list(csv.reader(io.StringIO(text)))[1:]]  # the first column: the registration
    assert sorted(ids) == sorted(Registration.objects.values_list("pk", flat=True))
    assert [r["Remarques"] for r in rows].count("'=HYPERLINK(\"http://evil\")") == 1


def test_stream_csv_writes_the_resource_s_rows_in_chunks_without_losing_or_repeating_one():
    expedition = ExpeditionFactory(capacity=50)
    _register(expedition, 7, remarks="@SUM(A1)")
    resource = ParticipantResource()
    chunks = list(stream_csv(resource, Registration.objects.order_by("pk"), chunk_size=2, flush_at=10))
    assert len(chunks) > 3  # the header first, then small pieces
    assert "\n" in chunks[0] and chunks[0].count("\n") == 1  # the header goes out alone, before any query
    text = "".join(chunks)
    expected = resource.export(queryset=Registration.objects.order_by("pk")).csv
    assert list(csv.reader(io.StringIO(text))) == list(csv.reader(io.StringIO(expected)))
    assert text.count("'@SUM(A1)") == 7


def test_an_xlsx_export_above_the_row_limit_is_refused_with_a_message_pointing_to_csv(staff_client, settings):
    settings.PORTAL_EXPORT_MEMORY_ROW_LIMIT = 3
    expedition = ExpeditionFactory(capacity=50)
    _register(expedition, 3)
    response = _post(staff_client, "1")  # XLSX, at the limit: built
    assert response.status_code == 200 and response.content[:2] == b"PK"
    _register(expedition, 1)
    response = _post(staff_client, "1")
    assert response.status_code == 302
    assert response["Location"] == reverse(EXPORT)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "4" in message and "3" in message and "CSV" in message
    assert _post(staff_client, "0").streaming  # CSV still works at any size


# --- The streamed CSV writes what import-export's own path writes, byte for byte -----------------


def _generic_csv(resource, queryset) -> str:
    """The file as import-export's generic path writes it: ``export_resource()`` per instance."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(resource.get_export_headers())
    for instance in resource.filter_export(queryset):
        writer.writerow(resource.export_resource(instance))
    return buffer.getvalue()


def _tricky_registrations():
    """Rows with what a cell can get wrong: formula-looking text, a number-looking text, None,
    empty, non-ASCII, each choice and boolean, datetimes either side of the switch to summer
    time in Paris, and a participant without a profile (every profile column through it)."""
    import datetime

    from portal.models import Profile

    expedition = ExpeditionFactory(capacity=2, slug="=1+1")
    _register(expedition, 4)  # two confirmed, two on the waiting list (a position; None for the others)
    first, second, third, fourth = Registration.objects.order_by("pk")
    utc = datetime.UTC
    Registration.objects.filter(pk=first.pk).update(
        remarks="=1+1", dietary_needs="-5", passport_name="Zoë Łukasiewicz-Ñúñez ☃", billing_tax_id="+33 1",
        billing_po_reference="@ref", billing_address="ligne 1\nligne 2, \"quoted\"", share_consent=True,
        payment=Registration.Payment.PAID, created_at=datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=utc))
    Registration.objects.filter(pk=second.pk).update(
        remarks="", billing_organisation="\tTab SARL", share_consent=False,
        created_at=datetime.datetime(2026, 3, 29, 1, 0, 0, tzinfo=utc))
    Registration.objects.filter(pk=third.pk).update(remarks="-", created_at=datetime.datetime(2026, 10, 25, 1, 30, tzinfo=utc))
    Profile.objects.filter(user=fourth.user).delete()
    Profile.objects.filter(user=third.user).update(audience=None, organisation="Société Générale & Cie")
    return expedition


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_streamed_csv_is_byte_for_byte_what_import_export_s_own_path_writes(language, django_assert_num_queries):
    from django.utils import translation

    from portal.exports import _column_cells, _value_paths

    _tricky_registrations()
    queryset = Registration.objects.order_by("-pk")
    with translation.override(language):
        resource = ParticipantResource()
        # every column is written from the query's own values: no model instance per row
        assert _value_paths(resource.filter_export(queryset), _column_cells(resource, resource.get_export_fields()))
        expected = _generic_csv(ParticipantResource(), queryset)
        with django_assert_num_queries(1):
            streamed = "".join(stream_csv(resource, queryset, chunk_size=3, flush_at=10))
    assert streamed == expected
    cells = list(csv.reader(io.StringIO(streamed)))
    assert len(cells) == 5
    row = {header: value for header, value in zip(cells[0], cells[4], strict=True)}  # the first registration
    remarks, dietary = ("Remarques", "Besoins alimentaires") if language == "fr" else ("Remarks", "Dietary needs")
    assert row[remarks] == "'=1+1" and row[dietary] == "'-5"
    assert cells[4][1] == "'=1+1"  # the trip's slug, through a relation
    assert cells[4][-1] == "2026-03-29 01:59:59" and cells[3][-1] == "2026-03-29 03:00:00"  # Paris time
    assert ("oui" if language == "fr" else "yes") in cells[4] and ("non" if language == "fr" else "no") in cells[3]
    assert cells[1][5:9] == ["", "", "", ""]  # no profile: organisation, job title, audience, region empty


def test_a_resource_with_columns_it_writes_itself_streams_what_its_own_path_writes():
    """Many-to-many and foreign-key widgets, translated fields: those columns are written by the
    resource from each instance, the others by the streamed path; the file is the same."""
    from expeditions.models import Expedition
    from expeditions.resources import ExpeditionResource
    from portal.exports import _column_cells, _value_paths

    _tricky_registrations()
    ExpeditionFactory(summary_fr="=SUM(A1)", organiser_name="Zoë", organiser_phone="+33 1 23 45 67 89")
    queryset = Expedition.objects.order_by("pk")
    resource = ExpeditionResource()
    assert _value_paths(resource.filter_export(queryset), _column_cells(resource, resource.get_export_fields())) is None
    streamed = "".join(stream_csv(resource, queryset))
    assert streamed == _generic_csv(ExpeditionResource(), queryset)
    assert "'=SUM(A1)" in streamed and "'+33 1 23 45 67 89" in streamed
