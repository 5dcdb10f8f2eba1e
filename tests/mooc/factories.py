"""Factories for the MOOC tests."""

from decimal import Decimal

import factory

from mooc.models import Choice, Course, CourseRun, Lesson, LessonKind, Module, Question, QuestionKind, Quiz


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    title_fr = factory.Sequence(lambda n: f"Cours {n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    summary_fr = "Un cours pour les dirigeants de PME."
    is_published = True
    pass_mark = 60


class CourseRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseRun

    course = factory.SubFactory(CourseFactory)
    label_fr = "En autonomie"
    label_en = "Self-paced"


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n)
    title_fr = factory.Sequence(lambda n: f"Module {n}")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    position = factory.Sequence(lambda n: n)
    kind = LessonKind.TEXT
    title_fr = factory.Sequence(lambda n: f"Leçon {n}")
    body_fr = "Du **texte**."
    weight = 1


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    lesson = factory.SubFactory(LessonFactory, kind=LessonKind.QUIZ)
    pass_threshold = 60
    max_attempts = 3
    weight = 1


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.SINGLE
    text_fr = factory.Sequence(lambda n: f"Question {n} ?")
    feedback_fr = "Explication."


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    text_fr = factory.Sequence(lambda n: f"Choix {n}")
    is_correct = False


def single_choice_question(quiz, *, right="Oui", wrong="Non"):
    question = QuestionFactory(quiz=quiz, kind=QuestionKind.SINGLE)
    good = ChoiceFactory(question=question, text_fr=right, is_correct=True)
    bad = ChoiceFactory(question=question, text_fr=wrong, is_correct=False)
    return question, good, bad


def numeric_question(quiz, *, answer="3.5", tolerance="0"):
    return QuestionFactory(quiz=quiz, kind=QuestionKind.NUMERIC, numeric_answer=Decimal(answer), tolerance=Decimal(tolerance))


def course_with_lessons(*, text_lessons=2, quiz=True, weights=None, pass_mark=60):
    """A published course, one module, ``text_lessons`` text lessons (+ a quiz lesson with
    one single-choice question), and a self-paced run."""
    course = CourseFactory(pass_mark=pass_mark)
    module = ModuleFactory(course=course, position=1)
    lessons = [
        LessonFactory(module=module, position=i, weight=(weights[i] if weights else 1)) for i in range(text_lessons)
    ]
    quiz_obj = None
    if quiz:
        quiz_obj = QuizFactory(lesson__module=module, lesson__position=text_lessons, lesson__weight=1)
    run = CourseRunFactory(course=course)
    return course, run, module, lessons, quiz_obj
