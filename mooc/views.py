"""Thin views of the MOOC: parse → ask rules/selectors → call a service → render."""

from __future__ import annotations

import json
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mooc import openbadges, rules, selectors, services
from mooc.content import extension_for, ranged_file_response, sniffed_type
from mooc.forms import CatalogueFilterForm
from mooc.models import Certificate, Course, CourseRun, Enrollment, Lesson, LessonKind
from mooc.pdf import certificate_pdf as render_certificate_pdf
from portal import credential_keys, page_cache, storage
from portal.notifications.services import absolute_url

VERIFY_LIMIT_PER_MINUTE = 20
# portal.page_cache namespaces, bumped by the writes these pages show (mooc.apps)
CATALOGUE = "mooc.catalogue"
COURSE = selectors.COURSE_NAMESPACE


def index(request: HttpRequest) -> HttpResponse:
    """The list of courses comes from the page cache ("mooc.catalogue"): nothing of the viewer's in it."""
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    topic, language, effort = filters.get("topic", ""), filters.get("language", ""), filters.get("effort", "")

    def render_list() -> str:
        courses = selectors.course_list_published(topic=topic, language=language, effort=effort)
        return render_to_string("mooc/_catalogue.html", {"courses": courses})

    courses = page_cache.fragment(CATALOGUE, ("index", topic, language, effort), render_list)
    if request.GET:  # the filters as asked
        filters_html = render_to_string("mooc/_catalogue_filters.html", {"form": form})
    else:  # the landing page's filters are the same for everybody (a GET form: no CSRF token)
        filters_html = page_cache.fragment(CATALOGUE, ("index-filters",), lambda: render_to_string(
            "mooc/_catalogue_filters.html", {"form": CatalogueFilterForm()}))
    return render(request, "mooc/index.html", {"form": form, "course_list": courses, "filters_html": filters_html})


@dataclass(frozen=True)
class _CoursePage:
    """What a course's page shows alike to everybody, kept in the page cache ("mooc.course")."""

    course: Course
    runs: list[CourseRun]
    head: str
    syllabus: str


def _course_page(slug: str) -> _CoursePage | None:
    course = selectors.course_by_slug_with_partners(slug)
    if course is None:
        return None
    head = render_to_string("mooc/_course_head.html", {"course": course})
    syllabus = render_to_string("mooc/_syllabus.html", {"modules": selectors.course_modules(course)})
    course._prefetched_objects_cache = {}  # rendered into the head: not kept twice
    return _CoursePage(course=course, runs=selectors.course_runs(course), head=head, syllabus=syllabus)


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The course, its runs, its head and syllabus come from the page cache ("mooc.course") in one
    round trip; whether each run is open and the viewer's enrollments are worked out per request."""
    page = page_cache.value(COURSE, ("page", slug), lambda: _course_page(slug))
    can_preview = rules.can_preview(request.user)
    if page is None or not (page.course.is_published or can_preview):
        raise Http404
    course, runs = page.course, page.runs
    enrollments = selectors.enrollments_by_run(user=request.user, runs=runs)
    run_rows = [{"run": run, "enrollment": enrollments.get(run.pk)} for run in runs]
    runs_html = None
    if not request.user.is_authenticated:
        # What every visitor not logged in sees of the runs (log in to enroll, or closed), kept under
        # whether each run takes enrollments now: a run that opens or closes is a new key, never stale.
        now = timezone.now()
        states = tuple(run.enrollment_is_open(now) for run in runs)
        context = {"course": course, "run_rows": run_rows, "path": request.path, "can_preview": False}
        runs_html = page_cache.fragment(COURSE, ("runs", slug, request.path, states),
                                        lambda: render_to_string("mooc/_course_runs.html", context))
    return render(
        request,
        "mooc/course_detail.html",
        {
            "course": course,
            "head": mark_safe(page.head),  # noqa: S308 - a template's output
            "syllabus": mark_safe(page.syllabus),  # noqa: S308 - a template's output
            "run_rows": run_rows,
            "runs_html": runs_html,
            "can_preview": can_preview,
        },
    )


def course_cover(request: HttpRequest, slug: str) -> HttpResponse:
    course = selectors.course_get_visible(slug=slug, user=request.user)
    if course is None or not course.cover_image:
        raise Http404
    if not storage.exists(course.cover_image):
        raise Http404
    cover = course.cover_image
    return ranged_file_response(request, cover, content_type=sniffed_type(cover, "image/jpeg"), filename=f"{course.slug}-cover")


def _run_or_404(slug: str, run_id: int, user) -> CourseRun:
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id, course__slug=slug)
    if not run.course.is_published and not rules.can_preview(user):
        raise Http404
    return run


@login_required
@require_POST
def enroll(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    run = _run_or_404(slug, run_id, request.user)
    try:
        services.enrollment_create(user=request.user, run=run)
    except services.MoocError as exc:
        messages.error(request, str(exc))
        return redirect(run.course.get_absolute_url())
    if not run.has_started():  # its lessons open on the start date: back to the course page
        messages.success(
            request,
            _("You are enrolled. The course starts on %(date)s.") % {"date": date_format(localtime(run.start), "DATE_FORMAT")},
        )
        return redirect(run.course.get_absolute_url())
    messages.success(request, _("You are enrolled. Welcome to the course!"))
    return redirect("mooc:learn", slug=slug, run_id=run.pk)


@login_required
@require_POST
def unenroll(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    run = _run_or_404(slug, run_id, request.user)
    enrollment = selectors.enrollment_active(user=request.user, run=run)
    if enrollment is not None:
        services.enrollment_cancel(enrollment=enrollment)
        messages.success(request, _("You have left this course run. Your progress is kept if you come back."))
    return redirect(run.course.get_absolute_url())


def _forbidden(request, run: CourseRun, enrollment) -> HttpResponse:
    reason = _("This course run has not started yet.") if enrollment else _("Enroll in this course run to follow its lessons.")
    return render(request, "mooc/forbidden.html", {"course": run.course, "run": run, "reason": reason}, status=403)


@login_required
def learn(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    run = _run_or_404(slug, run_id, request.user)
    enrollment = selectors.enrollment_active(user=request.user, run=run)
    if not rules.can_follow_lessons(user=request.user, run=run, enrollment=enrollment):
        return _forbidden(request, run, enrollment)
    modules = selectors.course_modules(run.course)
    progress = selectors.enrollment_progress(enrollment=enrollment, modules=modules) if enrollment else None
    lesson = selectors.next_lesson_to_resume(
        modules=modules, enrollment=enrollment, completed_ids=progress.completed_ids if progress else set()
    )
    if lesson is None:
        messages.info(request, _("This course has no lessons yet."))
        return redirect(run.course.get_absolute_url())
    return redirect("mooc:lesson", slug=slug, run_id=run.pk, lesson_id=lesson.pk)


def _lesson_or_404(run: CourseRun, lesson_id: int) -> Lesson:
    return get_object_or_404(Lesson.objects.select_related("module"), pk=lesson_id, module__course_id=run.course_id)


@dataclass(frozen=True)
class _RunOutline:
    """What every learner of a run sees alike, kept in the page cache ("mooc.course"): the run
    and its course, the modules with their lessons (each with its ``url``, each quiz with its
    ``question_list``, choices loaded)."""

    run: CourseRun
    modules: list


def _run_outline(slug: str, run_id: int) -> _RunOutline | None:
    run = CourseRun.objects.select_related("course").filter(pk=run_id, course__slug=slug).first()
    if run is None:
        return None
    modules = selectors.course_modules(run.course)
    prefix = reverse("mooc:lesson", args=[slug, run.pk, 0]).removesuffix("0/")
    quizzes = {}
    for module in modules:
        for lesson in module.lessons.all():
            lesson.url = f"{prefix}{lesson.pk}/"
            if hasattr(lesson, "quiz"):
                quizzes[lesson.quiz.pk] = lesson.quiz
                lesson.quiz.question_list = []
    for question in selectors.quizzes_questions(list(quizzes)):
        quizzes[question.quiz_id].question_list.append(question)
    return _RunOutline(run=run, modules=modules)


def _outline_or_404(request: HttpRequest, slug: str, run_id: int) -> tuple[CourseRun, list]:
    """:func:`_run_or_404` with the run's outline, from the page cache."""
    outline = page_cache.value(COURSE, ("run", slug, run_id), lambda: _run_outline(slug, run_id))
    if outline is None or not (outline.run.course.is_published or rules.can_preview(request.user)):
        raise Http404
    return outline.run, outline.modules


@login_required
def lesson_detail(request: HttpRequest, slug: str, run_id: int, lesson_id: int) -> HttpResponse:
    run, modules = _outline_or_404(request, slug, run_id)
    enrollment = selectors.enrollment_for_lessons(user=request.user, run=run)
    if not rules.can_follow_lessons(user=request.user, run=run, enrollment=enrollment):
        return _forbidden(request, run, enrollment)
    lesson = next((item for module in modules for item in module.lessons.all() if item.pk == lesson_id), None)
    if lesson is None:
        raise Http404
    return _render_lesson(request, run=run, enrollment=enrollment, modules=modules, lesson=lesson)


def _render_lesson(request, *, run, enrollment, modules, lesson, quiz_outcome=None, posted=None, status=200):
    quiz = lesson.quiz if lesson.kind == LessonKind.QUIZ and hasattr(lesson, "quiz") else None
    attempts = []
    if enrollment is not None:
        services.lesson_visit(enrollment=enrollment, lesson=lesson)
        progress, attempts = selectors.lesson_progress(enrollment=enrollment, modules=modules, quiz=quiz)
    else:
        progress = selectors.progress_compute(modules=modules, completed_ids=set(), best_scores={})
    if enrollment is None:
        certificate_id = None
    elif hasattr(enrollment, "certificate_id") and not (quiz_outcome and quiz_outcome.certificate):
        certificate_id = enrollment.certificate_id  # read with the enrollment
    else:
        certificate = selectors.certificate_for(user=request.user, run=run)
        certificate_id = certificate.pk if certificate else None
    previous, following = selectors.lesson_neighbours(modules=modules, lesson=lesson)
    context = {
        "course": run.course,
        "run": run,
        "enrollment": enrollment,
        "preview": enrollment is None,
        "modules": modules,
        "progress": progress,
        "lesson": lesson,
        "module": next(m for m in modules if m.pk == lesson.module_id),
        "previous": previous,
        "next": following,
        "completed": lesson.pk in progress.completed_ids,
        "certificate_id": certificate_id,
        # the outline's list, shown twice (phone and aside): rendered once
        "outline_list": render_to_string("mooc/_outline_list.html", {"progress": progress, "lesson": lesson}),
    }
    if quiz is not None:
        used = progress.attempts_used.get(quiz.pk, 0)
        shown = quiz_outcome.attempt if quiz_outcome else None
        posted = posted or {}
        rows = []
        questions = getattr(quiz, "question_list", None)  # loaded with the outline, else read now
        for question in selectors.quiz_questions(quiz) if questions is None else questions:
            name = f"q{question.pk}"
            values = posted.get(name, [])
            rows.append(
                {
                    "question": question,
                    "name": name,
                    "selected": set(values),
                    "value": values[0] if values else "",
                    "result": shown.results.get(str(question.pk)) if shown else None,
                }
            )
        attempts_left = (quiz.max_attempts - used) if quiz.max_attempts else None
        context.update(
            {
                "quiz": quiz,
                "question_rows": rows,
                "attempts": attempts,
                "attempts_left": attempts_left,
                "answers_shown": bool(shown) and rules.answers_visible(quiz=quiz, passed=shown.passed, attempts_left=attempts_left),
                "best_score": progress.best_scores.get(quiz.pk),
                "shown_attempt": shown,
                "quiz_closed": run.has_ended(),
            }
        )
    return render(request, "mooc/lesson.html", context, status=status)


@login_required
@require_POST
def lesson_complete(request: HttpRequest, slug: str, run_id: int, lesson_id: int) -> HttpResponse:
    run = _run_or_404(slug, run_id, request.user)
    enrollment = selectors.enrollment_active(user=request.user, run=run)
    if enrollment is None or not rules.can_follow_lessons(user=request.user, run=run, enrollment=enrollment):
        return _forbidden(request, run, enrollment)
    lesson = _lesson_or_404(run, lesson_id)
    try:
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    except services.MoocError as exc:
        messages.error(request, str(exc))
        return redirect("mooc:lesson", slug=slug, run_id=run.pk, lesson_id=lesson.pk)
    modules = selectors.course_modules(run.course)
    _, following = selectors.lesson_neighbours(modules=modules, lesson=lesson)
    target = following or lesson
    return redirect("mooc:lesson", slug=slug, run_id=run.pk, lesson_id=target.pk)


@login_required
@require_POST
def quiz_submit(request: HttpRequest, slug: str, run_id: int, lesson_id: int) -> HttpResponse:
    run, modules = _outline_or_404(request, slug, run_id)
    enrollment = selectors.enrollment_active(user=request.user, run=run)
    if enrollment is None or not rules.can_follow_lessons(user=request.user, run=run, enrollment=enrollment):
        return _forbidden(request, run, enrollment)
    lesson = next((item for module in modules for item in module.lessons.all() if item.pk == lesson_id), None)
    if lesson is None or lesson.kind != LessonKind.QUIZ or not hasattr(lesson, "quiz"):
        raise Http404
    posted = {key: request.POST.getlist(key) for key in request.POST if key.startswith("q")}
    try:
        outcome = services.quiz_submit(enrollment=enrollment, quiz=lesson.quiz, data=request.POST)
    except services.MoocError as exc:
        messages.error(request, str(exc))
        return _render_lesson(request, run=run, enrollment=enrollment, modules=modules, lesson=lesson, posted=posted, status=400)
    attempt = outcome.attempt
    if attempt.passed:
        messages.success(request, _("Quiz passed with %(score)s %%.") % {"score": floatformat(attempt.score, -2)})
    else:
        messages.warning(
            request,
            _("Score: %(score)s %%. The pass mark is %(mark)s %%.") % {"score": floatformat(attempt.score, -2), "mark": lesson.quiz.pass_threshold},
        )
    if outcome.certificate is not None:
        messages.success(request, _("Congratulations, you passed the course: your certificate is ready."))
    return _render_lesson(request, run=run, enrollment=enrollment, modules=modules, lesson=lesson, quiz_outcome=outcome, posted=posted)


@login_required
def lesson_file(request: HttpRequest, slug: str, run_id: int, lesson_id: int, kind: str) -> HttpResponse:
    """The video (with Range support) or the resource of a lesson, for its learners only."""
    run = _run_or_404(slug, run_id, request.user)
    enrollment = selectors.enrollment_active(user=request.user, run=run)
    if not rules.can_follow_lessons(user=request.user, run=run, enrollment=enrollment):
        return _forbidden(request, run, enrollment)
    lesson = _lesson_or_404(run, lesson_id)
    stored = lesson.video_file if kind == "video" else lesson.resource_file
    try:
        if not storage.exists(stored):
            raise Http404
        content_type = sniffed_type(stored)
    except (OSError, ValueError):
        raise Http404 from None
    # The name follows the content, whatever the stored name says (older files kept the uploader's extension).
    filename = f"lesson-{lesson.pk}.{extension_for(content_type)}"
    return ranged_file_response(request, stored, content_type=content_type, filename=filename)


@login_required
def enrollment_progress(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_object_or_404(Enrollment.objects.select_related("run__course"), pk=enrollment_id)
    if not rules.can_see_enrollment(user=request.user, enrollment=enrollment):
        raise Http404
    modules = selectors.course_modules(enrollment.run.course)
    progress = selectors.enrollment_progress(enrollment=enrollment, modules=modules)
    quizzes = [
        {"lesson": lesson, "best": progress.best_scores.get(lesson.quiz.pk), "used": progress.attempts_used.get(lesson.quiz.pk, 0)}
        for module in modules for lesson in module.lessons.all() if hasattr(lesson, "quiz")
    ]
    return render(
        request,
        "mooc/progress.html",
        {"enrollment": enrollment, "run": enrollment.run, "course": enrollment.run.course, "progress": progress,
         "quizzes": quizzes, "certificate": selectors.certificate_for(user=request.user, run=enrollment.run)},
    )


@login_required
@require_POST
def certificate_request(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    run = _run_or_404(slug, run_id, request.user)
    enrollment = selectors.enrollment_active(user=request.user, run=run)
    if enrollment is None:
        return _forbidden(request, run, enrollment)
    try:
        services.certificate_issue(enrollment=enrollment)
    except services.MoocError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your certificate is ready."))
    return redirect("mooc:progress", enrollment_id=enrollment.pk)


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("run__course"), pk=pk)
    if not rules.can_download_certificate(user=request.user, certificate=certificate):
        raise Http404
    data = render_certificate_pdf(
        certificate=certificate,
        partners=selectors.certificate_partners(certificate),
        verification_url=absolute_url(certificate.get_verification_url()),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def certificate_credential(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder's Open Badges 3.0 credential (VC-JWT) of a certificate, as a file."""
    certificate = get_object_or_404(Certificate.objects.select_related("run__course"), pk=pk)
    if not rules.can_download_credential(user=request.user, certificate=certificate):
        raise Http404
    try:
        token = services.certificate_credential(certificate=certificate)
    except services.MoocError as exc:
        messages.error(request, str(exc))
        return redirect("me:dashboard")
    except credential_keys.SigningKeyMissing:
        messages.error(request, _("Digital credentials cannot be issued at the moment. Please try again later."))
        return redirect("me:dashboard")
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="open-badge-{certificate.code}.jwt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public verification (outside the language prefix) -------------------------------------


def _verification_rate_limited(request: HttpRequest) -> bool:
    """N look-ups per minute and client IP, counted in the shared cache (fails open if it is down)."""
    ip = get_adapter(request).get_client_ip(request) or "unknown"
    key = f"mooc:verify:{ip}"
    try:
        if cache.add(key, 1, timeout=60):
            return False
        return cache.incr(key) > VERIFY_LIMIT_PER_MINUTE
    except Exception:  # noqa: BLE001 - a cache outage must not take the page down
        return False


@never_cache
@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public verification page. At the QR code's address (outside the language prefix,
    namespace ``mooc_public``) it speaks the visitor's language (language cookie, then the
    browser's Accept-Language); under /en/ it is English."""
    if request.resolver_match and request.resolver_match.namespace == "mooc_public":
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
    response = _certificate_verify(request, code)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    if _verification_rate_limited(request):
        response = render(request, "mooc/verify_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return render(request, "mooc/verify_unknown.html", {"code": code[:40]}, status=404)
    return render(request, "mooc/verify.html", {"certificate": certificate, "course": certificate.run.course})


def _visitor_language(request: HttpRequest) -> None:
    language = translation.get_language_from_request(request, check_path=False)
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _public_json(data: dict | str, content_type: str, *, max_age: int = 3600) -> HttpResponse:
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers and wallets fetch these from anywhere
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@require_GET
def achievement(request: HttpRequest, slug: str) -> HttpResponse:
    """What a certificate of this course attests (course, criteria, effort): the ``id`` of the
    credentials' Achievement. JSON for a client that asks for it, a page otherwise; in the
    visitor's language like the verification page."""
    _visitor_language(request)
    course = selectors.course_for_achievement(slug)
    if course is None:
        raise Http404
    accept = request.headers.get("Accept", "")
    if "json" in accept and "text/html" not in accept:
        document = {"@context": [openbadges.VC_CONTEXT, openbadges.OB_CONTEXT], **openbadges.achievement(course)}
        response = _public_json(document, "application/ld+json")
    else:
        response = render(request, "mooc/achievement.html", {
            "course": course, "criteria": openbadges.criteria_narrative(course), "issuer_name": openbadges.ISSUER_NAME})
    patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie"])
    return response


@require_GET
def credential_issuer(request: HttpRequest) -> HttpResponse:
    """The issuer's Open Badges profile."""
    return _public_json({"@context": [openbadges.VC_CONTEXT, openbadges.OB_CONTEXT], **openbadges.issuer_profile()},
                        "application/ld+json")


@require_GET
def credential_status_list(request: HttpRequest, number: int) -> HttpResponse:
    """A revocation status list (W3C Bitstring Status List), signed as a VC-JWT."""
    if not selectors.status_list_exists(number):
        raise Http404
    try:
        token = openbadges.status_list_jwt(number=number, revoked_indexes=selectors.revoked_status_indexes(status_list=number))
    except credential_keys.SigningKeyMissing:
        return HttpResponse("Status list unavailable: no signing key.", status=503, content_type="text/plain")
    # A revocation shows within five minutes wherever a verifier caches the list.
    return _public_json(token, "application/vc+jwt", max_age=300)


def course_link(slug: str):
    """Resolver for ``portal.links`` kind ``mooc.course``: published courses only."""
    from portal.links import ResolvedLink

    course = selectors.course_published_by_slug(slug)
    if course is None:
        return None
    return ResolvedLink(label=course.title, url=reverse("mooc:course_detail", args=[course.slug]))


def module_link(key: str):
    """Resolver for ``portal.links`` kind ``mooc.module`` (key: the module id): published courses only."""
    from portal.links import ResolvedLink

    module = selectors.module_published(int(key)) if key.isdigit() else None
    if module is None:
        return None
    return ResolvedLink(label=f"{module.course.title} — {module.title}", url=f"{module.course.get_absolute_url()}#module-{module.pk}")


@login_required
def preview_course(request: HttpRequest, pk: int) -> HttpResponse:
    """Admin "preview as learner": the first run's lessons, without enrolling."""
    course = get_object_or_404(Course, pk=pk)
    run = course.runs.order_by("id").first()
    if not rules.can_preview(request.user) or run is None:
        raise Http404
    return redirect("mooc:learn", slug=course.slug, run_id=run.pk)
