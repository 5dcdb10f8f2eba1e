"""Erasing an account leaves nothing of the person in history tables (finding 1), and goes
through the apps' services (a freed place passes on; files go only once the erasure commits)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from contests import services as contest_services
from contests.models import Attachment, Company, Submission, SubmissionState
from expeditions import services as expedition_services
from expeditions.models import Registration
from measures import services as measure_services
from mooc.models import Certificate
from portal import personal_data
from portal.models import Notification
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory, juror, member
from tests.contests.test_uploads import PDF
from tests.expeditions.factories import ExpeditionFactory, participant
from tests.factories import UserFactory
from tests.measures.factories import measure

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zéphyrine", "Quintal-Oubliée"
TEAM = "Zéphyrine Quintal-Oubliée, fondatrice\nMarc Sécret, CTO"
SECRET = "Notre capteur breveté Kryptonyx"


def _history_models():
    return [m for m in apps.get_models() if m.__name__.startswith("Historical") and hasattr(m, "history_id")]


def _traces_of(user_pk: int, needles: list[str]) -> list[str]:
    """Every history row, in every history table, that still points at or names the person."""
    User = get_user_model()
    found = []
    for model in _history_models():
        for field in model._meta.concrete_fields:
            if field.name == "history_user":
                continue  # SET_NULL by the database on the account's deletion
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                hits = model.objects.filter(**{field.attname: user_pk}).count()
                if hits:
                    found.append(f"{model.__name__}.{field.attname}={user_pk} ×{hits}")
            elif isinstance(field, (models.CharField, models.TextField)):
                for needle in needles:
                    hits = model.objects.filter(**{f"{field.attname}__icontains": needle}).count()
                    if hits:
                        found.append(f"{model.__name__}.{field.attname} ∋ {needle!r} ×{hits}")
    return found


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_erasing_an_sme_leader_leaves_no_snapshot_of_the_project_nor_of_the_company(media, django_capture_on_commit_callbacks):
    user = UserFactory(first_name=FIRST, last_name=LAST)
    company = CompanyFactory(legal_name="Capteurs Quintal EURL")
    member(company, user)
    edition = EditionFactory()
    project = contest_services.submission_create_draft(
        edition=edition, company=company, user=user, title="Kryptonyx", theme_id=edition.edition_themes.first().theme_id,
        pitch="Un capteur.", description=SECRET, object_function="Mesure.", target_market="PME", business_model="Vente",
        team_members=TEAM, connectivity="LoRa",
    )
    contest_services.attachment_add(submission=project, user=user, kind="deck", upload=SimpleUploadedFile("d.pdf", PDF))
    contest_services.submission_submit(submission=project, user=user)
    contest_services.submission_update(submission=project, user=user, description=SECRET + " v2")
    assert Submission.history.filter(id=project.pk).count() >= 3
    user_pk = user.pk
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.user_account_delete(user)
    assert not Submission.objects.filter(pk=project.pk).exists()
    assert not Submission.history.filter(id=project.pk).exists()  # not even the "-" snapshot of the deletion
    assert not Company.history.filter(id=company.pk).exists()  # the company went with its last member
    assert _traces_of(user_pk, [LAST, "Kryptonyx", "Quintal", user.email]) == []
    assert list(Path(media).rglob("*.pdf")) == []


def test_no_history_table_keeps_anything_of_an_erased_person_with_a_full_life_on_the_portal(media):
    from tests.mooc.test_certificates import _passed_enrollment
    from tests.mooc.test_grading import _post

    user = participant(first_name=FIRST, last_name=LAST)
    # Contest: a laureate project (kept, anonymised) and a juror record (kept, anonymised).
    laureate = SubmissionFactory(created_by=user, state=SubmissionState.LAUREATE, rank=1, team_members=TEAM)
    member(laureate.company, user)
    Submission.objects.filter(pk=laureate.pk).update(team_members=TEAM)
    laureate.refresh_from_db()
    laureate.save()  # a "~" snapshot holding the team list
    juror(EditionFactory(), user).save()
    # Expeditions, MOOC, measures.
    expedition_services.registration_create(expedition_id=ExpeditionFactory().pk, user=user, passport_name=f"{LAST} {FIRST}")
    enrollment, quiz, question, good, _ = _passed_enrollment(user=user)
    from mooc import services as mooc_services

    certificate = mooc_services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk})).certificate
    measure_services.measure_support(measure=measure(1), user=user)
    user_pk = user.pk
    assert _traces_of(user_pk, [LAST]) != []  # the check sees the person before the erasure
    personal_data.user_account_delete(user)
    assert _traces_of(user_pk, [LAST, "Sécret", user.email]) == []
    assert Submission.objects.get(pk=laureate.pk).title == laureate.title  # the public record stays
    assert Certificate.objects.get(pk=certificate.pk).learner_name == ""


def test_a_company_that_stays_keeps_its_legal_name_and_siret_in_its_history():
    leaving, staying = UserFactory(), UserFactory()
    company = CompanyFactory(legal_name="Atelier Connecté SAS")
    member(company, leaving)
    member(company, staying)
    company.save()
    personal_data.user_account_delete(leaving)
    assert Company.history.filter(id=company.pk, legal_name="Atelier Connecté SAS", siret=company.siret).exists()


def test_erasure_cancels_through_the_service_the_next_person_is_offered_the_place_and_told():
    expedition = ExpeditionFactory(capacity=1)
    holder, waiting = participant(), participant()
    expedition_services.registration_create(expedition_id=expedition.pk, user=holder, passport_name="A")
    queued = expedition_services.registration_create(expedition_id=expedition.pk, user=waiting, passport_name="B")
    personal_data.user_account_delete(holder)
    queued.refresh_from_db()
    assert queued.status == Registration.Status.OFFERED
    assert Notification.objects.filter(user=waiting, kind="expeditions.offered").count() == 1
    assert not Notification.objects.filter(recipient_email=holder.email).exists()
    expedition.refresh_from_db()
    assert (expedition.places_held, expedition.waitlist_length) == (1, 0)  # the offer holds the place


def test_an_erasure_that_fails_halfway_keeps_the_files_and_the_rows(media, monkeypatch, django_capture_on_commit_callbacks):
    user = UserFactory()
    company = CompanyFactory()
    member(company, user)
    project = SubmissionFactory(company=company, created_by=user)
    attachment = contest_services.attachment_add(submission=project, user=user, kind="deck", upload=SimpleUploadedFile("d.pdf", PDF))
    stored = Path(media) / attachment.file.name

    def broken(_user):
        raise RuntimeError("an app's eraser failed")

    monkeypatch.setitem(personal_data._REGISTRY, "zz-broken", personal_data.PersonalDataEntry("zz-broken", dict, broken, 999))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        personal_data.user_account_delete(user)
    assert stored.exists()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    monkeypatch.delitem(personal_data._REGISTRY, "zz-broken")
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.user_account_delete(user)
    assert not stored.exists()


def test_the_admins_log_forgets_an_erased_persons_name_and_keeps_the_staffs_record(client):
    """Django's admin log (LogEntry) keeps each changed object's label as text; a registration's
    label names its holder. After the erasure, no entry names the person; the entry itself stays."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    staff = UserFactory(is_staff=True, is_superuser=True)
    user = participant(first_name=FIRST, last_name=LAST)
    other = participant(first_name="Odile", last_name="Restante")
    mine = expedition_services.registration_create(expedition_id=ExpeditionFactory().pk, user=user, passport_name=LAST)
    theirs = expedition_services.registration_create(expedition_id=ExpeditionFactory().pk, user=other, passport_name="R")
    for obj in (mine, theirs, user):
        LogEntry.objects.log_actions(staff.pk, [obj], CHANGE, change_message=[{"changed": {"fields": ["Statut"]}}], single_object=True)
    assert LogEntry.objects.filter(object_repr__icontains=LAST).count() == 2  # the account and the registration
    personal_data.user_account_delete(user)
    assert not LogEntry.objects.filter(object_repr__icontains=LAST).exists()
    assert not LogEntry.objects.filter(object_repr__icontains=user.email).exists()
    registrations = ContentType.objects.get_for_model(Registration)
    assert LogEntry.objects.filter(content_type=registrations, object_id=str(mine.pk), object_repr=personal_data.ERASED_LABEL).exists()
    assert LogEntry.objects.filter(content_type=registrations, object_id=str(theirs.pk), object_repr__icontains="Restante").exists()
