"""The MOOC's section of Mon espace: courses in progress with their bars, certificates."""

from mooc import selectors


def _learner(request) -> tuple[list, dict]:
    """The person's enrollments and their progress, read once per request (Mon espace asks for
    them twice: its section and its to-do list)."""
    from portal.dashboard import once_per_request

    def compute():
        enrollments = selectors.learner_enrollments(user=request.user)
        return enrollments, selectors.enrollments_progress_bulk(enrollments)

    return once_per_request(request, "mooc_learner", compute)


def me_context(request) -> dict:
    enrollments, progress = _learner(request)
    return {
        "courses": [{"enrollment": e, "progress": progress[e.pk]} for e in enrollments],
        "certificates": selectors.learner_certificates(user=request.user),
    }


def home_context(request) -> dict | None:
    courses, count, topics = selectors.courses_for_home()
    if not count:
        return None
    from django.utils.translation import ngettext

    return {"courses": courses, "count": count, "topics": topics,
            "figure": (count, ngettext("online course with the CNAM", "online courses with the CNAM", count))}


def todo_items(request) -> list:
    """A lesson to resume in every started, unfinished course run the person follows."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from portal.dashboard import TodoItem

    now = timezone.now()
    every, progress = _learner(request)
    enrollments = [e for e in every if e.run.has_started(now) and not e.run.has_ended(now)]
    return [
        TodoItem(
            text=_("Resume “%(title)s”: %(percent)s %% done.") % {"title": e.run.course.title, "percent": round(progress[e.pk].percent)},
            url=reverse("mooc:learn", args=[e.run.course.slug, e.run.pk]), action=_("Resume the course"),
            due=e.run.end, kind="mooc",
        )
        for e in enrollments if progress[e.pk].percent < 100
    ]
