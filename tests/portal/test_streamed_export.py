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
