"""What an outside test found in the contest (finding 7), each reproduced here."""

import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX
from openpyxl import load_workbook

from contests import services
from contests.forms import CompanyForm
from contests.models import Submission, SubmissionState
from contests.resources import SubmissionJuryPackResource
from contests.uploads import check_deck
from contests.validators import is_valid_siret, validate_siret
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory, member

pytestmark = pytest.mark.django_db


def pdf_by(author: str, company: str) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": author, "/Creator": company, "/Title": f"Pitch {company}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_siret_made_of_zeros_is_refused_with_its_own_message():
    assert not is_valid_siret("00000000000000")
    with pytest.raises(ValidationError) as exc:
        validate_siret("000 000 000 00000")
    assert exc.value.code == "siret_null"
    form = CompanyForm(data={"legal_name": "Zéro SAS", "siret": "00000000000000"})
    assert not form.is_valid()
    assert "000 000 000" in form.errors["siret"][0]


def test_staff_export_writes_the_headcount_as_a_number_in_xlsx():
    sent = SubmissionFactory(state=SubmissionState.SUBMITTED, company=CompanyFactory(headcount=42))
    # As the admin exports to XLSX (import_export.admin passes force_native_type for binary formats).
    dataset = SubmissionJuryPackResource().export(queryset=Submission.objects.filter(pk=sent.pk), force_native_type=True)
    sheet = load_workbook(io.BytesIO(XLSX().export_data(dataset))).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("headcount") + 1).value == 42


def test_a_project_text_above_its_limit_is_refused_by_the_form_and_by_the_service(client):
    edition = EditionFactory()
    company = CompanyFactory()
    user = member(company)
    client.force_login(user)
    before = Submission.objects.count()
    response = client.post(
        reverse("contests:submission_create", args=[edition.slug, company.pk]),
        {"title": "Capteur", "theme": edition.edition_themes.first().theme_id, "stage": "idea", "description": "x" * 100_000},
    )
    assert response.status_code == 200
    assert "6000" in response.content.decode().replace("\u202f", "").replace(" ", "")
    assert Submission.objects.count() == before
    draft = SubmissionFactory(edition=edition, company=company, created_by=user)
    with pytest.raises(ValidationError) as exc:
        services.submission_update(submission=draft, user=user, team_members="y" * 2001)
    assert list(exc.value.error_dict) == ["team_members"]
    draft.refresh_from_db()
    assert draft.team_members == ""


def test_an_uploaded_pitch_deck_loses_the_metadata_that_names_its_author():
    original = pdf_by("Jeanne Dupont", "Capteurs d'Anjou SAS")
    assert b"Jeanne Dupont" in original
    cleaned = check_deck(SimpleUploadedFile("deck.pdf", original, content_type="application/pdf")).content.read()
    assert b"Jeanne" not in cleaned and b"Anjou" not in cleaned
    reader = pypdf.PdfReader(io.BytesIO(cleaned))
    assert len(reader.pages) == 1
    assert not (reader.metadata or {}).get("/Author")


def test_an_encrypted_pitch_deck_is_refused_with_a_message():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError) as exc:
        check_deck(SimpleUploadedFile("deck.pdf", out.getvalue()))
    assert exc.value.code == "encrypted_pdf"
