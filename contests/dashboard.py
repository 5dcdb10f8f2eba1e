"""The contest on the home page (phase, deadline, call to act) and in Mon espace's "to do"."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import selectors
from contests.models import Phase
from portal import page_cache
from portal.dashboard import TodoItem


def home_context(request) -> dict | None:
    """The home page's block: the edition announced and its phase. The edition and the block's
    HTML for each phase are shared (kept for the "contests" version, portal.page_cache); the
    phase and the days left are told from the clock on every request."""
    edition = selectors.edition_announced()
    if edition is None:
        return None
    now = timezone.now()
    phase = edition.phase_at(now)
    data = {"edition": edition, "phase": phase, "phase_label": Phase(phase).label}
    html = page_cache.fragment("contests", ("home-block", edition.pk, phase),
                               lambda: render_to_string("contests/_home_block.html", {"block": data}))
    out = {"html": html}
    if phase == Phase.OPEN:
        days = (edition.closes_at - now).days
        out["figure"] = (days, _("days left to submit a project to the contest"))
    return out


def accepted_jurors(request) -> list:
    """The person's juror roles, read once per request (Mon espace's section and to-do list)."""
    from portal.dashboard import once_per_request

    return once_per_request(request, "contests_accepted_jurors", lambda: selectors.accepted_jurors_of(request.user))


def todo_items(request) -> list[TodoItem]:
    items = [
        TodoItem(
            text=_("Your draft “%(title)s” is not submitted yet.") % {"title": s.title},
            url=reverse("contests:submission_edit", args=[s.pk]), action=_("Finish my project"),
            due=s.edition.closes_at, kind="contests",
        )
        for s in selectors.drafts_due(request.user)
    ]
    for edition, count in selectors.reviews_due(request.user, jurors=accepted_jurors(request)):
        items.append(TodoItem(
            text=_("%(count)s project(s) to review for %(title)s.") % {"count": count, "title": edition.title},
            url=reverse("contests:jury", args=[edition.slug]), action=_("Review the projects"),
            due=edition.review_deadline, kind="contests",
        ))
    return items
