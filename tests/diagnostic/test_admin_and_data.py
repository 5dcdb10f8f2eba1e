"""Staff's side (admin), the seed, the periodic job's registration and personal data."""

import pytest
from django.conf import settings
from django.test import override_settings

from diagnostic import services
from diagnostic.models import (
    ContactRequest,
    ContactStatus,
    Option,
    Questionnaire,
    QuestionnaireVersion,
    RecommendationRule,
    Response,
    Snapshot,
    VersionStatus,
)
from portal import personal_data
from portal.links import resolve
from tests.factories import UserFactory
from tests.measures.factories import staff_user

from .factories import completed_response, reference_version, rule, stored_result

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_staff_mfa")]


@pytest.fixture
def _no_staff_mfa():
    with override_settings(PORTAL_STAFF_MFA_REQUIRED=False):
        yield


@pytest.fixture
def admin_client(client):
    client.force_login(staff_user())
    return client


# --- Versions in the admin --------------------------------------------------------------------------


def test_a_published_version_is_read_only_and_a_draft_is_editable(admin_client):
    published = reference_version()
    draft = services.version_duplicate(version=published)
    question = published.dimensions.first().questions.first()
    page = admin_client.get(f"/admin/diagnostic/question/{question.pk}/change/")
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    before = question.text_fr
    admin_client.post(f"/admin/diagnostic/question/{question.pk}/change/", {"text_fr": "Changé", "code": question.code})
    question.refresh_from_db()
    assert question.text_fr == before
    draft_question = draft.dimensions.first().questions.first()
    assert admin_client.get(f"/admin/diagnostic/question/{draft_question.pk}/change/").context["has_change_permission"] is True


def test_publishing_from_the_admin_shows_what_will_happen_then_publishes(admin_client):
    v1 = reference_version()
    v2 = services.version_duplicate(version=v1)
    url = "/admin/diagnostic/questionnaireversion/"
    confirm = admin_client.post(url, {"action": "publish", "_selected_action": [v2.pk]})
    assert confirm.status_code == 200
    assert "La version 1 sera retirée" in confirm.content.decode()
    v2.refresh_from_db()
    assert v2.status == VersionStatus.DRAFT  # nothing happened yet
    admin_client.post(url, {"action": "publish", "_selected_action": [v2.pk], "confirm": "1"})
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)


def test_a_broken_draft_is_not_published_and_the_admin_says_why(admin_client):
    draft = services.version_duplicate(version=reference_version())
    Option.objects.filter(question__dimension__version=draft, question__kind="scale", points=5).update(points=4)
    confirm = admin_client.post("/admin/diagnostic/questionnaireversion/", {"action": "publish", "_selected_action": [draft.pk]})
    assert "ne peut pas encore être publiée" in confirm.content.decode()
    assert "échelle de 0 à 5" in confirm.content.decode()


def test_a_rule_that_cannot_make_a_step_is_refused_with_a_message(admin_client):
    page = admin_client.post("/admin/diagnostic/recommendationrule/add/", {
        "dimension": "", "band": "beginner", "kind": "mooc.module", "key": "abc", "url": "", "position": 0, "is_active": "on",
        "title_fr": "", "text_fr": "",
    })
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert set(errors) >= {"band", "when_answer", "key"}
    assert not RecommendationRule.objects.exists()


def test_closing_a_contact_request_in_the_admin_goes_through_the_service(admin_client):
    response = completed_response()
    request = services.contact_request_create(response=response, user=response.user, consent=True)
    admin_client.post("/admin/diagnostic/contactrequest/", {"action": "close_requests", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == ContactStatus.CLOSED and request.closed_at is not None


@pytest.mark.parametrize("n", [1, 30])
def test_changelists_queries_do_not_grow(admin_client, django_assert_num_queries, n):
    from tests.mooc.factories import course_with_lessons

    version = reference_version()
    module = course_with_lessons(text_lessons=1, quiz=False)[2]
    for i in range(n):
        response = stored_result()
        ContactRequest.objects.create(response=response, user=response.user, region=response.region, consent_to_share=True)
        rule(dimension="data", kind="measures.measure", key=str(i % 19 + 1))
        rule(dimension="data", kind="mooc.module", key=str(module.pk))
        Snapshot.objects.create(quarter=f"{2000 + i}-Q1", starts_on="2000-01-01", ends_on="2000-03-31", respondents=9, published=True, threshold=5)
    assert version
    expected = {"response": 11, "contactrequest": 7, "recommendationrule": 8, "questionnaireversion": 7, "snapshot": 6, "expert": 7,
                "question": 8, "dimension": 9}
    for model, queries in expected.items():
        with django_assert_num_queries(queries):
            assert admin_client.get(f"/admin/diagnostic/{model}/").status_code == 200, model


def test_preview_as_a_respondent_is_for_staff_and_works_on_drafts(client, admin_client):
    draft = services.version_duplicate(version=reference_version())
    page = admin_client.get(f"/diagnostic/preview/{draft.pk}/")
    assert page.status_code == 200
    assert "Rien n’est enregistré" in page.content.decode()
    assert not Response.objects.exists()
    client.logout()
    assert client.get(f"/diagnostic/preview/{draft.pk}/").status_code == 302
    client.force_login(UserFactory())
    assert client.get(f"/diagnostic/preview/{draft.pk}/").status_code == 403


def test_exports_carry_the_dimension_scores_and_neutralise_formulas():
    from diagnostic.resources import ContactRequestResource, ResponseResource

    response = stored_result(score=42)
    dataset = ResponseResource().export(queryset=Response.objects.all())
    assert dataset.headers[-6:] == ["strategy", "readiness", "human", "data", "automation", "green"]
    assert list(dataset[0][-6:]) == [42] * 6
    ContactRequest.objects.create(response=response, user=response.user, region=response.region, consent_to_share=True,
                                  message="=HYPERLINK(\"http://x\")")
    row = ContactRequestResource().export(queryset=ContactRequest.objects.all()).dict[0]
    assert row["message"] == "'=HYPERLINK(\"http://x\")"


# --- Seed ---------------------------------------------------------------------------------------


def test_seed_publishes_the_reference_questionnaire_once_and_leaves_staff_edits_alone():
    from diagnostic import seeding
    from mooc import seeding as mooc_seeding
    from portal import seeding as portal_seeding

    log = []
    portal_seeding.seed_reference(log.append)
    mooc_seeding.seed_reference(log.append)
    seeding.seed_reference(log.append)
    version = QuestionnaireVersion.objects.get()
    assert version.status == VersionStatus.PUBLISHED
    assert sorted(version.dimensions.values_list("code", flat=True)) == sorted(["strategy", "readiness", "human", "data", "automation", "green"])
    assert set(version.dimensions.values_list("questions__kind", flat=True)) == {"single", "multi", "scale"}
    modules = RecommendationRule.objects.filter(kind="mooc.module")
    assert modules.exists() and all(resolve("mooc.module", r.key) for r in modules)
    Questionnaire.objects.update(title_fr="Titre choisi par l’équipe")
    RecommendationRule.objects.filter(kind="advice").delete()
    seeding.seed_reference(log.append)
    assert Questionnaire.objects.get().title_fr == "Titre choisi par l’équipe"
    assert not RecommendationRule.objects.filter(kind="advice").exists()
    assert QuestionnaireVersion.objects.count() == 1


def test_measure_3_links_to_the_barometer(client):
    from tests.measures.factories import seed_measures

    seed_measures()
    page = client.get("/measures/3/")
    assert "/diagnostic/barometer/" in page.content.decode()


def test_the_snapshot_job_is_a_periodic_job():
    from portal.celery import app

    job = settings.PERIODIC_JOBS["diagnostic-barometer-snapshots"]
    app.loader.import_default_modules()
    assert job["task"] in app.tasks
    assert settings.CELERY_BEAT_SCHEDULE["diagnostic-barometer-snapshots"]["task"] == job["task"]
    assert app.tasks[job["task"]].apply().get() == []


# --- Personal data ------------------------------------------------------------------------------------


def test_download_my_data_has_the_results_answers_and_requests_and_erasure_removes_them():
    response = completed_response()
    user = response.user
    services.contact_request_create(response=response, user=user, consent=True, message="Rappelez-moi")
    other = completed_response()
    data = personal_data.user_data_export(user)["diagnostic"]
    assert len(data["responses"]) == 1
    exported = data["responses"][0]
    assert exported["overall_score"] == response.overall_score and exported["region"] == "bretagne"
    assert exported["answers"]["roadmap"] == ["full"]
    assert set(exported["dimensions"]) == {"strategy", "readiness", "human", "data", "automation", "green"}
    assert data["contact_requests"][0]["message"] == "Rappelez-moi"
    personal_data.user_account_delete(user)
    assert not Response.objects.filter(pk=response.pk).exists()
    assert not ContactRequest.objects.exists()
    assert Response.objects.filter(pk=other.pk).exists()
