"""Seeds of the MOOC: the "Université du numérique" course (reference) and a demo run.

The course is created once with its modules, lessons and quizzes; afterwards it belongs to
staff: if a course with the slug exists, its content is never touched (edits, reordering and
deletions win). Each part is created only when missing, so re-running changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from mooc.models import Choice, Course, CourseRun, Lesson, LessonKind, Module, Question, Quiz
from mooc.seed_content import COURSE, MODULES, RUN
from portal.models import Partner
from portal.seeding import Log

QUIZ_PASS_THRESHOLD = 60
QUIZ_MAX_ATTEMPTS = 3


def _create_course_content(course: Course) -> int:
    lessons_created = 0
    for m_index, spec in enumerate(MODULES, start=1):
        module = Module.objects.create(
            course=course, position=m_index, title_fr=spec["title_fr"], title_en=spec["title_en"],
            summary_fr=spec["summary_fr"], summary_en=spec["summary_en"],
        )
        position = 0
        for position, (t_fr, t_en, b_fr, b_en, minutes) in enumerate(spec["lessons"], start=1):
            Lesson.objects.create(
                module=module, position=position, kind=LessonKind.TEXT, title_fr=t_fr, title_en=t_en,
                body_fr=b_fr, body_en=b_en, duration_minutes=minutes, weight=1,
            )
            lessons_created += 1
        quiz_lesson = Lesson.objects.create(
            module=module, position=position + 1, kind=LessonKind.QUIZ,
            title_fr=f"Quiz : {spec['title_fr']}", title_en=f"Quiz: {spec['title_en']}",
            body_fr="Répondez aux questions ci-dessous. Vous disposez de trois tentatives ; la meilleure note est conservée.",
            body_en="Answer the questions below. You have three attempts; the best score is kept.",
            duration_minutes=10, weight=2,
        )
        lessons_created += 1
        quiz = Quiz.objects.create(lesson=quiz_lesson, pass_threshold=QUIZ_PASS_THRESHOLD, max_attempts=QUIZ_MAX_ATTEMPTS, weight=1)
        for q_index, q in enumerate(spec["quiz"], start=1):
            question = Question.objects.create(
                quiz=quiz, position=q_index, kind=q["kind"], text_fr=q["text_fr"], text_en=q["text_en"],
                feedback_fr=q["feedback_fr"], feedback_en=q["feedback_en"],
                correct_bool=q.get("correct_bool"),
                numeric_answer=Decimal(q["numeric_answer"]) if "numeric_answer" in q else None,
                tolerance=Decimal(q.get("tolerance", "0")),
            )
            for c_index, (c_fr, c_en, correct) in enumerate(q.get("choices", []), start=1):
                Choice.objects.create(question=question, position=c_index, text_fr=c_fr, text_en=c_en, is_correct=correct)
    return lessons_created


def seed_reference(log: Log) -> None:
    if Course.objects.filter(slug=COURSE["slug"]).exists():
        log("mooc: course 'universite-du-numerique' already exists — left as staff keep it")
        return
    values = dict(COURSE)
    course = Course.objects.create(is_published=True, **values)
    cnam = Partner.objects.filter(slug="cnam").first()
    if cnam:
        course.partners.add(cnam)
    n = _create_course_content(course)
    CourseRun.objects.create(course=course, label_fr=RUN["label_fr"], label_en=RUN["label_en"])
    log(f"mooc: course created with {len(MODULES)} modules, {n} lessons and a self-paced run")


DEMO_LABEL_FR = "[Démo] Session accompagnée"
DEMO_LABEL_EN = "[Demo] Guided run"


def seed_demo(log: Log) -> None:
    course = Course.objects.filter(slug=COURSE["slug"]).first()
    if course is None:
        log("mooc: no course to attach a demo run to")
        return
    if CourseRun.objects.filter(course=course, is_demo=True).exists():
        log("mooc: demo run already there")
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    CourseRun.objects.create(
        course=course, label_fr=DEMO_LABEL_FR, label_en=DEMO_LABEL_EN, is_demo=True,
        enrollment_start=now - timedelta(days=1), enrollment_end=now + timedelta(days=30),
        start=now + timedelta(days=7), end=now + timedelta(days=60),
    )
    log("mooc: demo run created (dated, starts in a week, no learners)")
