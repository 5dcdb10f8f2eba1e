import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contests import services
from contests.models import (
    Company,
    Edition,
    Juror,
    Review,
    Submission,
    SubmissionState,
    SubmissionStateChange,
    SubmissionVersion,
)
from contests.resources import SubmissionJuryPackResource
from portal import personal_data
from portal.models import Notification
from portal.seeding import seed_all
from tests.contests.factories import EditionFactory, SubmissionFactory, assign, juror, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["contests/edition", "contests/submission", "contests/company", "contests/juror", "contests/theme",
                                   "contests/review", "organisations/invitation", "organisations/organisation"])
def test_admin_changelists_render_with_the_same_number_of_queries_for_1_and_30_rows(admin_client, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    edition = EditionFactory()
    j = juror(edition)

    def add(n):
        for _ in range(n):
            sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
            Review.objects.create(assignment=assign(j, sub), comment="Solide")
            juror(EditionFactory(with_themes=False))
            services.company_invitation_create(company=sub.company, user=member(sub.company), email=f"c{sub.pk}@example.org")

    counts = []
    for n in (1, 29):
        add(n)
        admin_client.get(f"/admin/{model}/")  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(f"/admin/{model}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_admin_edition_form_has_theme_and_criterion_inlines(admin_client):
    edition = EditionFactory()
    html = admin_client.get(f"/admin/contests/edition/{edition.pk}/change/").content.decode()
    assert "edition_themes-TOTAL_FORMS" in html
    assert "criteria-TOTAL_FORMS" in html


def test_admin_filters_by_theme_state_region_and_stage(admin_client):
    sub = SubmissionFactory(stage="pilot")
    other = SubmissionFactory(edition=sub.edition, stage="idea")
    url = f"/admin/contests/submission/?stage__exact=pilot&state__exact=draft&theme__id__exact={sub.theme_id}&company__region__id__exact={sub.company.region_id}"
    response = admin_client.get(url)
    assert [s.pk for s in response.context["cl"].result_list] == [sub.pk]
    assert admin_client.get("/admin/contests/submission/?q=" + other.company.siret).context["cl"].result_count == 1


def test_admin_action_changes_state_through_the_service_and_logs_it(admin_client):
    sub = SubmissionFactory(state=SubmissionState.SUBMITTED)
    Edition.objects.filter(pk=sub.edition_id).update(closes_at=timezone.now() - timedelta(seconds=1), opens_at=timezone.now() - timedelta(days=9))
    page = admin_client.post("/admin/contests/submission/", {"action": "mark_under_review", "_selected_action": [sub.pk]})
    assert "son entreprise en est informée par e-mail" in page.content.decode()
    assert SubmissionStateChange.objects.filter(submission=sub).count() == 0  # asked, not done
    response = admin_client.post(
        "/admin/contests/submission/", {"action": "mark_under_review", "_selected_action": [sub.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["1 projet modifié."]
    change = SubmissionStateChange.objects.get(submission=sub)
    assert (change.from_state, change.to_state, change.by.is_staff, change.note) == ("submitted", "under_review", True, "admin")
    # A refused transition is a message, not a 500.
    response = admin_client.post(
        "/admin/contests/submission/", {"action": "mark_under_review", "_selected_action": [sub.pk], "post": "yes"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_jury_pack_export_leaves_drafts_out_and_neutralises_formulas():
    draft = SubmissionFactory()
    sent = SubmissionFactory(edition=draft.edition, state=SubmissionState.SUBMITTED, pitch="=HYPERLINK(\"http://evil\")")
    dataset = SubmissionJuryPackResource().export(queryset=Submission.objects.all())
    assert list(dataset["id"]) == [str(sent.pk)]
    assert dataset["pitch"][0] == "'=HYPERLINK(\"http://evil\")"
    assert dataset["siret"][0] == sent.company.siret


def test_juror_import_previews_then_invites_only_on_confirm(admin_client, django_capture_on_commit_callbacks):
    edition = EditionFactory(slug="ed-2026")
    csv = "edition,email,name\ned-2026, Expert@Example.org ,Dr Expert\nno-such-edition,x@example.org,X\n"
    response = admin_client.post(
        "/admin/contests/juror/import/",
        {"format": "0", "import_file": SimpleUploadedFile("jurors.csv", csv.encode(), content_type="text/csv")},
    )
    assert response.status_code == 200
    assert Juror.objects.count() == 0  # a dry run only
    assert Notification.objects.count() == 0
    assert response.context["result"].has_validation_errors() or response.context["result"].has_errors()
    good = "edition,email,name\ned-2026, Expert@Example.org ,Dr Expert\n"
    response = admin_client.post(
        "/admin/contests/juror/import/",
        {"format": "0", "import_file": SimpleUploadedFile("jurors.csv", good.encode(), content_type="text/csv")},
    )
    assert Juror.objects.count() == 0
    confirm = response.context["confirm_form"].initial
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/contests/juror/process_import/", confirm)
    j = Juror.objects.get()
    assert (j.edition, j.email, j.name) == (edition, "expert@example.org", "Dr Expert")
    assert list(Notification.objects.values_list("kind", "recipient_email")) == [("contests.jury_invitation", "expert@example.org")]


def test_ranking_page_shows_progress_per_juror(admin_client):
    edition = EditionFactory()
    j = juror(edition)
    assign(j, SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW))
    response = admin_client.get(reverse("contests:ranking", args=[edition.slug]))
    progress = list(response.context["progress"])
    assert [(p.pk, p.assigned, p.reviewed) for p in progress] == [(j.pk, 1, 0)]


# --- Personal data -------------------------------------------------------------------------------


def test_export_lists_companies_projects_and_jury_work():
    user = UserFactory()
    sub = SubmissionFactory(created_by=user, title="Mon objet")
    member(sub.company, user)
    j = juror(EditionFactory(), user)
    services.conflict_declare(juror=j, company=sub.company)
    data = personal_data.user_data_export(user)["contests"]
    assert [c["siret"] for c in data["companies"]] == [sub.company.siret]
    assert [p["title"] for p in data["projects"]] == ["Mon objet"]
    assert data["jury"][0]["conflicts"] == [sub.company.legal_name]  # a company the juror named himself
    json.dumps(data)


def test_export_holds_what_the_person_wrote_and_tells_no_decision_before_publication():
    user = UserFactory()
    sub = SubmissionFactory(created_by=user, state=SubmissionState.LAUREATE, rank=1, connectivity="Sigfox")
    member(sub.company, user)
    project = personal_data.user_data_export(user)["contests"]["projects"][0]
    assert (project["state"], project["connectivity"], project["theme"]) == ("under_review", "Sigfox", sub.theme.slug)
    Edition.objects.filter(pk=sub.edition_id).update(published_at=timezone.now())
    assert personal_data.user_data_export(user)["contests"]["projects"][0]["state"] == "laureate"


def test_erase_deletes_projects_but_anonymises_laureates(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    laureate = SubmissionFactory(created_by=user, state=SubmissionState.LAUREATE, rank=1, team_members="Jeanne Dupont, CEO")
    member(laureate.company, user)
    SubmissionVersion.objects.create(submission=laureate, number=1, data=services.snapshot(laureate), created_by=user)
    draft = SubmissionFactory(created_by=user, edition=laureate.edition)
    member(draft.company, user)
    j = juror(laureate.edition, user)
    personal_data.user_account_delete(user)
    kept = Submission.objects.get(pk=laureate.pk)
    assert (kept.created_by, kept.team_members, kept.anonymised_at is not None) == (None, "", True)
    assert not Submission.history.filter(id=laureate.pk, team_members__contains="Jeanne").exists()
    version = SubmissionVersion.objects.get(submission=laureate)  # the versions kept the team list too
    assert (version.data["team_members"], version.data["title"], version.created_by) == ("", laureate.title, None)
    assert not Submission.objects.filter(pk=draft.pk).exists()
    assert not Company.objects.filter(pk=draft.company_id).exists()  # no member nor project left
    assert Company.objects.filter(pk=laureate.company_id).exists()
    j.refresh_from_db()
    assert (j.user, j.email) == (None, f"erased-juror-{j.pk}@invalid.example")


# --- Seed, periodic jobs ------------------------------------------------------------------------------


def test_seed_demo_creates_an_open_edition_and_a_past_one_with_laureates_idempotently():
    seed_all(demo=True, log=lambda _m: None)
    seed_all(demo=True, log=lambda _m: None)
    open_edition = Edition.objects.get(slug="demo-open")
    past = Edition.objects.get(slug="demo-2016")
    assert (open_edition.phase, open_edition.is_demo) == ("open", True)
    assert (past.phase, past.is_demo) == ("published", True)
    assert past.submissions.filter(state=SubmissionState.LAUREATE).count() == 4
    assert open_edition.submissions.filter(state=SubmissionState.SUBMITTED).count() == 3
    assert all("démo" in c.legal_name for c in Company.objects.all())
    assert open_edition.edition_themes.count() == 4
    assert open_edition.criteria.count() == 5


def test_periodic_jobs_are_registered_and_idempotent(settings):
    from portal.celery import app

    app.loader.import_default_modules()
    for name in ("contests-deadline-sweep", "contests-reminders"):
        assert settings.PERIODIC_JOBS[name]["task"] in app.tasks
    sub = SubmissionFactory(state=SubmissionState.SUBMITTED)
    Edition.objects.filter(pk=sub.edition_id).update(closes_at=timezone.now() - timedelta(seconds=1), opens_at=timezone.now() - timedelta(days=9))
    assert app.tasks["contests.tasks.deadline_sweep"].apply().get() == 1
    assert app.tasks["contests.tasks.deadline_sweep"].apply().get() == 0


def test_review_reminder_three_days_before_the_reviewing_deadline_once():
    edition = EditionFactory(closes_at=timezone.now() - timedelta(days=1), opens_at=timezone.now() - timedelta(days=20),
                             review_deadline=timezone.now() + timedelta(days=2))
    j = juror(edition)
    assign(j, SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW))
    idle = juror(edition)
    assert services.review_reminders_send() == 1
    assert services.review_reminders_send() == 0
    assert list(Notification.objects.values_list("user", flat=True)) == [j.user_id]
    assert idle.pk


def test_admin_inline_refuses_a_conflicted_juror(admin_client):
    sub = SubmissionFactory(state=SubmissionState.SUBMITTED)
    j = juror(sub.edition)
    services.conflict_declare(juror=j, company=sub.company)
    url = f"/admin/contests/submission/{sub.pk}/change/"
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({
        "edition": sub.edition_id, "company": sub.company_id, "theme": sub.theme_id,
        "assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "0", "assignments-0-juror": j.pk,
        "state_changes-TOTAL_FORMS": "0", "state_changes-INITIAL_FORMS": "0",
    })
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "conflit d’intérêts" in response.content.decode()
    assert not sub.assignments.exists()


def test_an_edition_slug_cannot_shadow_the_sites_own_paths():
    from django.core.exceptions import ValidationError

    edition = EditionFactory.build(slug="archive")
    with pytest.raises(ValidationError) as exc:
        edition.full_clean()
    assert list(exc.value.message_dict) == ["slug"]


def test_admin_edition_page_links_to_the_ranking(admin_client):
    edition = EditionFactory()
    html = admin_client.get(f"/admin/contests/edition/{edition.pk}/change/").content.decode()
    assert reverse("contests:ranking", args=[edition.slug]) in html


def test_erase_keeps_a_project_colleagues_still_work_on_and_scrubs_juror_history():
    user, colleague = UserFactory(), UserFactory()
    sub = SubmissionFactory(created_by=user)
    member(sub.company, user)
    member(sub.company, colleague)
    j = juror(EditionFactory(), user)
    personal_data.user_account_delete(user)
    kept = Submission.objects.get(pk=sub.pk)
    assert kept.created_by is None
    assert not Juror.history.filter(id=j.pk, email=user.email).exists()


def test_auto_assignment_ignores_unanswered_invitations():
    edition = EditionFactory(jurors_per_submission=2)
    SubmissionFactory(edition=edition, state=SubmissionState.SUBMITTED)
    services.juror_invite(edition=edition, email="silent@example.org")
    accepted = juror(edition)
    assert services.assignments_auto_balance(edition=edition) == 1
    assert list(accepted.assignments.values_list("juror_id", flat=True)) == [accepted.pk]


def test_migration_0004_closes_the_declaration_only_of_jurors_already_at_work():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("contests.migrations.0004_invitations_and_conflict_declaration")
    edition = EditionFactory(anonymised_review=True)
    at_work, waiting = juror(edition), juror(edition)
    not_accepted = Juror.objects.create(edition=edition, email="invited@example.org")
    assign(at_work, SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW))
    assign(not_accepted, SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW))
    migration.close_declarations_of_jurors_already_at_work(apps, None)
    declared = dict(Juror.objects.values_list("pk", "conflicts_declared_at"))
    at_work.refresh_from_db()
    assert declared == {at_work.pk: at_work.accepted_at, waiting.pk: None, not_accepted.pk: None}
    assert at_work.accepted_at is not None


def _submission_form_data(admin_client, sub, **extra):
    page = admin_client.get(f"/admin/contests/submission/{sub.pk}/change/")
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"theme": sub.theme_id, "state_changes-TOTAL_FORMS": "0", "state_changes-INITIAL_FORMS": "0",
                 "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"} | extra)
    return {k: v for k, v in data.items() if not isinstance(v, bool) or v}


def test_admin_inline_refuses_to_give_a_draft_to_the_jury(admin_client):
    sub = SubmissionFactory(state=SubmissionState.DRAFT)
    j = juror(sub.edition)
    response = admin_client.post(f"/admin/contests/submission/{sub.pk}/change/", _submission_form_data(
        admin_client, sub, **{"assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "0", "assignments-0-juror": j.pk}))
    assert response.status_code == 200
    assert "Seuls les projets soumis peuvent être confiés au jury." in response.content.decode()
    assert not sub.assignments.exists()


def test_admin_inline_assigns_through_the_service_and_never_deletes_a_submitted_review(admin_client):
    sub = SubmissionFactory(state=SubmissionState.UNDER_REVIEW)
    j = juror(sub.edition)
    url = f"/admin/contests/submission/{sub.pk}/change/"
    admin_client.post(url, _submission_form_data(
        admin_client, sub, **{"assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "0", "assignments-0-juror": j.pk}))
    assignment = sub.assignments.get()
    Review.objects.create(assignment=assignment, submitted_at=timezone.now())
    response = admin_client.post(url, _submission_form_data(admin_client, sub, **{
        "assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "1", "assignments-0-id": assignment.pk,
        "assignments-0-submission": sub.pk, "assignments-0-juror": j.pk, "assignments-0-DELETE": "on"}))
    assert response.status_code == 200
    assert "Ce juré a remis une évaluation de ce projet" in response.content.decode()
    assert Review.objects.filter(assignment=assignment).exists()


def test_admin_fields_owned_by_the_services_are_not_in_the_submission_form(admin_client):
    sub = SubmissionFactory(state=SubmissionState.SHORTLISTED)
    html = admin_client.get(f"/admin/contests/submission/{sub.pk}/change/").content.decode()
    for name in ("state", "rank", "prize", "feedback", "company", "edition", "created_by"):
        assert f'name="{name}"' not in html
    assert admin_client.get("/admin/contests/submission/add/").status_code == 403


def test_adding_a_company_member_in_the_admin_records_the_jurors_conflict(admin_client):
    sub = SubmissionFactory(state=SubmissionState.UNDER_REVIEW)
    j = juror(sub.edition)
    assign(j, sub)
    company = sub.company
    page = admin_client.get(f"/admin/contests/company/{company.pk}/change/")
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"region": company.region_id, "created_on": "01/01/2015",
                 "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
                 "memberships-0-user": j.user_id, "memberships-0-role": "member"})
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    response = admin_client.post(f"/admin/contests/company/{company.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert company.memberships.filter(user=j.user).exists()
    assert j.conflicts.filter(company=company).exists()
    assert not j.assignments.exists()


def test_save_and_invite_sends_the_jurors_invitation(admin_client):
    edition = EditionFactory()
    response = admin_client.post("/admin/contests/juror/add/", {
        "edition": edition.pk, "email": " Experte@Example.org ", "name": "Dr Experte",
        "conflicts-TOTAL_FORMS": "0", "conflicts-INITIAL_FORMS": "0", "_saveandinvite": "1",
    })
    assert response.status_code == 302
    j = Juror.objects.get()
    assert (j.email, j.invited_at is not None) == ("experte@example.org", True)
    assert list(Notification.objects.values_list("kind", "recipient_email")) == [
        ("contests.jury_invitation", "experte@example.org")]
    # A plain save adds the juror without an e-mail; the change form shows the button to invite later.
    admin_client.post("/admin/contests/juror/add/", {
        "edition": edition.pk, "email": "later@example.org", "conflicts-TOTAL_FORMS": "0", "conflicts-INITIAL_FORMS": "0",
        "_save": "1"})
    later = Juror.objects.get(email="later@example.org")
    assert later.invited_at is None and Notification.objects.count() == 1
    html = admin_client.get(f"/admin/contests/juror/{later.pk}/change/").content.decode()
    assert 'name="_saveandinvite"' in html and 'name="email"' not in html
