import pytest

from mooc import seeding
from mooc.models import Course, CourseRun, Lesson, LessonKind, Question, QuestionKind
from portal import seeding as portal_seeding

pytestmark = pytest.mark.django_db


def _seed():
    logs = []
    portal_seeding.seed_reference(logs.append)
    seeding.seed_reference(logs.append)
    return logs


def test_seed_creates_the_universite_du_numerique_course_with_the_cnam():
    _seed()
    course = Course.objects.get(slug="universite-du-numerique")
    assert course.is_published is True
    assert list(course.partners.values_list("slug", flat=True)) == ["cnam"]
    assert "16 mars" in course.summary_fr and "dans le développement de leur compétitivité" in course.summary_fr
    assert [m.title_fr for m in course.modules.order_by("position")] == [
        "Se former au numérique et transformer son entreprise",
        "Exporter grâce au numérique",
        "Innover dans une PME",
        "La relation client à l'ère numérique",
    ]
    assert CourseRun.objects.get(course=course).is_self_paced is True


def test_every_module_has_substantive_lessons_and_a_quiz_with_every_question_kind_in_both_languages():
    _seed()
    course = Course.objects.get(slug="universite-du-numerique")
    for module in course.modules.all():
        texts = module.lessons.filter(kind=LessonKind.TEXT)
        assert texts.count() >= 2
        assert all(len(lesson.body_fr) > 1000 and len(lesson.body_en) > 1000 for lesson in texts)
        quiz_lesson = module.lessons.get(kind=LessonKind.QUIZ)
        kinds = sorted(quiz_lesson.quiz.questions.values_list("kind", flat=True))
        assert kinds == sorted(QuestionKind.values)
    assert not Question.objects.filter(text_en="").exists()
    assert not Lesson.objects.filter(title_en="").exists()


def test_seed_is_idempotent_and_never_overwrites_staff_edits():
    _seed()
    course = Course.objects.get(slug="universite-du-numerique")
    course.title_fr = "Titre modifié par l'équipe"
    course.save()
    first_lesson = Lesson.objects.order_by("pk").first()
    first_lesson.delete()
    counts = (Lesson.objects.count(), Question.objects.count())
    _seed()
    course.refresh_from_db()
    assert course.title_fr == "Titre modifié par l'équipe"
    assert (Lesson.objects.count(), Question.objects.count()) == counts


def test_demo_run_is_labelled_and_created_once():
    _seed()
    seeding.seed_demo(lambda _: None)
    seeding.seed_demo(lambda _: None)
    demo = CourseRun.objects.get(is_demo=True)
    assert demo.label_fr.startswith("[Démo]")
    assert demo.enrollments.count() == 0


def test_seeded_quizzes_can_be_passed_with_their_reference_answers():
    from decimal import Decimal

    from mooc.grading import grade

    _seed()
    for question in Question.objects.filter(kind=QuestionKind.NUMERIC):
        assert grade([question], {question.pk: question.numeric_answer}).score == Decimal("100.00")


def test_a_learner_who_answers_the_seeded_quizzes_right_gets_the_certificate():
    from django.http import QueryDict

    from mooc import selectors, services
    from mooc.models import Quiz
    from tests.factories import UserFactory

    _seed()
    course = Course.objects.get(slug="universite-du-numerique")
    run = course.runs.get()
    enrollment = services.enrollment_create(user=UserFactory(first_name="Camille", last_name="Martin"), run=run)
    certificate = None
    for quiz in Quiz.objects.filter(lesson__module__course=course).order_by("lesson__module__position"):
        data = QueryDict(mutable=True)
        for question in quiz.questions.all():
            name = f"q{question.pk}"
            if question.kind == QuestionKind.NUMERIC:
                data[name] = str(question.numeric_answer).replace(".", ",")
            elif question.kind == QuestionKind.TRUE_FALSE:
                data[name] = "true" if question.correct_bool else "false"
            else:
                data.setlist(name, [str(c.pk) for c in question.choices.filter(is_correct=True)])
        outcome = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=data)
        assert outcome.attempt.score == 100
        certificate = outcome.certificate or certificate
    for lesson in Lesson.objects.filter(module__course=course, kind=LessonKind.TEXT):
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    progress = selectors.enrollment_progress(enrollment=enrollment)
    assert (progress.percent, progress.grade) == (100, 100)
    assert certificate is not None and certificate.learner_name == "Camille Martin"
