"""Every imported row goes through the same validation as the admin form, errors are shown per
row and field in the preview and block the confirmation; unchanged rows are reported as skipped."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Partner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADERS = "slug,name_fr,name_en,description_fr,description_en,website\n"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _preview(client, csv: str):
    return client.post(
        "/admin/portal/partner/import/",
        {"format": "0", "import_file": SimpleUploadedFile("partners.csv", csv.encode(), content_type="text/csv")},
    )


def test_a_row_the_admin_form_would_refuse_is_refused_with_its_field_errors(staff_client):
    response = _preview(staff_client, HEADERS + "bad row,,,,,not-a-url\n")
    result = response.context["result"]
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert sorted(invalid.field_specific_errors) == ["name", "slug", "website"]
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    html = response.content.decode()
    assert "Saisissez une URL valide." in html
    assert Partner.objects.filter(slug="bad row").count() == 0


def test_a_mix_of_valid_invalid_and_unchanged_rows_blocks_the_whole_import(staff_client):
    Partner.objects.create(slug="cnam", name_fr="CNAM", name_en="CNAM", website="https://www.cnam.fr")
    csv = HEADERS + (
        "cnam,CNAM,CNAM,,,https://www.cnam.fr\n"  # unchanged
        "la-poste,La Poste,La Poste,,,https://www.laposte.fr\n"  # new
        "bad row,,,,,not-a-url\n"  # invalid
    )
    result = _preview(staff_client, csv).context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["skip", "new"]
    assert len(result.invalid_rows) == 1
    assert not Partner.objects.filter(slug="la-poste").exists()


def test_unchanged_rows_are_skipped_and_changed_ones_updated(staff_client):
    Partner.objects.create(slug="cnam", name_fr="CNAM", name_en="CNAM", website="https://www.cnam.fr")
    Partner.objects.create(slug="fiducial", name_fr="Fiducial", name_en="Fiducial", website="https://www.fiducial.fr")
    csv = HEADERS + "cnam,CNAM,CNAM,,,https://www.cnam.fr\nfiducial,Fiducial SA,Fiducial SA,,,https://www.fiducial.fr\n"
    response = _preview(staff_client, csv)
    result = response.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["skip", "update"]
    confirm = response.context["confirm_form"].initial
    staff_client.post("/admin/portal/partner/process_import/", confirm)
    assert Partner.objects.get(slug="fiducial").name_fr == "Fiducial SA"


def test_a_confirmed_import_refused_at_confirmation_writes_nothing_and_says_why(client):
    from expeditions import services
    from tests.expeditions.factories import ExpeditionFactory, participant
    from tests.expeditions.test_admin_and_seed import IMPORT_HEADERS, _row

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    expedition = ExpeditionFactory(capacity=3, title_fr="Avant")
    services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="A")
    row = _row(expedition, capacity="1", title_fr="Après")
    csv = ",".join(IMPORT_HEADERS) + "\n" + ",".join(row) + "\n"
    preview = client.post("/admin/expeditions/expedition/import/", {
        "format": "0", "import_file": SimpleUploadedFile("trips.csv", csv.encode(), content_type="text/csv")})
    assert not preview.context["result"].has_validation_errors()  # one place held: capacity 1 fits
    services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="B")  # meanwhile
    response = client.post("/admin/expeditions/expedition/process_import/", preview.context["confirm_form"].initial,
                           follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("capacité ne peut pas être inférieure aux 2 places" in t for t in texts), texts
    assert any(t.startswith("Rien n’a été importé") for t in texts), texts
    expedition.refresh_from_db()
    assert (expedition.capacity, expedition.title_fr) == (3, "Avant")
