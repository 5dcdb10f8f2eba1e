"""Sections of "Mon espace": each app contributes what the person has there.

``register_section(key, title=..., template=..., context=fn, order=...)`` in ``ready()``;
``context(request) -> dict`` is called only for logged-in users and must use the app's
selectors (a constant number of queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DashboardSection:
    key: str
    title: Any
    template: str
    context: Callable[[Any], dict[str, Any]]
    order: int = 100


_SECTIONS: dict[str, DashboardSection] = {}


def register_section(key: str, *, title, template: str, context: Callable[[Any], dict[str, Any]], order: int = 100) -> None:
    _SECTIONS[key] = DashboardSection(key=key, title=title, template=template, context=context, order=order)


def sections() -> list[DashboardSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
