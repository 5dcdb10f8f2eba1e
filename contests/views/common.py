"""Helpers shared by the contest views: turning a service refusal into messages or form errors."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

# Invitation tokens are secrets.token_urlsafe(32): anything else is not one of ours (and a NUL
# byte would make PostgreSQL refuse the query).
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def flash_errors(request: HttpRequest, exc: ValidationError, extra_tags: str = "") -> None:
    for message in _errors(exc):
        messages.error(request, message, extra_tags=extra_tags)


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
