"""Reads of the MOOC: catalogue, outlines, progress and grade arithmetic, certificates.

Progress = sum of the weights of completed lessons / sum of the weights of all lessons
(per module and per course). Grade = sum(best score × quiz weight) / sum(quiz weights),
over every quiz of the course (an untried quiz counts 0). Both use a constant number of
queries whatever the number of lessons, quizzes or learners.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse

from mooc import rules
from mooc.models import (
    Certificate,
    Course,
    CourseRun,
    Enrollment,
    Lesson,
    LessonCompletion,
    Module,
    Question,
    Quiz,
    QuizAttempt,
)

CENT = Decimal("0.01")


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Catalogue ---------------------------------------------------------------------------

EFFORT_BUCKETS = {"short": (0, 5), "medium": (6, 15), "long": (16, 10_000)}


def course_list_published(*, topic: str = "", language: str = "", effort: str = "") -> QuerySet[Course]:
    qs = Course.objects.filter(is_published=True).prefetch_related("partners")
    if topic:
        qs = qs.filter(topic=topic)
    if language:
        qs = qs.filter(language=language)
    if effort in EFFORT_BUCKETS:
        low, high = EFFORT_BUCKETS[effort]
        qs = qs.filter(effort_hours__gte=low, effort_hours__lte=high)
    return qs.order_by("title")


def courses_published_detailed(*, topic: str = "", language: str = "", effort: str = "",
                               include_demo_runs: bool = False) -> QuerySet[Course]:
    """The catalogue's courses with their modules and runs: four queries for any number (the open-data API)."""
    runs = CourseRun.objects.order_by("start", "id")
    if not include_demo_runs:
        runs = runs.filter(is_demo=False)
    return course_list_published(topic=topic, language=language, effort=effort).prefetch_related(
        Prefetch("modules", queryset=Module.objects.order_by("position", "id")),
        Prefetch("runs", queryset=runs),
    )


def course_get_visible(*, slug: str, user) -> Course | None:
    qs = Course.objects.prefetch_related("partners")
    if not rules.can_preview(user):
        qs = qs.filter(is_published=True)
    return qs.filter(slug=slug).first()


def course_by_slug_with_partners(slug: str) -> Course | None:
    """A course whether published or not (the caller asks :func:`rules.can_preview`), with its partners."""
    return Course.objects.prefetch_related("partners").filter(slug=slug).first()


def course_published_by_slug(slug: str) -> Course | None:
    return Course.objects.filter(is_published=True, slug=slug).first()


def course_runs(course: Course) -> list[CourseRun]:
    return list(course.runs.order_by("start", "id"))


def course_modules(course: Course) -> list[Module]:
    """Modules with their lessons (and each quiz lesson's quiz): two queries."""
    lessons = Lesson.objects.select_related("quiz").order_by("position", "id")
    return list(course.modules.order_by("position", "id").prefetch_related(Prefetch("lessons", queryset=lessons)))


def enrollment_active(*, user, run: CourseRun) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, run=run, is_active=True).first()


def enrollment_for_lessons(*, user, run: CourseRun) -> Enrollment | None:
    """:func:`enrollment_active` with what a lesson page shows of it, in the same query:
    ``completed_ids`` (the lessons done) and ``certificate_id`` (the learner's certificate for the run)."""
    if not user.is_authenticated:
        return None
    done = LessonCompletion.objects.filter(enrollment=OuterRef("pk")).values("lesson_id")
    certificate = Certificate.objects.filter(user=OuterRef("user"), run=OuterRef("run")).order_by("pk").values("pk")[:1]
    return (
        Enrollment.objects.filter(user=user, run=run, is_active=True)
        .annotate(completed_ids=ArraySubquery(done), certificate_id=Subquery(certificate))
        .first()
    )


def enrollments_by_run(*, user, runs: list[CourseRun]) -> dict[int, Enrollment]:
    if not user.is_authenticated:
        return {}
    return {e.run_id: e for e in Enrollment.objects.filter(user=user, run__in=runs, is_active=True)}


# --- Progress and grade -----------------------------------------------------------------


@dataclass
class ModuleProgress:
    module: Module
    done_weight: int
    total_weight: int

    @property
    def percent(self) -> Decimal:
        return _percent(self.done_weight, self.total_weight)


@dataclass
class Progress:
    modules: list[ModuleProgress] = field(default_factory=list)
    completed_ids: set[int] = field(default_factory=set)
    best_scores: dict[int, Decimal] = field(default_factory=dict)  # quiz id → best score
    attempts_used: dict[int, int] = field(default_factory=dict)  # quiz id → attempts
    done_weight: int = 0
    total_weight: int = 0
    grade: Decimal = Decimal(0)

    @property
    def percent(self) -> Decimal:
        return _percent(self.done_weight, self.total_weight)


def _grade(quizzes: list[Quiz], best_scores: dict[int, Decimal]) -> Decimal:
    total = sum(q.weight for q in quizzes)
    if not total:
        return Decimal(0)
    earned = sum(best_scores.get(q.pk, Decimal(0)) * q.weight for q in quizzes)
    return (Decimal(earned) / Decimal(total)).quantize(CENT, rounding=ROUND_HALF_UP)


def progress_compute(*, modules: list[Module], completed_ids: set[int], best_scores: dict[int, Decimal],
                     attempts_used: dict[int, int] | None = None) -> Progress:
    """The arithmetic, on loaded modules (with prefetched lessons): no query."""
    report = Progress(completed_ids=completed_ids, best_scores=best_scores, attempts_used=attempts_used or {})
    quizzes: list[Quiz] = []
    for module in modules:
        lessons = list(module.lessons.all())
        total = sum(lesson.weight for lesson in lessons)
        done = sum(lesson.weight for lesson in lessons if lesson.pk in completed_ids)
        report.modules.append(ModuleProgress(module=module, done_weight=done, total_weight=total))
        report.total_weight += total
        report.done_weight += done
        quizzes += [lesson.quiz for lesson in lessons if hasattr(lesson, "quiz")]
    report.grade = _grade(quizzes, best_scores)
    return report


def enrollment_progress(*, enrollment: Enrollment, modules: list[Module] | None = None) -> Progress:
    """Progress and grade of one enrollment: four queries with ``modules`` loaded, two without."""
    if modules is None:
        modules = course_modules(enrollment.run.course)
    completed = set(LessonCompletion.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True))
    best: dict[int, Decimal] = {}
    used: dict[int, int] = {}
    for row in QuizAttempt.objects.filter(enrollment=enrollment).values("quiz_id").annotate(best=Max("score"), used=Max("number")):
        best[row["quiz_id"]] = row["best"]
        used[row["quiz_id"]] = row["used"]
    return progress_compute(modules=modules, completed_ids=completed, best_scores=best, attempts_used=used)


def lesson_progress(*, enrollment: Enrollment, modules: list[Module], quiz: Quiz | None = None) -> tuple[Progress, list[QuizAttempt]]:
    """:func:`enrollment_progress` and :func:`quiz_attempts` of ``quiz`` for a lesson page: the
    lessons done from :func:`enrollment_for_lessons` (else one query), the attempts in one query."""
    if hasattr(enrollment, "completed_ids"):
        completed = set(enrollment.completed_ids or ())
    else:
        completed = set(LessonCompletion.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True))
    attempts = list(
        QuizAttempt.objects.filter(enrollment=enrollment)
        .only("id", "enrollment_id", "quiz_id", "number", "submitted_at", "score", "passed")
        .order_by("quiz_id", "number")
    )
    best: dict[int, Decimal] = {}
    used: dict[int, int] = {}
    for attempt in attempts:
        if attempt.quiz_id not in best or attempt.score > best[attempt.quiz_id]:
            best[attempt.quiz_id] = attempt.score
        used[attempt.quiz_id] = max(used.get(attempt.quiz_id, 0), attempt.number)
    progress = progress_compute(modules=modules, completed_ids=completed, best_scores=best, attempts_used=used)
    return progress, [attempt for attempt in attempts if quiz is not None and attempt.quiz_id == quiz.pk]


# portal.page_cache namespace of what a course shows everybody alike (bumped by mooc.apps)
COURSE_NAMESPACE = "mooc.course"


def course_structures(course_ids: list[int]) -> dict[int, list[Module]]:
    """Each course's modules with what progress is computed on (each lesson's weight, each
    quiz's weight; no lesson body), the same for everybody: kept in the page cache under the
    course namespace, in one round trip (two queries when it is not kept)."""
    from portal import page_cache

    def compute() -> dict[int, list[Module]]:
        lessons = (Lesson.objects.select_related("quiz").order_by("position", "id")
                   .only("id", "module_id", "position", "kind", "weight", "quiz__id", "quiz__lesson_id", "quiz__weight"))
        out: dict[int, list[Module]] = {course_id: [] for course_id in course_ids}
        for module in Module.objects.filter(course_id__in=course_ids).order_by("position", "id").prefetch_related(
            Prefetch("lessons", queryset=lessons)
        ):
            out[module.course_id].append(module)
        return out

    return page_cache.value(COURSE_NAMESPACE, ("structures", tuple(course_ids)), compute)


def enrollments_progress_bulk(enrollments: list[Enrollment]) -> dict[int, Progress]:
    """Progress of many enrollments (any courses): two queries, the courses' structure from
    :func:`course_structures` (two more when it is not kept)."""
    if not enrollments:
        return {}
    modules_by_course = course_structures(sorted({e.run.course_id for e in enrollments}))
    ids = [e.pk for e in enrollments]
    completed: dict[int, set[int]] = defaultdict(set)
    for enrollment_id, lesson_id in LessonCompletion.objects.filter(enrollment_id__in=ids).values_list("enrollment_id", "lesson_id"):
        completed[enrollment_id].add(lesson_id)
    best: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in QuizAttempt.objects.filter(enrollment_id__in=ids).values("enrollment_id", "quiz_id").annotate(best=Max("score")):
        best[row["enrollment_id"]][row["quiz_id"]] = row["best"]
    return {
        e.pk: progress_compute(modules=modules_by_course[e.run.course_id], completed_ids=completed[e.pk], best_scores=best[e.pk])
        for e in enrollments
    }


def next_lesson_to_resume(*, modules: list[Module], enrollment: Enrollment | None, completed_ids: set[int]) -> Lesson | None:
    """"Continue where you left off": the first uncompleted lesson after the last one visited,
    else the first uncompleted lesson, else the last visited, else the first lesson."""
    lessons = [lesson for module in modules for lesson in module.lessons.all()]
    if not lessons:
        return None
    last_id = enrollment.last_lesson_id if enrollment else None
    ids = [lesson.pk for lesson in lessons]
    if last_id in ids:
        start = ids.index(last_id)
        if lessons[start].pk not in completed_ids:
            return lessons[start]
        for lesson in lessons[start + 1 :]:
            if lesson.pk not in completed_ids:
                return lesson
    for lesson in lessons:
        if lesson.pk not in completed_ids:
            return lesson
    return next((lesson for lesson in lessons if lesson.pk == last_id), lessons[0])


def lesson_neighbours(*, modules: list[Module], lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    lessons = [item for module in modules for item in module.lessons.all()]
    ids = [item.pk for item in lessons]
    i = ids.index(lesson.pk)
    return (lessons[i - 1] if i > 0 else None, lessons[i + 1] if i + 1 < len(lessons) else None)


def quiz_questions(quiz: Quiz) -> list:
    return list(quiz.questions.order_by("position", "id").prefetch_related("choices"))


def quizzes_questions(quiz_ids: list[int]) -> list:
    """The questions of several quizzes with their choices, each quiz's in order: two queries."""
    return list(Question.objects.filter(quiz_id__in=quiz_ids).order_by("quiz_id", "position", "id").prefetch_related("choices"))


def quiz_attempts(*, enrollment: Enrollment, quiz: Quiz) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(enrollment=enrollment, quiz=quiz).order_by("number"))


# --- Mon espace, certificates ------------------------------------------------------------


def learner_enrollments(*, user) -> list[Enrollment]:
    return list(Enrollment.objects.filter(user=user, is_active=True).select_related("run__course").order_by("-last_activity_at"))


def learner_certificates(*, user) -> list[Certificate]:
    return list(Certificate.objects.filter(user=user).select_related("run__course").order_by("-issued_at"))


def certificate_for(*, user, run: CourseRun) -> Certificate | None:
    if not user.is_authenticated:
        return None
    return Certificate.objects.filter(user=user, run=run).select_related("run__course").first()


CROCKFORD_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})


def normalise_code(code: str) -> str:
    return (code or "").upper().translate(CROCKFORD_ALIASES)


CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{1,16}$")


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate of a (normalised) code; None for anything that is not a Crockford code
    (a NUL byte would otherwise reach the database and fail there)."""
    code = normalise_code(code)
    if not CODE_RE.match(code):
        return None
    return Certificate.objects.select_related("run__course").filter(code=code).first()


def revoked_status_indexes(*, status_list: int) -> list[int]:
    """The entries of a revocation status list whose certificate is revoked: one query."""
    return list(
        Certificate.objects.filter(status_list=status_list, status_index__isnull=False, revoked_at__isnull=False)
        .values_list("status_index", flat=True)
    )


def status_list_exists(number: int) -> bool:
    """List 1 always exists (it is where entries start); a later one once it holds an entry."""
    if not 1 <= number <= 32767:  # the column's range: any other number is simply unknown
        return False
    return number == 1 or Certificate.objects.filter(status_list=number).exists()


def course_for_achievement(slug: str) -> Course | None:
    """A course whose achievement is described publicly: published, or with certificates
    issued (their credentials point to the page even if the course leaves the catalogue)."""
    return (
        Course.objects.filter(slug=slug)
        .filter(Q(is_published=True) | Q(runs__certificates__isnull=False))
        .distinct()
        .first()
    )


def certificate_partners(certificate: Certificate) -> list:
    return list(certificate.run.course.partners.order_by("name"))


# --- For other programmes (the diagnostic's path), without their reading our tables ----------


@dataclass(frozen=True)
class ModuleForPath:
    pk: int
    title: str
    course_title: str
    url: str
    percent: int
    done: bool


def module_refs_published(*, course_slug: str) -> list[tuple[int, int, str]]:
    """(module id, position, title) of a published course, in order: how another app names a module."""
    return list(
        Module.objects.filter(course__slug=course_slug, course__is_published=True)
        .order_by("position", "id")
        .values_list("pk", "position", "title")
    )


def module_labels(*, module_ids: list[int]) -> dict[int, str]:
    """"Course — module" of published modules, by id: one query."""
    return {
        pk: f"{course} — {title}"
        for pk, course, title in Module.objects.filter(pk__in=module_ids, course__is_published=True).values_list(
            "pk", "course__title", "title"
        )
    }


def module_published(module_id: int) -> Module | None:
    return Module.objects.select_related("course").filter(pk=module_id, course__is_published=True).first()


def modules_for_path(*, module_ids: list[int], user) -> dict[int, ModuleForPath]:
    """Published modules with the person's progress in each (weights of completed lessons over
    the module's), and where to go next: the first lesson not done in the run they follow, else
    the course page. Four queries whatever the number of modules."""
    modules = list(
        Module.objects.filter(pk__in=module_ids, course__is_published=True)
        .select_related("course")
        .prefetch_related(Prefetch("lessons", queryset=Lesson.objects.only("id", "module_id", "weight", "position").order_by("position", "id")))
    )
    if not modules:
        return {}
    enrollments: dict[int, Enrollment] = {}
    completed: set[tuple[int, int]] = set()
    if user.is_authenticated:
        course_ids = {m.course_id for m in modules}
        for e in (
            Enrollment.objects.filter(user=user, is_active=True, run__course_id__in=course_ids)
            .select_related("run")
            .order_by("-last_activity_at")
        ):
            enrollments.setdefault(e.run.course_id, e)
        lesson_ids = [lesson.pk for m in modules for lesson in m.lessons.all()]
        completed = set(
            LessonCompletion.objects.filter(enrollment__in=list(enrollments.values()), lesson_id__in=lesson_ids)
            .values_list("enrollment_id", "lesson_id")
        )
    out = {}
    for module in modules:
        lessons = list(module.lessons.all())
        enrollment = enrollments.get(module.course_id)
        done_ids = {lesson.pk for lesson in lessons if enrollment and (enrollment.pk, lesson.pk) in completed}
        total = sum(lesson.weight for lesson in lessons)
        done_weight = sum(lesson.weight for lesson in lessons if lesson.pk in done_ids)
        percent = int(_percent(done_weight, total)) if total else 0
        url = f"{module.course.get_absolute_url()}#module-{module.pk}"
        if enrollment and enrollment.run.has_started() and lessons:
            target = next((lesson for lesson in lessons if lesson.pk not in done_ids), lessons[0])
            url = reverse("mooc:lesson", args=[module.course.slug, enrollment.run_id, target.pk])
        out[module.pk] = ModuleForPath(
            pk=module.pk, title=module.title, course_title=module.course.title, url=url,
            percent=percent, done=bool(total) and done_weight >= total,
        )
    return out


# --- Home page ------------------------------------------------------------------------------


def courses_for_home(*, limit: int = 3) -> tuple[list[Course], int, list[str]]:
    """A few published courses, how many there are and their topics (labels): one query."""
    courses = list(Course.objects.filter(is_published=True).order_by("title"))
    labels = dict(Course._meta.get_field("topic").choices)
    topics = sorted({str(labels.get(c.topic, c.topic)) for c in courses})
    return courses[:limit], len(courses), topics
