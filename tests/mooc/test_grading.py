from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from mooc import services
from mooc.grading import parse_decimal
from mooc.models import LessonCompletion, QuestionKind, QuizAttempt
from tests.factories import UserFactory
from tests.mooc.factories import (
    ChoiceFactory,
    QuestionFactory,
    QuizFactory,
    course_with_lessons,
    numeric_question,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3,5", Decimal("3.5")), ("3.5", Decimal("3.5")), (" 1 234,5 ", Decimal("1234.5")), ("-2", Decimal("-2")),
     (",5", Decimal("0.5")), ("1\u202f000", Decimal("1000"))],
)
def test_parse_decimal_accepts_french_and_english_notation(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "3,5,1", "3..5", "1e3", "NaN"])
def test_parse_decimal_refuses_what_is_not_a_number(text):
    assert parse_decimal(text) is None


def _post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        else:
            data[key] = str(value)
    return data


@pytest.fixture
def setup():
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    user = UserFactory()
    enrollment = services.enrollment_create(user=user, run=run)
    return enrollment, quiz


def test_single_choice_is_graded_on_the_server(setup):
    enrollment, quiz = setup
    question, good, bad = single_choice_question(quiz)
    wrong = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": bad.pk}))
    right = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk}))
    assert (wrong.attempt.score, wrong.attempt.passed) == (Decimal("0.00"), False)
    assert (right.attempt.score, right.attempt.passed) == (Decimal("100.00"), True)
    assert right.attempt.results == {str(question.pk): {"correct": True, "earned": 1, "possible": 1}}


def test_multiple_choice_needs_all_and_only_the_right_choices(setup):
    enrollment, quiz = setup
    quiz.max_attempts = 0
    quiz.save()
    question = QuestionFactory(quiz=quiz, kind=QuestionKind.MULTIPLE)
    a = ChoiceFactory(question=question, is_correct=True)
    b = ChoiceFactory(question=question, is_correct=True)
    c = ChoiceFactory(question=question, is_correct=False)
    name = f"q{question.pk}"
    scores = [
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{name: ids})).attempt.score
        for ids in ([a.pk], [a.pk, b.pk, c.pk], [a.pk, b.pk])
    ]
    assert scores == [Decimal("0.00"), Decimal("0.00"), Decimal("100.00")]


def test_true_false_question(setup):
    enrollment, quiz = setup
    question = QuestionFactory(quiz=quiz, kind=QuestionKind.TRUE_FALSE, correct_bool=False)
    first = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": "true"}))
    second = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": "false"}))
    assert (first.attempt.score, second.attempt.score) == (Decimal("0.00"), Decimal("100.00"))


def test_numeric_answer_accepts_a_decimal_comma_within_tolerance(setup):
    enrollment, quiz = setup
    quiz.max_attempts = 0
    quiz.save()
    question = numeric_question(quiz, answer="96.8", tolerance="0.01")
    name = f"q{question.pk}"
    scores = [
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{name: text})).attempt.score
        for text in ("96,8", "96,81", "96.79", "96,82", "97")
    ]
    assert scores == [Decimal("100.00"), Decimal("100.00"), Decimal("100.00"), Decimal("0.00"), Decimal("0.00")]


def test_numeric_answer_that_is_not_a_number_is_refused_without_using_an_attempt(setup):
    enrollment, quiz = setup
    question = numeric_question(quiz)
    with pytest.raises(services.MoocError) as excinfo:
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": "trois"}))
    assert str(excinfo.value) == "Question 1 : saisissez un nombre, par exemple 3,5."
    assert QuizAttempt.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,560", Decimal("1560")), ("12,345,678", Decimal("12345678")), ("1,560.5", Decimal("1560.5")),
     ("3,5", Decimal("3.5")), ("1,5601", Decimal("1.5601")), ("3.5", Decimal("3.5"))],
)
def test_parse_decimal_reads_english_thousands_separators_when_asked(text, expected):
    assert parse_decimal(text, thousands_comma=True) == expected


def test_an_english_learner_writing_1_560_means_one_thousand_five_hundred_and_sixty(setup):
    """The seeded quiz asks for 1,560 €: in English "1,560" is that number, in French it is 1.56."""
    from django.utils import translation

    enrollment, quiz = setup
    quiz.max_attempts = 0
    quiz.save()
    question = numeric_question(quiz, answer="1560")
    with translation.override("en"):
        english = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": "1,560"}))
    with translation.override("fr"):
        french = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": "1,560"}))
    assert (english.attempt.score, french.attempt.score) == (Decimal("100.00"), Decimal("0.00"))


def test_points_weight_the_quiz_score(setup):
    enrollment, quiz = setup
    q1, good1, _ = single_choice_question(quiz)
    q1.points = 3
    q1.save()
    q2, _, bad2 = single_choice_question(quiz)
    outcome = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{q1.pk}": good1.pk, f"q{q2.pk}": bad2.pk}))
    assert (outcome.attempt.score, outcome.attempt.passed) == (Decimal("75.00"), True)


def test_choice_of_another_quiz_is_refused_as_tampering(setup):
    enrollment, quiz = setup
    question, _, _ = single_choice_question(quiz)
    other_question, other_good, _ = single_choice_question(QuizFactory())
    with pytest.raises(services.MoocError) as excinfo:
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": other_good.pk}))
    assert str(excinfo.value) == "Ces réponses ne correspondent pas à ce quiz. Rechargez la page et réessayez."
    with pytest.raises(services.MoocError):
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{other_question.pk}": other_good.pk}))
    with pytest.raises(services.MoocError):
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": "not-an-id"}))
    assert QuizAttempt.objects.count() == 0


@pytest.mark.parametrize("field", ["q\u00b2", "q" + "1" * 5000])
def test_odd_question_field_names_are_refused_as_tampering_not_a_crash(setup, field):
    """"²" passes str.isdigit() but not int(); 5,000 digits exceed Python's int() limit."""
    enrollment, quiz = setup
    single_choice_question(quiz)
    with pytest.raises(services.MoocError):
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{field: "1"}))
    assert QuizAttempt.objects.count() == 0


def test_attempt_limit_is_enforced_and_the_best_score_is_kept(setup):
    enrollment, quiz = setup
    question, good, bad = single_choice_question(quiz)
    name = f"q{question.pk}"
    services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{name: good.pk}))
    services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{name: bad.pk}))
    services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{name: bad.pk}))
    with pytest.raises(services.MoocError) as excinfo:
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{name: good.pk}))
    assert str(excinfo.value) == "Vous avez utilisé toutes les tentatives autorisées pour ce quiz."
    assert list(QuizAttempt.objects.order_by("number").values_list("number", "passed")) == [(1, True), (2, False), (3, False)]
    from mooc.selectors import enrollment_progress

    progress = enrollment_progress(enrollment=enrollment)
    assert progress.best_scores == {quiz.pk: Decimal("100.00")}
    assert progress.grade == Decimal("100.00")
    # The quiz lesson stays completed after worse attempts.
    assert LessonCompletion.objects.filter(enrollment=enrollment, lesson=quiz.lesson).count() == 1


def test_quiz_of_an_ended_run_is_closed(setup):
    enrollment, quiz = setup
    question, good, _ = single_choice_question(quiz)
    run = enrollment.run
    run.start = timezone.now() - timezone.timedelta(days=30)
    run.end = timezone.now() - timezone.timedelta(days=1)
    run.save()
    enrollment.refresh_from_db()
    with pytest.raises(services.MoocError) as excinfo:
        services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk}))
    assert str(excinfo.value) == "Cette session est terminée : les quiz sont fermés."
