"""The diagnostic's writes: version pinning, answers, completion, attachment, contact requests."""

import pytest
from django.db import connection

from diagnostic import selectors, services
from diagnostic.models import (
    Answer,
    ContactRequest,
    DimensionResult,
    Option,
    PathItem,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    VersionStatus,
)
from diagnostic.services import SESSION_KEY, DiagnosticError
from portal.models import Profile
from tests.concurrency import run_together
from tests.factories import UserFactory, region

from .factories import answers_for, best, completed_response, reference_version, rule, worst

pytestmark = pytest.mark.django_db


def _start(user, version=None):
    version = version or reference_version()
    response = services.response_start(user=user, version=version)
    services.response_save_context(response_id=response.pk, user=user, sector="C", size_band="small", region=region("bretagne"))
    return response, selectors.version_spec(response.version)


def _answer_all(response, user, spec, picker=best):
    answers = answers_for(spec, picker)
    for number, dimension in enumerate(spec.dimensions, start=1):
        services.response_save_answers(
            response_id=response.pk, user=user, answers={q.id: answers[q.id] for q in dimension.questions}, step=number
        )


# --- Versions -------------------------------------------------------------------------------------


def test_publishing_a_new_version_never_changes_a_diagnostic_in_progress_nor_a_past_result():
    v1 = reference_version()
    done = completed_response(picker=worst)
    assert done.overall_score == 0
    user = UserFactory()
    in_progress, spec1 = _start(user, v1)

    v2 = services.version_duplicate(version=v1)
    # on v2 every answer of a single-choice question is worth full marks
    Option.objects.filter(question__dimension__version=v2, question__kind="single").update(points=3)
    v2 = services.version_publish(version=v2)

    v1.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    _answer_all(in_progress, user, spec1, worst)
    finished = services.response_complete(response_id=in_progress.pk, user=user)
    assert finished.version_id == v1.pk
    assert finished.overall_score == 0  # scored on the version it was answered on
    done.refresh_from_db()
    assert (done.overall_score, done.version_id) == (0, v1.pk)

    on_v2 = completed_response(version=v2, picker=worst)
    assert on_v2.version_id == v2.pk
    assert on_v2.overall_score > 0


def test_scores_are_frozen_at_completion_bands_edited_later_change_nothing():
    response = completed_response(picker=worst)
    before = list(DimensionResult.objects.filter(response=response).values_list("code", "score", "band"))
    response.version.bands.filter(code="beginner").update(min_score=0)
    response.version.bands.filter(code="leader").update(min_score=1)
    assert list(DimensionResult.objects.filter(response=response).values_list("code", "score", "band")) == before
    assert response.overall_band == "beginner"


def test_a_retired_or_draft_version_cannot_start_a_new_diagnostic():
    v1 = reference_version()
    draft = services.version_duplicate(version=v1)
    with pytest.raises(DiagnosticError):
        services.response_start(user=UserFactory(), version=draft)


def test_publishing_refuses_an_incomplete_draft_and_says_why():
    draft = services.version_duplicate(version=reference_version())
    draft.dimensions.filter(code="green").delete()
    draft.bands.filter(code="leader").delete()
    with pytest.raises(DiagnosticError) as refused:
        services.version_publish(version=draft)
    assert "Numérique responsable" in refused.value.message or "Green" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert QuestionnaireVersion.objects.get(number=1).status == VersionStatus.PUBLISHED


def test_duplicating_a_version_copies_its_structure_in_both_languages():
    v1 = reference_version()
    v2 = services.version_duplicate(version=v1)
    spec1, spec2 = selectors.version_spec(v1), selectors.version_spec(v2)
    assert v2.number == 2 and v2.status == VersionStatus.DRAFT
    assert [(d.code, [(q.code, q.kind, [(o.code, o.points, o.exclusive) for o in q.options]) for q in d.questions]) for d in spec1.dimensions] == [
        (d.code, [(q.code, q.kind, [(o.code, o.points, o.exclusive) for o in q.options]) for q in d.questions]) for d in spec2.dimensions
    ]
    assert [(b.code, b.min_score) for b in spec1.bands] == [(b.code, b.min_score) for b in spec2.bands]
    assert v2.dimensions.get(code="green").title_en == "Green digitalisation"


# --- Answers --------------------------------------------------------------------------------------


def test_saving_the_same_step_twice_keeps_one_answer_per_question_with_the_last_choice():
    user = UserFactory()
    response, spec = _start(user)
    question = spec.dimensions[0].questions[0]
    first, second = question.options[0].id, question.options[1].id
    services.response_save_answers(response_id=response.pk, user=user, answers={question.id: {first}}, step=1)
    services.response_save_answers(response_id=response.pk, user=user, answers={question.id: {second}}, step=1)
    assert Answer.objects.filter(response=response, question_id=question.id).count() == 1
    assert selectors.response_answers(response)[question.id] == {second}


def test_an_option_of_another_question_is_refused():
    user = UserFactory()
    response, spec = _start(user)
    q1, q2 = spec.dimensions[0].questions[:2]
    with pytest.raises(DiagnosticError):
        services.response_save_answers(response_id=response.pk, user=user, answers={q1.id: {q2.options[0].id}}, step=1)
    assert not Answer.objects.filter(response=response).exists()


def test_an_option_of_another_version_is_refused():
    v1 = reference_version()
    v2 = services.version_duplicate(version=v1)
    user = UserFactory()
    response, spec = _start(user, v1)
    foreign = selectors.version_spec(v2).dimensions[0].questions[0]
    with pytest.raises(DiagnosticError):
        services.response_save_answers(response_id=response.pk, user=user, answers={foreign.id: {foreign.options[0].id}}, step=1)


def test_someone_elses_response_cannot_be_written():
    owner = UserFactory()
    response, spec = _start(owner)
    question = spec.dimensions[0].questions[0]
    with pytest.raises(DiagnosticError):
        services.response_save_answers(response_id=response.pk, user=UserFactory(), answers={question.id: {question.options[0].id}}, step=1)


def test_completing_with_a_step_missing_names_the_step_and_keeps_the_answers():
    user = UserFactory()
    response, spec = _start(user)
    answers = answers_for(spec, best)
    for number, dimension in enumerate(spec.dimensions[:4], start=1):
        services.response_save_answers(response_id=response.pk, user=user, answers={q.id: answers[q.id] for q in dimension.questions}, step=number)
    with pytest.raises(DiagnosticError) as refused:
        services.response_complete(response_id=response.pk, user=user)
    assert refused.value.step == 5
    response.refresh_from_db()
    assert response.status == ResponseStatus.IN_PROGRESS
    assert Answer.objects.filter(response=response).count() == sum(len(d.questions) for d in spec.dimensions[:4])


def test_completing_twice_changes_nothing_the_second_time():
    response = completed_response()
    again = services.response_complete(response_id=response.pk, user=response.user)
    assert again.completed_at == response.completed_at
    assert DimensionResult.objects.filter(response=response).count() == 6


def test_starting_again_resumes_the_diagnostic_in_progress():
    user = UserFactory()
    first, _spec = _start(user)
    assert services.response_start(user=user, version=reference_version()).pk == first.pk
    assert Response.objects.filter(user=user).count() == 1


def test_the_company_context_completes_the_profile_but_never_overwrites_it():
    user = UserFactory()
    Profile.objects.update_or_create(user=user, defaults={"company_size": "medium"})
    _start(user)
    profile = Profile.objects.get(user=user)
    assert (profile.sector, profile.company_size, profile.region.code) == ("C", "medium", "bretagne")
    other = UserFactory()
    Profile.objects.update_or_create(user=other, defaults={"sector": "J", "company_size": "micro", "region": region("corse")})
    response = services.response_start(user=other, version=reference_version())
    assert (response.sector, response.size_band, response.region.code) == ("J", "micro", "corse")  # reused


# --- Path ------------------------------------------------------------------------------------------


def test_completion_freezes_the_path_chosen_by_the_rules():
    rule(dimension="green", band="beginner", kind="advice", text="Allonger la durée de vie des équipements.")
    rule(dimension="green", band="leader", kind="advice", text="Jamais : la bande ne correspond pas.")
    rule(dimension="data", kind="measures.measure", key="2")
    response = completed_response(picker={"strategy": best, "readiness": best, "human": best, "data": worst, "automation": best, "green": worst})
    items = list(PathItem.objects.filter(response=response).order_by("position").values_list("dimension", "kind", "key", "text_fr"))
    assert items == [
        ("data", "measures.measure", "2", "Un conseil."),
        ("green", "advice", "", "Allonger la durée de vie des équipements."),
    ]


# --- Anonymous answers in the session -----------------------------------------------------------------


class Session(dict):
    pass


def _anonymous_done(session, version, picker=best):
    services.draft_start(session, version=version)
    services.draft_save_context(session, sector="G", size_band="micro", region=region("corse"))
    spec = selectors.version_spec(version)
    answers = answers_for(spec, picker)
    for number, dimension in enumerate(spec.dimensions, start=1):
        services.draft_save_answers(session, answers={q.id: answers[q.id] for q in dimension.questions}, step=number)
    return services.draft_complete(session, spec=spec)


def test_a_finished_anonymous_diagnostic_becomes_the_accounts_result_under_the_same_address():
    version = reference_version()
    session = Session()
    card = _anonymous_done(session, version)
    public_id = session[SESSION_KEY]["public_id"]
    user = UserFactory()
    response = services.response_attach_from_session(user=user, session=session)
    assert SESSION_KEY not in session
    assert str(response.public_id) == public_id
    assert response.status == ResponseStatus.COMPLETED
    assert response.overall_score == card.overall == 100
    assert (response.sector, response.size_band, response.region.code) == ("G", "micro", "corse")
    assert Answer.objects.filter(response=response).count() == sum(len(d.questions) for d in selectors.version_spec(version).dimensions)


def test_an_unfinished_anonymous_diagnostic_replaces_the_accounts_own_unfinished_one():
    version = reference_version()
    user = UserFactory()
    old, _spec = _start(user, version)
    session = Session()
    services.draft_start(session, version=version)
    services.draft_save_context(session, sector="F", size_band="small", region=region("bretagne"))
    response = services.response_attach_from_session(user=user, session=session)
    assert response.status == ResponseStatus.IN_PROGRESS
    assert list(Response.objects.filter(user=user).values_list("pk", flat=True)) == [response.pk]
    assert not Response.objects.filter(pk=old.pk).exists()


def test_answers_tampered_with_in_the_session_are_dropped_at_attachment():
    version = reference_version()
    session = Session()
    _anonymous_done(session, version)
    spec = selectors.version_spec(version)
    q1, q2 = spec.dimensions[0].questions[:2]
    session[SESSION_KEY]["answers"][str(q1.id)] = [q2.options[0].id]  # an option of another question
    response = services.response_attach_from_session(user=UserFactory(), session=session)
    assert response.status == ResponseStatus.IN_PROGRESS  # now incomplete: not scored on bad data
    assert not Answer.objects.filter(response=response, question_id=q1.id).exists()


# --- Contact requests ---------------------------------------------------------------------------------


def test_a_contact_request_needs_consent_and_only_one_is_open_at_a_time():
    response = completed_response()
    with pytest.raises(DiagnosticError):
        services.contact_request_create(response=response, user=response.user, consent=False)
    request = services.contact_request_create(response=response, user=response.user, consent=True, phone="01 02 03 04 05")
    assert (request.region.code, request.consent_to_share) == ("bretagne", True)
    with pytest.raises(DiagnosticError):
        services.contact_request_create(response=response, user=response.user, consent=True)
    services.contact_request_close(request_id=request.pk)
    services.contact_request_create(response=response, user=response.user, consent=True)
    assert ContactRequest.objects.filter(response=response).count() == 2


def test_nobody_asks_for_contact_about_someone_elses_result():
    response = completed_response()
    with pytest.raises(DiagnosticError):
        services.contact_request_create(response=response, user=UserFactory(), consent=True)


# --- Two tabs at once ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_and_finishing_at_once_leave_one_answer_per_question_and_one_result():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    user = UserFactory()
    response, spec = _start(user)
    answers = answers_for(spec, best)
    for number, dimension in enumerate(spec.dimensions[:-1], start=1):
        services.response_save_answers(response_id=response.pk, user=user, answers={q.id: answers[q.id] for q in dimension.questions}, step=number)
    last = spec.dimensions[-1]

    def tab(_i):
        services.response_save_answers(response_id=response.pk, user=user, answers={q.id: answers[q.id] for q in last.questions}, step=len(spec.dimensions))
        return services.response_complete(response_id=response.pk, user=user).pk

    outcome = run_together(tab, [(i,) for i in range(6)])
    assert outcome.errors == []
    assert set(outcome.results) == {response.pk}
    assert Answer.objects.filter(response=response).count() == sum(len(d.questions) for d in spec.dimensions)
    assert DimensionResult.objects.filter(response=response).count() == 6
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.COMPLETED
