"""What each app contributes to "Mon espace" and to the home page, without portal templates
knowing the apps.

In an app's ``AppConfig.ready()``:

- ``register_section(key, title=..., template=..., context=fn, order=...)`` — a card of Mon
  espace; ``context(request) -> dict`` (logged-in users only) is given to ``template`` as
  ``data``.
- ``register_todo(key, items=fn, order=...)`` — ``items(request) -> list[TodoItem]``: what the
  person must do next (an offer to accept before a date, a draft to finish before a deadline, a
  lesson to resume, reviews due). Mon espace lists every app's items first, soonest due first;
  the home page shows the first few to a logged-in visitor.
- ``register_home_block(key, template=..., context=fn, order=...)`` — a block of the home
  page; ``context(request) -> dict | None`` (``None``: nothing to show). The dict is given to
  ``template`` as ``block``; a ``"figure": (value, label)`` entry is also shown among the key
  figures at the top of the page. A dict with an ``"html"`` entry is the block already rendered
  by the app (shared HTML kept by portal.page_cache with live figures laid over it).

Every callable must read through its app's selectors with a constant number of queries: the
home page and Mon espace have query ceilings asserted in tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from portal import page_cache


@dataclass(frozen=True)
class DashboardSection:
    key: str
    title: Any
    template: str
    context: Callable[[Any], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: a sentence, where to do it, the button's words, and a deadline if any."""

    text: str
    url: str
    action: str
    due: datetime | date | None = None
    kind: str = ""  # the contributing app's key, for styling and tests


@dataclass(frozen=True)
class TodoSource:
    key: str
    items: Callable[[Any], list[TodoItem]]
    order: int = 100


@dataclass(frozen=True)
class HomeBlock:
    key: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 100
    cached_in: tuple[str, ...] = ()


@dataclass
class RenderedHomeBlock:
    key: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    html: str = ""  # a block kept by the page cache comes rendered


_SECTIONS: dict[str, DashboardSection] = {}
_TODOS: dict[str, TodoSource] = {}
_HOME_BLOCKS: dict[str, HomeBlock] = {}


def register_section(key: str, *, title, template: str, context: Callable[[Any], dict[str, Any]], order: int = 100) -> None:
    _SECTIONS[key] = DashboardSection(key=key, title=title, template=template, context=context, order=order)


def register_todo(key: str, *, items: Callable[[Any], list[TodoItem]], order: int = 100) -> None:
    _TODOS[key] = TodoSource(key=key, items=items, order=order)


def register_home_block(key: str, *, template: str, context: Callable[[Any], dict[str, Any] | None], order: int = 100,
                        cached_in: tuple[str, ...] = ()) -> None:
    """``cached_in``: the page-cache namespaces (portal.page_cache) of a block that shows the same
    to everybody (``context`` never reads the request's user, no live figure): its HTML and figure
    are then kept until one of them changes."""
    _HOME_BLOCKS[key] = HomeBlock(key=key, template=template, context=context, order=order, cached_in=cached_in)


def once_per_request(request, key: str, compute: Callable[[], Any]) -> Any:
    """What ``compute()`` returns, read once per request for the person logged in (Mon espace's
    card, its to-do list and the home page ask several apps for the same rows); kept on the
    request for that person only."""
    kept = request.__dict__.get(f"_dashboard_{key}")
    if kept is None or kept[0] != request.user.pk:
        kept = request.__dict__[f"_dashboard_{key}"] = (request.user.pk, compute())
    return kept[1]


def sections() -> list[DashboardSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def _due_key(item: TodoItem) -> tuple:
    due = item.due
    if due is None:
        return (1, "")
    if isinstance(due, datetime):
        return (0, timezone.localtime(due).isoformat() if timezone.is_aware(due) else due.isoformat())
    return (0, due.isoformat() + "T23:59:59")


def todo_items(request) -> list[TodoItem]:
    """Every app's items for the logged-in person: those with a deadline first, soonest first."""
    items: list[TodoItem] = []
    for source in sorted(_TODOS.values(), key=lambda s: (s.order, s.key)):
        items.extend(source.items(request))
    return sorted(items, key=_due_key)  # stable: apps' own order kept among equals


def home_blocks(request) -> list[RenderedHomeBlock]:
    blocks = []
    for block in sorted(_HOME_BLOCKS.values(), key=lambda b: (b.order, b.key)):
        if block.cached_in:
            kept = json.loads(page_cache.fragment(block.cached_in, ("home-block", block.key), partial(_render_shared, block)))
            if kept is not None:
                figure = tuple(kept["figure"]) if kept["figure"] else None
                blocks.append(RenderedHomeBlock(key=block.key, template=block.template, data={"figure": figure},
                                                html=mark_safe(kept["html"])))  # noqa: S308 - our template's output
            continue
        data = block.context(request)
        if data is not None and "html" in data:  # the app rendered it (shared HTML with live figures laid over)
            blocks.append(RenderedHomeBlock(key=block.key, template=block.template, data={"figure": data.get("figure")},
                                            html=data["html"]))
        elif data is not None:
            blocks.append(RenderedHomeBlock(key=block.key, template=block.template, data=data))
    return blocks


def _render_shared(block: HomeBlock) -> str:
    """A shared block rendered without the request (nothing of the viewer's can slip in)."""
    data = block.context(None)
    if data is None:
        return "null"
    figure = data.get("figure")
    return json.dumps({"html": render_to_string(block.template, {"block": data}),
                       "figure": [str(figure[0]), str(figure[1])] if figure else None})
