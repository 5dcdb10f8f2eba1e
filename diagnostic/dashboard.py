"""The diagnostic's contributions to the home page and Mon espace (through portal.dashboard)."""

from __future__ import annotations

from diagnostic import selectors


def _next_step(request) -> dict:
    """The path's next step (read once per request: selectors.person_path)."""
    return selectors.next_step_for(request)


def home_context(request) -> dict:
    """The call to take the diagnostic, or for a logged-in person the next step of the path."""
    return _next_step(request)


def todo_items(request) -> list:
    """The path's next step (or the diagnostic in progress) as something to do."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from portal.dashboard import TodoItem

    step = _next_step(request)
    if step["next"] is not None:
        return [TodoItem(text=_("Next step of your digital path: %(title)s") % {"title": step["next"].title},
                         url=step["next"].url, action=_("Take the next step"), kind="diagnostic")]
    if step["in_progress"]:
        return [TodoItem(text=_("Your digital-maturity diagnostic is not finished."), url=reverse("diagnostic:index"),
                         action=_("Resume my diagnostic"), kind="diagnostic")]
    return []
