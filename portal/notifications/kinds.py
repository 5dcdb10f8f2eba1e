"""Registry of notification kinds.

A kind says whether a notification is transactional (always sent: it answers something the
person did or must act on) or optional (the person may turn off its e-mails), and where
its templates are: ``<template>_subject.txt``, ``<template>_body.txt`` and, optionally,
``<template>_body.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str | Promise
    optional: bool = False
    template: str = ""

    @property
    def template_prefix(self) -> str:
        return self.template or "emails/" + self.code.replace(".", "/")


_KINDS: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind) -> NotificationKind:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.code!r} registered twice with different definitions.")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> NotificationKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"Unknown notification kind {code!r}: register it first.") from None


def optional_kinds() -> list[NotificationKind]:
    return sorted((k for k in _KINDS.values() if k.optional), key=lambda k: k.code)


def all_kinds() -> list[NotificationKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)
