"""Helpers shared by the contest views: turning a service refusal into messages or form errors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in _errors(exc):
        messages.error(request, message)


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
