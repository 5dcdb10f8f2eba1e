"""Cross-app references without reading another app's tables.

An app registers a resolver for the kinds of object it publishes, e.g. the MOOC registers
``"mooc.course"`` with a function ``slug -> ResolvedLink | None`` built on its own selectors.
Another app (the measures' "related content") stores only ``(kind, key)`` and asks
:func:`resolve` when it renders or seeds: unpublished or missing objects resolve to ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ResolvedLink:
    label: str
    url: str


_RESOLVERS: dict[str, Callable[[str], ResolvedLink | None]] = {}


def register_resolver(kind: str, resolver: Callable[[str], ResolvedLink | None]) -> None:
    _RESOLVERS[kind] = resolver


def resolve(kind: str, key: str) -> ResolvedLink | None:
    resolver = _RESOLVERS.get(kind)
    return resolver(key) if resolver else None


def known_kinds() -> list[str]:
    return sorted(_RESOLVERS)
