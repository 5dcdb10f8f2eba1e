from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contests import services
from contests.models import Assignment, Company, Review, Submission, SubmissionState
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory, assign, juror, member
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db


def form_data(sub: Submission, **overrides) -> dict:
    data = {
        "title": sub.title, "theme": sub.theme_id, "pitch": sub.pitch, "description": sub.description,
        "object_function": sub.object_function, "connectivity": sub.connectivity, "data_handled": "",
        "stage": sub.stage, "target_market": sub.target_market, "business_model": sub.business_model,
        "team_members": "", "video_url": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owned(client):
    sub = SubmissionFactory()
    owner = member(sub.company)
    client.force_login(owner)
    return sub, owner


# --- Deadline to the second, through the view -----------------------------------------------------


def test_submit_one_second_before_the_deadline_is_accepted(client, owned):
    sub, _owner = owned
    with time_machine.travel(sub.edition.closes_at - timedelta(seconds=1), tick=False):
        response = client.post(reverse("contests:submission_edit", args=[sub.pk]), form_data(sub, submit="1"))
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:submission_detail", args=[sub.pk])
    assert Submission.objects.get(pk=sub.pk).state == SubmissionState.SUBMITTED


def test_submit_one_second_after_the_deadline_is_refused_and_the_draft_survives(client, owned):
    sub, _owner = owned
    with time_machine.travel(sub.edition.closes_at + timedelta(seconds=1), tick=False):
        response = client.post(
            reverse("contests:submission_submit", args=[sub.pk]), follow=True
        )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "La date limite est passée : le projet reste un brouillon et ne peut plus être soumis."
    ]
    kept = Submission.objects.get(pk=sub.pk)
    assert (kept.state, kept.title, kept.pitch) == (SubmissionState.DRAFT, sub.title, sub.pitch)


def test_edit_form_after_the_deadline_is_refused_with_a_message(client, owned):
    sub, _owner = owned
    with time_machine.travel(sub.edition.closes_at + timedelta(seconds=1), tick=False):
        response = client.post(reverse("contests:submission_edit", args=[sub.pk]), form_data(sub, pitch="Trop tard"), follow=True)
    assert response.status_code == 200
    assert Submission.objects.get(pk=sub.pk).pitch == sub.pitch


def test_a_failed_submit_keeps_what_was_typed_in_the_draft(client, owned):
    sub, _owner = owned
    response = client.post(
        reverse("contests:submission_edit", args=[sub.pk]),
        form_data(sub, pitch="Pitch retravaillé", business_model="", submit="1"),
        follow=True,
    )
    assert response.status_code == 200
    kept = Submission.objects.get(pk=sub.pk)
    assert (kept.state, kept.pitch) == (SubmissionState.DRAFT, "Pitch retravaillé")
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "Votre brouillon a été enregistré."
    assert "modèle économique" in messages[1]


def test_a_duplicate_title_gets_a_form_error_not_a_500(client, owned):
    sub, _owner = owned
    response = client.post(
        reverse("contests:submission_create", args=[sub.edition.slug, sub.company.pk]),
        form_data(sub, title=sub.title.upper()),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Cette entreprise a déjà un projet portant ce titre dans cette édition."]


def test_other_peoples_projects_and_companies_are_404(client, owned):
    sub, _owner = owned
    stranger_sub = SubmissionFactory(edition=sub.edition)
    member(stranger_sub.company)
    for name, args in [
        ("contests:submission_edit", [stranger_sub.pk]),
        ("contests:submission_detail", [stranger_sub.pk]),
        ("contests:company_detail", [stranger_sub.company.pk]),
        ("contests:company_edit", [stranger_sub.company.pk]),
        ("contests:submission_create", [sub.edition.slug, stranger_sub.company.pk]),
        ("contests:submission_detail", [999999]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    for name in ("contests:submission_submit", "contests:submission_withdraw", "contests:attachment_upload"):
        assert client.post(reverse(name, args=[stranger_sub.pk])).status_code == 404
    assert Submission.objects.get(pk=stranger_sub.pk).state == SubmissionState.DRAFT


def test_withdrawing_a_project_asks_first_and_says_it_is_final(client, owned):
    sub, owner = owned
    url = reverse("contests:submission_withdraw", args=[sub.pk])
    detail = client.get(reverse("contests:submission_detail", args=[sub.pk])).content.decode()
    assert f'href="{url}"' in detail and "Retirer ce projet…" in detail
    page = client.get(url).content.decode()
    assert "le jury ne le verra pas et il ne pourra plus être déposé" in page
    assert Submission.objects.get(pk=sub.pk).state == SubmissionState.DRAFT  # the GET changed nothing
    client.post(url)
    assert Submission.objects.get(pk=sub.pk).state == SubmissionState.WITHDRAWN
    assert client.get(url).status_code == 404  # a stale confirmation page: nothing left to confirm
    stranger = SubmissionFactory(edition=sub.edition)
    assert client.get(reverse("contests:submission_withdraw", args=[stranger.pk])).status_code == 404


def test_bad_theme_or_bad_number_is_a_form_error(client, owned):
    sub, _owner = owned
    response = client.post(reverse("contests:submission_edit", args=[sub.pk]), form_data(sub, theme="abc", stage="nope"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"theme", "stage"}


# --- Companies and eligibility ----------------------------------------------------------------------


def company_data(**overrides):
    data = {
        "legal_name": "Capteurs d'Anjou SAS", "siret": "732 829 320 00074", "region": region().pk, "headcount": 8,
        "turnover_eur": 900000, "balance_sheet_eur": "", "created_on": "2014-06-01", "independence_declared": "on",
    }
    data.update(overrides)
    return data


def test_company_form_says_existence_is_not_checked(client):
    client.force_login(UserFactory())
    html = client.get(reverse("contests:company_create")).content.decode()
    assert "nous ne pouvons pas vérifier que l’entreprise existe" in html or "ne pouvons pas vérifier" in html


def test_invalid_siret_is_refused_with_a_clear_message(client):
    client.force_login(UserFactory())
    response = client.post(reverse("contests:company_create"), company_data(siret="73282932000075"))
    assert response.status_code == 200
    assert response.context["form"].errors["siret"] == [
        "Ce numéro SIRET n’est pas valide : sa clé de contrôle ne correspond pas. Vérifiez-le sur votre Kbis ou votre avis de situation INSEE."
    ]
    assert Company.objects.count() == 0


def test_la_poste_establishment_siret_is_accepted(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("contests:company_create"), company_data(siret="35600000049837", headcount=200))
    assert response.context is None or response.context["form"].errors == {}
    assert response.status_code == 302
    assert Company.objects.get().siret == "35600000049837"


def test_a_siret_already_registered_is_refused_politely(client):
    CompanyFactory(siret="73282932000074")
    client.force_login(UserFactory())
    response = client.post(reverse("contests:company_create"), company_data())
    assert response.status_code == 200
    assert "déjà" in response.context["form"].errors["siret"][0]


def test_ineligible_company_is_told_why_before_writing_a_project(client):
    user = UserFactory()
    client.force_login(user)
    EditionFactory()
    response = client.post(reverse("contests:company_create"), company_data(headcount=300), follow=True)
    html = response.content.decode()
    assert "Votre entreprise emploie 300 personnes" in html
    company = Company.objects.get()
    edition = EditionFactory()
    response = client.get(reverse("contests:submission_create", args=[edition.slug, company.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:company_detail", args=[company.pk])


def test_eligible_company_is_offered_to_write_a_project(client):
    user = UserFactory()
    client.force_login(user)
    edition = EditionFactory()
    response = client.post(reverse("contests:company_create"), company_data(), follow=True)
    html = response.content.decode()
    assert "micro-entreprise" in html
    assert reverse("contests:submission_create", args=[edition.slug, Company.objects.get().pk]) in html


# --- Jury ---------------------------------------------------------------------------------------------


def test_jury_space_is_for_accepted_jurors_only(client):
    edition = EditionFactory()
    url = reverse("contests:jury", args=[edition.slug])
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 404  # staff status does not make a juror
    j = juror(edition)
    client.force_login(j.user)
    assert client.get(url).status_code == 200


def test_juror_gets_404_on_a_conflicted_or_unassigned_submission(client):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    other = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    draft = SubmissionFactory(edition=edition, state=SubmissionState.DRAFT)
    j = juror(edition)
    assign(j, sub)
    assign(j, draft)
    client.force_login(j.user)
    assert client.get(reverse("contests:jury_review", args=[edition.slug, sub.pk])).status_code == 200
    assert client.get(reverse("contests:jury_review", args=[edition.slug, other.pk])).status_code == 404
    assert client.get(reverse("contests:jury_review", args=[edition.slug, draft.pk])).status_code == 404
    services.conflict_declare(juror=j, company=sub.company)
    assert client.get(reverse("contests:jury_review", args=[edition.slug, sub.pk])).status_code == 404
    html = client.get(reverse("contests:jury", args=[edition.slug])).content.decode()
    assert sub.title not in html
    assert draft.title not in html


def test_juror_sees_no_other_score_before_submitting_his_own(client):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    first, second = juror(edition), juror(edition)
    criteria = list(edition.criteria.all())
    with time_machine.travel(edition.closes_at + timedelta(days=1)):
        services.review_save(assignment=assign(first, sub), user=first.user, scores={c.pk: (7, "Très bon capteur") for c in criteria},
                             comment="Avis du premier", submit=True)
        assign(second, sub)
        client.force_login(second.user)
        url = reverse("contests:jury_review", args=[edition.slug, sub.pk])
        before = client.get(url).content.decode()
        assert "Avis du premier" not in before
        assert "Très bon capteur" not in before
        data = {f"score_{c.pk}": 5 for c in criteria} | {"comment": "Mon avis", "submit": "1"}
        assert client.post(url, data).status_code == 302
        after = client.get(url).content.decode()
        assert "Avis du premier" in after


def test_out_of_range_score_is_a_form_error_not_a_500(client):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    j = juror(edition)
    assign(j, sub)
    client.force_login(j.user)
    c = edition.criteria.first()
    with time_machine.travel(edition.closes_at + timedelta(days=1)):
        response = client.post(reverse("contests:jury_review", args=[edition.slug, sub.pk]), {f"score_{c.pk}": "42", "submit": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"score_{c.pk}"]


def test_anonymised_review_hides_company_and_team(client):
    edition = EditionFactory(anonymised_review=True)
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW, team_members="Alice Martin, CTO")
    j = juror(edition)
    assign(j, sub)
    client.force_login(j.user)
    for url in (reverse("contests:jury", args=[edition.slug]), reverse("contests:jury_review", args=[edition.slug, sub.pk])):
        html = client.get(url).content.decode()
        assert sub.company.legal_name not in html
        assert "Alice Martin" not in html


def test_invitation_acceptance_requires_login_then_links_the_account(client):
    edition = EditionFactory()
    j = services.juror_invite(edition=edition, email="new@example.org")
    url = reverse("contests:jury_accept", args=[j.token])
    assert client.get(url).status_code == 302
    user = UserFactory(email="new@example.org")
    client.force_login(user)
    assert client.post(url).status_code == 302
    j.refresh_from_db()
    assert j.user == user
    assert client.get(reverse("contests:jury_accept", args=["forged"])).status_code == 404


@pytest.mark.parametrize("token", ["%00", "abc%00def", "x" * 65])
def test_a_hostile_invitation_token_is_a_404_not_a_500(client, token):
    client.force_login(UserFactory())
    url = reverse("contests:jury_accept", args=["placeholder"]).replace("placeholder", token)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_juror_declares_a_conflict_from_the_front_end(client):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.SUBMITTED)
    j = juror(edition)
    assign(j, sub)
    client.force_login(j.user)
    response = client.post(reverse("contests:jury_conflicts", args=[edition.slug]), {"company": sub.company.pk, "reason": "Ancien associé"})
    assert response.status_code == 302
    assert list(j.assignments.all()) == []


def test_the_conflict_form_lists_a_company_with_a_draft_beside_a_submitted_project(client):
    edition = EditionFactory()
    both = SubmissionFactory(edition=edition, state=SubmissionState.SUBMITTED, title="Submitted one")
    SubmissionFactory(edition=edition, company=both.company, state=SubmissionState.DRAFT, title="Draft one")
    SubmissionFactory(edition=edition, state=SubmissionState.DRAFT)
    SubmissionFactory(edition=edition, state=SubmissionState.WITHDRAWN)
    j = juror(edition)
    client.force_login(j.user)
    form = client.get(reverse("contests:jury_conflicts", args=[edition.slug])).context["form"]
    assert list(form.fields["company"].queryset) == [both.company]


# --- Staff deliberation and public pages -------------------------------------------------------------------


def test_ranking_page_is_staff_only(client):
    edition = EditionFactory()
    client.force_login(juror(edition).user)
    assert client.get(reverse("contests:ranking", args=[edition.slug])).status_code == 403
    assert client.post(reverse("contests:edition_action", args=[edition.slug, "publish"])).status_code == 403


def test_laureates_page_is_404_until_published(client):
    edition = EditionFactory()
    assert client.get(reverse("contests:laureates", args=[edition.slug])).status_code == 404
    assert client.get(reverse("contests:edition_detail", args=["nope"])).status_code == 404


def _published_edition_with(n: int):
    edition = EditionFactory(
        opens_at=timezone.now() - timedelta(days=100), closes_at=timezone.now() - timedelta(days=50),
        published_at=timezone.now() - timedelta(days=1),
    )
    themes = [et.theme for et in edition.edition_themes.all()]
    for i in range(n):
        SubmissionFactory(edition=edition, theme=themes[i % 4], state=SubmissionState.LAUREATE, rank=i // 4 + 1, prize="Prix")
    return edition


@pytest.mark.parametrize("n", [1, 30])
def test_laureates_page_query_count_is_constant(client, django_assert_num_queries, n):
    edition = _published_edition_with(n)
    with django_assert_num_queries(5):
        response = client.get(reverse("contests:laureates", args=[edition.slug]))
    assert response.status_code == 200
    assert response.content.decode().count("<li value=") == n


@pytest.mark.parametrize("n", [1, 30])
def test_contest_index_and_archive_query_count_is_constant(client, django_assert_num_queries, n):
    _published_edition_with(n)
    EditionFactory()  # the current one
    with django_assert_num_queries(5):
        assert client.get(reverse("contests:index")).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(reverse("contests:archive")).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_jury_list_query_count_is_constant(client, django_assert_num_queries, n):
    edition = EditionFactory()
    j = juror(edition)
    for _ in range(n):
        assign(j, SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW))
    client.force_login(j.user)
    with django_assert_num_queries(5):  # the juror with the edition in one query; the list in one narrow query
        response = client.get(reverse("contests:jury", args=[edition.slug]))
    assert response.content.decode().count("/jury/") >= n


@pytest.mark.parametrize("n", [1, 30])
def test_ranking_page_query_count_is_constant(client, django_assert_num_queries, n):
    edition = EditionFactory()
    staff = UserFactory(is_staff=True, is_superuser=True)
    j = juror(edition)
    for _ in range(n):
        assign(j, SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW))
    client.force_login(staff)
    with django_assert_num_queries(10):
        assert client.get(reverse("contests:ranking", args=[edition.slug])).status_code == 200


def test_public_pages_render_rules_as_sanitised_markdown(client):
    EditionFactory(rules="**Gras** <script>alert(1)</script> [lien](javascript:alert(1))")
    html = client.get(reverse("contests:index")).content.decode()
    assert "<strong>Gras</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_mon_espace_lists_companies_and_projects_with_their_state(client, owned):
    sub, owner = owned
    html = client.get(reverse("me:dashboard")).content.decode()
    assert sub.company.legal_name in html
    assert sub.title in html
    assert "Brouillon" in html


def test_absurd_numbers_are_form_errors_not_a_500(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("contests:company_create"), company_data(headcount="99999999999999", turnover_eur="99999999999999999999999")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"headcount", "turnover_eur"}


def test_english_pages_live_under_en(client, owned):
    sub, _owner = owned
    html = client.get("/en/contests/").content.decode()
    assert "Connected-object contest" in html
    assert "Key dates" in html
    assert client.get(f"/en/contests/projects/{sub.pk}/").status_code == 200


GARBAGE = [
    {},
    {"title": "x" * 5000, "theme": "-1", "stage": "<script>", "video_url": "javascript:alert(1)", "submit": "1"},
    {"kind": "nope", "decision": "laureate", "rank": "-3", "email": "not-an-email", "company": "abc", "score_1": "1e9"},
    {"siret": "\x00\x00", "headcount": "-1", "created_on": "2999-99-99", "region": "999999"},
    # A valid address longer than the column (254), an invalid reason, the invitation's answers.
    {"email": "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "org", "reason": "x" * 400, "action": "accept"},
    {"email": "x\x00@example.org", "reason": "\x00", "action": "decline", "company": "\x00"},
]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_posted_anywhere_never_gives_a_500(client, data):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    owner = member(sub.company)
    j = juror(edition)
    assign(j, sub)
    staff = UserFactory(is_staff=True, is_superuser=True)
    to_juror = services.company_invitation_create(company=sub.company, user=owner, email=j.user.email)
    to_revoke = services.company_invitation_create(company=sub.company, user=owner, email="someone@example.org")
    urls = [
        reverse("contests:jury_recuse", args=[edition.slug, sub.pk]),
        reverse("contests:jury_conflicts_close", args=[edition.slug]),
        reverse("contests:company_invite", args=[sub.company.pk]),
        reverse("contests:invitation_revoke", args=[sub.company.pk, to_revoke.pk]),
        reverse("contests:invitation", args=[to_juror.token]),
        reverse("contests:company_create"), reverse("contests:company_edit", args=[sub.company.pk]),
        reverse("contests:submission_create", args=[edition.slug, sub.company.pk]),
        reverse("contests:submission_edit", args=[sub.pk]), reverse("contests:submission_submit", args=[sub.pk]),
        reverse("contests:submission_withdraw", args=[sub.pk]), reverse("contests:attachment_upload", args=[sub.pk]),
        reverse("contests:jury_review", args=[edition.slug, sub.pk]), reverse("contests:jury_conflicts", args=[edition.slug]),
        reverse("contests:decide", args=[edition.slug, sub.pk]),
        reverse("contests:edition_action", args=[edition.slug, "publish"]),
        reverse("contests:edition_action", args=[edition.slug, "nonsense"]),
        reverse("contests:jury_accept", args=["x" * 300]),
    ]
    for person in (owner, j.user, staff):
        client.force_login(person)
        for url in urls:
            assert client.post(url, data).status_code in (200, 302, 400, 403, 404, 405), url


@pytest.mark.parametrize("n", [1, 30])
def test_mon_espace_section_costs_four_queries_whatever_the_number_of_projects(rf, django_assert_num_queries, n):
    from contests.personal_data import dashboard_context

    user = UserFactory()
    edition = EditionFactory()
    for _ in range(n):
        company = SubmissionFactory(edition=edition).company
        member(company, user)
        services.company_invitation_create(company=company, user=user, email=f"Invite-{company.pk}@example.org")
    invitee = UserFactory(email=f"invite-{company.pk}@example.org")
    juror(edition, user)
    request = rf.get("/me/")
    request.user = user
    with django_assert_num_queries(4):
        data = dashboard_context(request)
        assert len(data["submissions"]) == min(n, 20)
        assert [s.edition.title for s in data["submissions"]][:1] == [edition.title]
        assert data["invitations"] == []
    request.user = invitee
    with django_assert_num_queries(4):
        assert [i.organisation.legal_name for i in dashboard_context(request)["invitations"]] == [company.legal_name]


@pytest.mark.parametrize("n", [1, 30])
def test_edition_page_query_count_is_constant(client, django_assert_num_queries, n):
    edition = _published_edition_with(n)
    with django_assert_num_queries(5):
        assert client.get(reverse("contests:edition_detail", args=[edition.slug])).status_code == 200


def test_reviews_are_locked_at_the_reviewing_deadline_to_the_second(client):
    edition = EditionFactory()
    edition.review_deadline = edition.closes_at + timedelta(days=5)
    edition.save()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    j = juror(edition)
    assign(j, sub)
    url = reverse("contests:jury_review", args=[edition.slug, sub.pk])
    criteria = list(edition.criteria.all())
    with time_machine.travel(edition.review_deadline - timedelta(seconds=1), tick=False):
        client.force_login(j.user)
        response = client.post(url, {f"score_{c.pk}": 6 for c in criteria} | {"submit": "1"})
        assert response["Location"] == url
    with time_machine.travel(edition.review_deadline + timedelta(seconds=1), tick=False):
        client.force_login(j.user)
        response = client.post(url, {f"score_{c.pk}": 9 for c in criteria} | {"submit": "1"})
        assert response.status_code == 200
        assert "Les évaluations sont closes : elles ne peuvent plus être rédigées ni modifiées." in response.content.decode()
        assert 'name="submit"' not in response.content.decode()
    assert sorted(Review.objects.get().scores.values_list("value", flat=True)) == [6, 6, 6]


def test_reviews_are_final_once_the_deliberation_has_started():
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    j = juror(edition)
    a = assign(j, sub)
    with time_machine.travel(edition.closes_at + timedelta(days=1)):
        services.edition_start_deliberation(edition=edition, by=UserFactory(is_staff=True))
        a = Assignment.objects.select_related("juror", "submission__edition").get(pk=a.pk)
        with pytest.raises(ValidationError) as exc:
            services.review_save(assignment=a, user=j.user, scores={}, comment="Trop tard", submit=False)
    assert exc.value.messages == ["Les évaluations sont closes : elles ne peuvent plus être rédigées ni modifiées."]
    assert Review.objects.count() == 0


def test_staff_messages_agree_in_number_in_french(client):
    edition = EditionFactory(jurors_per_submission=1)
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    sub.created_by = member(sub.company)
    sub.save()
    juror(edition)
    with time_machine.travel(edition.closes_at + timedelta(days=1)):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        response = client.post(reverse("contests:edition_action", args=[edition.slug, "assign"]), follow=True)
        assert [str(m) for m in response.context["messages"]] == ["1 attribution créée."]
        client.post(reverse("contests:deliberation_start", args=[edition.slug]))
        themes = [str(t) for t in edition.edition_themes.values_list("theme_id", flat=True)]
        response = client.post(reverse("contests:publication_prepare", args=[edition.slug]),
                               {"action": "prepare", "not_retained_for_remaining": "on", "themes_without_laureate": themes})
        response = client.post(response.url + "release/", follow=True)
        assert [str(m) for m in response.context["messages"]][-1] == "Résultats publiés : 1 e-mail est en route."


@pytest.mark.parametrize("state", [SubmissionState.SHORTLISTED, SubmissionState.NOT_RETAINED, SubmissionState.LAUREATE])
def test_no_page_of_the_project_tells_the_decision_before_publication(client, state):
    sub = SubmissionFactory(state=state, rank=1 if state == SubmissionState.LAUREATE else None)
    client.force_login(member(sub.company))
    for name in ("contests:submission_edit", "contests:submission_detail"):
        html = client.get(reverse(name, args=[sub.pk])).content.decode()
        assert '<span class="badge">En cours d’évaluation</span>' in html or '<strong class="badge">En cours d’évaluation</strong>' in html
        assert {"shortlisted": "Présélectionné", "not_retained": "Non retenu", "laureate": "Lauréat"}[state] not in html


def test_staff_can_clear_the_feedback_of_a_decision(client):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    url = reverse("contests:decide", args=[edition.slug, sub.pk])
    with time_machine.travel(edition.closes_at + timedelta(days=1)):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        client.post(url, {"decision": "shortlisted", "feedback": "Dites-leur que le marché est trop petit"})
        assert Submission.objects.get(pk=sub.pk).feedback == "Dites-leur que le marché est trop petit"
        client.post(url, {"decision": "shortlisted", "rank": "", "prize": "", "feedback": ""})
    assert Submission.objects.get(pk=sub.pk).feedback == ""


def test_editing_a_withdrawn_project_says_why_without_blaming_the_deadline(client, owned):
    sub, owner = owned
    services.submission_withdraw(submission=sub, user=owner)
    response = client.post(reverse("contests:submission_edit", args=[sub.pk]), form_data(sub, pitch="Encore"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Ce projet ne peut plus être modifié."]
    assert Submission.objects.get(pk=sub.pk).pitch == sub.pitch
