"""An anonymised review stays anonymous: neither the conflict feature nor a jury pack tells a juror
which company is behind a project."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contests import services
from contests.models import Assignment, Conflict, Juror, Submission, SubmissionState
from contests.resources import AnonymisedJuryPackResource, NamedJuryPackResource, SubmissionJuryPackResource
from contests.selectors import jury_assignments
from portal import personal_data
from tests.contests.factories import EditionFactory, SubmissionFactory, assign, juror
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDENTITY_COLUMNS = {"company", "siret", "region", "headcount", "team_members", "created_by"}


@pytest.fixture
def review():
    """An anonymised edition after its deadline, a juror with two projects of two companies."""
    edition = EditionFactory(anonymised_review=True)
    first = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW, title="Alpha", team_members="Alice, CEO")
    second = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW, title="Beta")
    j = juror(edition)
    assign(j, first)
    assign(j, second)
    return edition, j, first, second


def after_deadline(edition):
    return time_machine.travel(edition.closes_at + timedelta(days=1))


def listed(client, edition) -> list[str]:
    response = client.get(reverse("contests:jury", args=[edition.slug]))
    return [a.submission.title for a in response.context["assignments"]]


# --- Conflicts: declared before the projects are shown ----------------------------------------------


def test_no_project_is_shown_before_the_juror_closes_the_declaration(client, review):
    edition, j, first, _second = review
    client.force_login(j.user)
    with after_deadline(edition):
        response = client.get(reverse("contests:jury", args=[edition.slug]))
        assert response.context["assignments"] == []
        assert response.context["declare_first"] is True
        # Not by URL, nor its files, nor in a pack either.
        assert client.get(reverse("contests:jury_review", args=[edition.slug, first.pk])).status_code == 404
        assert client.post(reverse("contests:jury_recuse", args=[edition.slug, first.pk])).status_code == 404
        pack = client.get(reverse("contests:jury_pack", args=[edition.slug])).content.decode()
        assert "Alpha" not in pack
    assert jury_assignments(j) == []


def test_a_company_named_during_the_declaration_was_never_seen_then_the_list_is_final(client, review):
    edition, j, first, second = review
    client.force_login(j.user)
    with after_deadline(edition):
        response = client.post(reverse("contests:jury_conflicts", args=[edition.slug]), {"company": first.company.pk, "reason": "Ancien employeur"})
        assert response.status_code == 302
        client.post(reverse("contests:jury_conflicts_close", args=[edition.slug]))
        assert listed(client, edition) == ["Beta"]
        # Once the projects are shown, naming a company is refused: the list cannot shrink by it.
        response = client.post(reverse("contests:jury_conflicts", args=[edition.slug]), {"company": second.company.pk})
        assert response.status_code == 400
        assert [str(m) for m in response.context["messages"]] == [
            "Vos projets vous sont déjà présentés : si vous en reconnaissez un, déportez-vous sur sa page."
        ]
        assert response.context["form"] is None
        assert listed(client, edition) == ["Beta"]
    assert Conflict.objects.filter(juror=j, company=second.company).exists() is False
    with pytest.raises(ValidationError):
        services.conflict_declare(juror=j, company=second.company)
    assert Assignment.objects.filter(juror=j, submission=second).exists() is True


def test_the_juror_s_own_data_export_names_no_project_before_the_declaration_is_closed(client, review):
    edition, j, first, _second = review

    def exported_projects():
        return [r["project"] for r in personal_data.user_data_export(j.user)["contests"]["jury"][0]["reviews"]]

    client.force_login(j.user)
    with after_deadline(edition):
        assert exported_projects() == []
        # Naming a company one at a time and watching titles go would tell who wrote what.
        client.post(reverse("contests:jury_conflicts", args=[edition.slug]), {"company": first.company.pk})
        assert exported_projects() == []
        client.post(reverse("contests:jury_conflicts_close", args=[edition.slug]))
        assert exported_projects() == ["Beta"]
    assert "Alpha" not in str(personal_data.user_data_export(j.user))


def test_recusal_on_a_recognised_project_never_shows_the_company_s_name(client, review):
    """What is guaranteed: the company's name is shown nowhere (page, export). What is not: the
    company's other projects leave the list with the one recognised, so the juror learns they
    share a company — accepted, since a conflicted juror scores none of them (no bias possible)."""
    edition, j, first, second = review
    sibling = SubmissionFactory(edition=edition, company=first.company, state=SubmissionState.UNDER_REVIEW, title="Gamma")
    assign(j, sibling)
    client.force_login(j.user)
    with after_deadline(edition):
        client.post(reverse("contests:jury_conflicts_close", args=[edition.slug]))
        assert listed(client, edition) == ["Alpha", "Beta", "Gamma"]
        response = client.post(reverse("contests:jury_recuse", args=[edition.slug, first.pk]), {"reason": "Je connais l’équipe"})
        assert (response.status_code, response["Location"]) == (302, reverse("contests:jury", args=[edition.slug]))
        # The conflict is with the company behind it: its other project goes too (the juror sees
        # Gamma go with Alpha), but the company is named nowhere.
        assert listed(client, edition) == ["Beta"]
        page = client.get(reverse("contests:jury_conflicts", args=[edition.slug])).content.decode()
        assert "Le projet « Alpha » — Je connais l’équipe" in page
        assert first.company.legal_name not in page
        assert second.company.legal_name not in page  # no list of applicants any more either
    conflict = Conflict.objects.get(juror=j)
    assert (conflict.company, conflict.via_project, conflict.submission) == (first.company, True, first)
    exported = personal_data.user_data_export(j.user)["contests"]["jury"][0]["conflicts"]
    assert exported == ["Le projet « Alpha »"]
    assert first.company.legal_name not in str(personal_data.user_data_export(j.user))
    # Staff fill the gap; never with this juror.
    other = juror(edition)
    Juror.objects.filter(pk=other.pk).update(conflicts_declared_at=timezone.now())
    services.assignments_auto_balance(edition=edition, per_submission=1)
    assert set(Assignment.objects.filter(juror=j).values_list("submission_id", flat=True)) == {second.pk}
    assert set(Assignment.objects.filter(juror=other).values_list("submission_id", flat=True)) == {first.pk, sibling.pk}


def test_an_invalid_recusal_reason_is_said_and_nothing_is_recorded(client, review):
    edition, j, first, _second = review
    client.force_login(j.user)
    with after_deadline(edition):
        client.post(reverse("contests:jury_conflicts_close", args=[edition.slug]))
        url = reverse("contests:jury_recuse", args=[edition.slug, first.pk])
        errors = []
        for reason in ("x" * 301, "a\x00b"):
            response = client.post(url, {"reason": reason})
            assert response.status_code == 400
            errors.append(response.context["recusal_form"].errors["reason"])
        assert errors == [
            ["Assurez-vous que cette valeur comporte au plus 300 caractères (actuellement 301)."],
            ["Le caractère nul n’est pas autorisé."],
        ]
        assert listed(client, edition) == ["Alpha", "Beta"]
    assert Conflict.objects.count() == 0


def _admin_adds_conflict(admin_client, j, company):
    url = f"/admin/contests/juror/{j.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["themes"] = [t.pk for t in data.get("themes") or []]
    data.update({
        "conflicts-TOTAL_FORMS": "1", "conflicts-INITIAL_FORMS": "0",
        "conflicts-0-company": company.pk, "conflicts-0-reason": "Signalé à l’équipe",
    })
    return admin_client.post(url, data)


def test_a_conflict_staff_add_after_the_declaration_is_stored_like_a_recusal(admin_client, client, review):
    edition, j, first, second = review
    sibling = SubmissionFactory(edition=edition, company=first.company, state=SubmissionState.UNDER_REVIEW, title="Gamma")
    assign(j, sibling)
    Juror.objects.filter(pk=j.pk).update(conflicts_declared_at=timezone.now())
    with after_deadline(edition):
        response = _admin_adds_conflict(admin_client, j, first.company)
        assert response.status_code == 302
        conflict = Conflict.objects.get(juror=j)
        assert (conflict.company, conflict.via_project, conflict.submission, conflict.reason) == (
            first.company, True, first, "Signalé à l’équipe"
        )
        assert set(Assignment.objects.filter(juror=j).values_list("submission_id", flat=True)) == {second.pk}
        client.force_login(j.user)
        page = client.get(reverse("contests:jury_conflicts", args=[edition.slug])).content.decode()
        assert "Le projet « Alpha »" in page
        assert first.company.legal_name not in page
    assert personal_data.user_data_export(j.user)["contests"]["jury"][0]["conflicts"] == ["Le projet « Alpha »"]
    assert first.company.legal_name not in str(personal_data.user_data_export(j.user))


def test_a_conflict_staff_add_before_the_declaration_is_closed_names_the_company(admin_client, review):
    edition, j, first, second = review
    # Nothing is shown yet: naming the company links it to no project the juror has seen.
    assert _admin_adds_conflict(admin_client, j, first.company).status_code == 302
    conflict = Conflict.objects.get(juror=j)
    assert (conflict.company, conflict.via_project, conflict.submission) == (first.company, False, None)
    assert services.conflict_label(conflict) == first.company.legal_name
    assert set(Assignment.objects.filter(juror=j).values_list("submission_id", flat=True)) == {second.pk}


def test_recusal_of_a_project_not_given_to_the_juror_is_404(client, review):
    edition, j, _first, _second = review
    stranger = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    client.force_login(j.user)
    with after_deadline(edition):
        client.post(reverse("contests:jury_conflicts_close", args=[edition.slug]))
        assert client.post(reverse("contests:jury_recuse", args=[edition.slug, stranger.pk])).status_code == 404
        assert client.post(reverse("contests:jury_recuse", args=[edition.slug, 10**9])).status_code == 404
    client.force_login(UserFactory())
    assert client.post(reverse("contests:jury_conflicts_close", args=[edition.slug])).status_code == 404
    assert Conflict.objects.count() == 0


def test_a_review_that_is_not_anonymised_shows_projects_at_once_and_takes_conflicts_any_time(client):
    edition = EditionFactory(anonymised_review=False)
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW, title="Visible")
    j = juror(edition)
    assign(j, sub)
    assert [a.submission for a in jury_assignments(j)] == [sub]
    services.conflict_declare(juror=j, company=sub.company)
    assert jury_assignments(j) == []


# --- Jury packs ---------------------------------------------------------------------------------------


def test_the_juror_pack_of_an_anonymised_review_holds_no_identity(client, review):
    edition, j, first, _second = review
    Juror.objects.filter(pk=j.pk).update(conflicts_declared_at=timezone.now())
    stranger = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW, title="Not mine")
    client.force_login(j.user)
    response = client.get(reverse("contests:jury_pack", args=[edition.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    header = lines[0].split(",")
    assert IDENTITY_COLUMNS.isdisjoint(header)
    assert [line.split(",")[header.index("title")] for line in lines[1:]] == ["Alpha", "Beta"]
    body = response.content.decode()
    for text in (first.company.legal_name, first.company.siret, "Alice", stranger.title):
        assert text not in body


def test_the_juror_pack_of_a_named_review_shows_what_the_review_page_shows_and_no_more(client):
    edition = EditionFactory(anonymised_review=False)
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    j = juror(edition)
    assign(j, sub)
    client.force_login(j.user)
    lines = client.get(reverse("contests:jury_pack", args=[edition.slug])).content.decode().splitlines()
    header = lines[0].split(",")
    assert {"company", "region", "team_members"} <= set(header)
    assert {"siret", "headcount"}.isdisjoint(header)
    assert sub.company.legal_name in lines[1]


def test_the_juror_pack_is_404_for_someone_not_on_the_jury(client, review):
    edition, _j, _first, _second = review
    client.force_login(UserFactory())
    assert client.get(reverse("contests:jury_pack", args=[edition.slug])).status_code == 404
    client.logout()
    assert client.get(reverse("contests:jury_pack", args=[edition.slug])).status_code == 302


def test_staff_packs_full_and_anonymised():
    edition = EditionFactory(anonymised_review=True)
    sub = SubmissionFactory(edition=edition, state=SubmissionState.SUBMITTED, team_members="Alice")
    full = SubmissionJuryPackResource().export(queryset=Submission.objects.all())
    assert (full["company"][0], full["siret"][0], full["team_members"][0]) == (sub.company.legal_name, sub.company.siret, "Alice")
    anonymised = AnonymisedJuryPackResource().export(queryset=Submission.objects.all())
    assert IDENTITY_COLUMNS.isdisjoint(anonymised.headers)
    assert list(anonymised["title"]) == [sub.title]
    named = NamedJuryPackResource().export(queryset=Submission.objects.all())
    assert {"siret", "headcount"}.isdisjoint(named.headers)


@pytest.fixture
def staff_client(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    return client


def test_the_full_export_needs_staff_status_and_the_view_permission(staff_client):
    SubmissionFactory(state=SubmissionState.SUBMITTED)
    url = reverse("admin:contests_submission_export")
    edition = EditionFactory()
    j = juror(edition)  # a juror, not staff: the admin is closed
    staff_client.force_login(j.user)
    assert staff_client.get(url).status_code == 302
    staff = UserFactory(is_staff=True)
    staff_client.force_login(staff)
    assert staff_client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_submission"))
    staff_client.force_login(staff)
    response = staff_client.get(url)
    assert response.status_code == 200
    labels = [label for _value, label in response.context["form"].fields["resource"].choices]
    assert labels == ["Projets avec leurs entreprises (réservé à l’équipe)", "Dossier du jury anonymisé", "Dossier du jury avec les noms des entreprises"]


def test_a_juror_who_has_not_closed_the_declaration_is_still_reminded_of_the_work():
    from portal.models import Notification

    edition = EditionFactory(anonymised_review=True, closes_at=timezone.now() - timedelta(days=1),
                             opens_at=timezone.now() - timedelta(days=20), review_deadline=timezone.now() + timedelta(days=2))
    j = juror(edition)
    assign(j, SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW))
    assert jury_assignments(j) == []
    assert services.review_reminders_send() == 1
    assert list(Notification.objects.values_list("user", "kind")) == [(j.user_id, "contests.review_reminder")]


def test_no_recusal_once_the_deliberation_has_started_the_review_stays(client, review):
    edition, j, first, _second = review
    Juror.objects.filter(pk=j.pk).update(conflicts_declared_at=timezone.now())
    with after_deadline(edition):
        services.edition_start_deliberation(edition=edition, by=None)
        client.force_login(j.user)
        assert client.get(reverse("contests:jury_review", args=[edition.slug, first.pk])).context["can_recuse"] is False
        response = client.post(reverse("contests:jury_recuse", args=[edition.slug, first.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "La délibération a commencé : signalez votre conflit d’intérêts à l’équipe du concours."
    ]
    assert (Conflict.objects.count(), Assignment.objects.filter(juror=j).count()) == (0, 2)
