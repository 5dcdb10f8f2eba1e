"""The diagnostic's pages: the steps with and without an account, bad input, the result, the
report, the contact request, Mon espace and the home page (query ceilings included)."""

import uuid

import pytest
from django.urls import reverse

from diagnostic import selectors
from diagnostic.models import ContactRequest, PathItem, Response, ResponseStatus
from diagnostic.services import SESSION_KEY
from tests.factories import PASSWORD, UserFactory, region

from .factories import answers_for, best, completed_response, reference_version, rule, worst

pytestmark = pytest.mark.django_db

GREEN_WEAKEST = {"strategy": best, "readiness": best, "human": best, "data": best, "automation": best, "green": worst}


def _post_data(spec, dimension, answers):
    data = {}
    for q in dimension.questions:
        chosen = answers[q.id]
        data[f"q{q.id}"] = [str(o) for o in chosen] if q.kind == "multi" else str(next(iter(chosen)))
    return data


def _begin(client):
    """Start a diagnostic and answer the company step; the version's structure."""
    version = reference_version()
    region("bretagne")
    client.post("/diagnostic/start/")
    response = client.post("/diagnostic/step/0/", {"sector": "C", "size_band": "small", "region": "bretagne"})
    assert response.status_code == 302
    return selectors.version_spec(version)


def _take_it(client, picker=best):
    spec = _begin(client)
    answers = answers_for(spec, picker)
    for number, dimension in enumerate(spec.dimensions, start=1):
        response = client.post(f"/diagnostic/step/{number}/", _post_data(spec, dimension, answers))
        assert response.status_code == 302, response.content.decode()[:500]
    return response, spec


# --- Taking it ----------------------------------------------------------------------------------


def test_anonymous_diagnostic_is_kept_in_the_session_and_shows_the_score(client):
    response, _spec = _take_it(client)
    public_id = client.session[SESSION_KEY]["public_id"]
    assert response.url == f"/diagnostic/result/{public_id}/"
    assert Response.objects.count() == 0  # nothing stored without an account
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["card"].overall == 100
    assert "Créer un compte" in page.content.decode()


def test_an_anonymous_persons_answers_and_result_are_never_stored_by_a_cache(client):
    """The session holds an anonymous person's answers: a shared or back-button cache must not."""
    _begin(client)
    step = client.get("/diagnostic/step/1/")
    assert step.status_code == 200
    assert "no-store" in step["Cache-Control"] and "private" in step["Cache-Control"]
    response, _spec = _take_it(client)
    result = client.get(response.url)
    assert result.status_code == 200
    assert "no-store" in result["Cache-Control"] and "private" in result["Cache-Control"]


def test_anonymous_answers_attach_to_the_account_at_log_in(client):
    response, _spec = _take_it(client)
    result_url = response.url
    user = UserFactory()
    login = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD, "next": result_url})
    assert login.status_code == 302 and login.url == result_url
    saved = Response.objects.get(user=user)
    assert saved.status == ResponseStatus.COMPLETED and saved.get_absolute_url() == result_url
    page = client.get(result_url)
    assert page.status_code == 200 and page.context["response"] == saved


def test_a_logged_in_person_resumes_where_they_stopped(client):
    user = UserFactory()
    client.force_login(user)
    _begin(client)
    client.logout()
    client.force_login(user)
    resumed = client.post("/diagnostic/start/")
    assert resumed.url == "/diagnostic/step/1/"
    assert client.get("/diagnostic/").context["attempt"].step == 1


def test_a_skipped_required_question_gets_a_message_and_the_other_answers_are_kept(client):
    user = UserFactory()
    client.force_login(user)
    spec = _begin(client)
    dimension = spec.dimensions[0]
    data = _post_data(spec, dimension, answers_for(spec, best))
    skipped = dimension.questions[0]
    del data[f"q{skipped.id}"]
    page = client.post("/diagnostic/step/1/", data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Il y a un problème" in html and "Répondez à cette question." in html
    kept = selectors.response_answers(Response.objects.get(user=user))
    assert set(kept) == {q.id for q in dimension.questions} - {skipped.id}


def test_an_option_id_of_another_question_is_a_message_not_an_error_page(client):
    spec = _begin(client)
    q1, q2 = spec.dimensions[0].questions[:2]
    data = _post_data(spec, spec.dimensions[0], answers_for(spec, best))
    data[f"q{q1.id}"] = str(q2.options[0].id)
    page = client.post("/diagnostic/step/1/", data)
    assert page.status_code == 200
    assert "Choisissez l’une des réponses proposées." in page.content.decode()
    for junk in ["abc", "-1", "99999999999999999999"]:
        data[f"q{q1.id}"] = junk
        assert client.post("/diagnostic/step/1/", data).status_code == 200


@pytest.mark.parametrize("context", [
    {"sector": "Z", "size_band": "small", "region": "bretagne"},
    {"sector": "C", "size_band": "huge", "region": "bretagne"},
    {"sector": "C", "size_band": "small", "region": "atlantis"},
    {},
])
def test_a_bad_company_context_is_a_message(client, context):
    reference_version()
    region("bretagne")
    client.post("/diagnostic/start/")
    page = client.post("/diagnostic/step/0/", context)
    assert page.status_code == 200
    assert "Il y a un problème" in page.content.decode()


def test_jumping_to_the_last_step_with_steps_missing_sends_back_to_the_first_one_missing(client):
    spec = _begin(client)
    last = spec.dimensions[-1]
    page = client.post(f"/diagnostic/step/{len(spec.dimensions)}/", _post_data(spec, last, answers_for(spec, best)))
    assert page.status_code == 302 and page.url == "/diagnostic/step/1/"


def test_steps_out_of_range_and_steps_before_starting(client):
    reference_version()
    assert client.get("/diagnostic/step/3/").url == "/diagnostic/"  # not started: the landing page
    client.post("/diagnostic/start/")
    assert client.get("/diagnostic/step/7/").status_code == 404
    assert client.get("/diagnostic/step/99/").status_code == 404


def test_no_published_questionnaire_says_so(client):
    assert "n’est pas ouvert" in client.get("/diagnostic/").content.decode()
    start = client.post("/diagnostic/start/", follow=True)
    assert start.status_code == 200 and "n’est pas ouvert" in start.content.decode()


# --- The result --------------------------------------------------------------------------------------


def test_someone_elses_result_is_not_found(client):
    response = completed_response()
    client.force_login(UserFactory())
    assert client.get(response.get_absolute_url()).status_code == 404
    assert client.get(response.get_absolute_url() + "report.pdf").status_code == 404
    assert client.post(response.get_absolute_url() + "contact/", {"consent": "on"}).status_code == 404
    client.logout()
    assert client.get(response.get_absolute_url()).status_code == 404
    assert client.get(f"/diagnostic/result/{uuid.uuid4()}/").status_code == 404
    assert client.get("/diagnostic/result/not-a-uuid/").status_code == 404


def test_result_shows_scores_path_and_change_since_the_previous_result(client):
    user = UserFactory()
    rule(dimension="green", kind="measures.measure", key="2")
    from tests.measures.factories import seed_measures

    seed_measures()
    completed_response(user=user, picker=worst)
    second = completed_response(user=user, picker=GREEN_WEAKEST)
    client.force_login(user)
    page = client.get(second.get_absolute_url())
    assert page.status_code == 200
    rows = {r["label"]: (r["score"], r["before"], r["delta"]) for r in page.context["table_rows"]}
    assert rows["Stratégie numérique"] == (100, 0, 100)
    assert rows["Numérique responsable"] == (0, 0, 0)
    steps = page.context["path"].steps
    assert [(s.title, s.done) for s in steps] == [("#2 Le numérique en priorité dans la formation en entreprise", False)]


def test_the_report_is_a_pdf_of_the_result(client):
    response = completed_response()
    client.force_login(response.user)
    pdf = client.get(response.get_absolute_url() + "report.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


def test_asking_for_an_expert_without_consent_is_refused_with_a_message(client):
    response = completed_response()
    client.force_login(response.user)
    page = client.post(response.get_absolute_url() + "contact/", {"phone": "0600000000", "message": "Bonjour"})
    assert page.status_code == 200
    assert "Cochez la case" in page.content.decode()
    assert not ContactRequest.objects.exists()
    done = client.post(response.get_absolute_url() + "contact/", {"phone": "0600000000", "consent": "on"})
    assert done.status_code == 302
    assert ContactRequest.objects.get().phone == "0600000000"
    again = client.post(response.get_absolute_url() + "contact/", {"consent": "on"}, follow=True)
    assert "déjà parvenue" in again.content.decode()
    assert ContactRequest.objects.count() == 1


# --- Query ceilings --------------------------------------------------------------------------------


@pytest.fixture
def content_for_paths(db):
    from mooc.models import Course, CourseRun, Lesson, Module

    course = Course.objects.create(slug="c", title_fr="Cours", is_published=True)
    CourseRun.objects.create(course=course, label_fr="Libre")
    modules = []
    for i in range(30):
        module = Module.objects.create(course=course, position=i, title_fr=f"Module {i}")
        Lesson.objects.create(module=module, position=1, title_fr="Leçon")
        modules.append(module)
    return modules


@pytest.mark.parametrize("n", [1, 30])
def test_result_page_queries_do_not_grow_with_the_path(client, django_assert_num_queries, content_for_paths, n):
    user = UserFactory()
    for module in content_for_paths[:n]:
        rule(dimension="green", kind="mooc.module", key=str(module.pk))
    response = completed_response(user=user, picker=GREEN_WEAKEST)
    assert PathItem.objects.filter(response=response).count() == n
    client.force_login(user)
    with django_assert_num_queries(13):
        assert client.get(response.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_my_space_section_queries_do_not_grow_with_results_and_path(rf, django_assert_num_queries, content_for_paths, n):
    user = UserFactory()
    for module in content_for_paths[:n]:
        rule(dimension="green", kind="mooc.module", key=str(module.pk))
    for _ in range(min(n, 3)):
        completed_response(user=user, picker=GREEN_WEAKEST)
    request = rf.get("/me/")
    request.user = user
    with django_assert_num_queries(6):
        data = selectors.me_context(request)
    assert len(data["path"].steps) == n


@pytest.mark.parametrize("logged_in", [False, True])
def test_home_page_with_the_diagnostic_block_within_its_query_ceiling(client, django_assert_num_queries, content_for_paths, logged_in):
    if logged_in:
        user = UserFactory()
        for module in content_for_paths:
            rule(dimension="green", kind="mooc.module", key=str(module.pk))
        completed_response(user=user, picker=GREEN_WEAKEST)
        client.force_login(user)
    # The home page with every app's block (tests/portal/test_home_and_dashboard.py: 7 and 15);
    # logged in, a result and its path read through the other apps' selectors.
    with django_assert_num_queries(19 if logged_in else 7):
        page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Où en est votre entreprise avec le numérique ?" in html
    if logged_in:
        assert "Prochaine étape de votre parcours" in html
        assert reverse("mooc:course_detail", args=["c"]) in html
