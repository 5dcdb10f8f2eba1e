"""Keyset ("cursor") pagination: the cursor names the last row of the page by its sort key, so a
page never repeats or skips a row when rows are added before it, and its cost does not grow with
the depth of the page (no OFFSET). The ordering always ends with the primary key (stable).

The cursor is opaque to clients: follow ``next`` until it is null.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _invalid():
    return ValidationError({"cursor": [_("This cursor is not valid: follow the “next” link of a previous page.")]})


def _encode(values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime.date | datetime.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str, fields) -> list:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _invalid() from None
    if not isinstance(raw, list) or len(raw) != len(fields) or not all(isinstance(v, str | int) for v in raw):
        raise _invalid()
    try:
        values = [field.to_python(value) for field, value in zip(fields, raw, strict=True)]
    except Exception:  # noqa: BLE001 - any value a field refuses is a bad cursor
        raise _invalid() from None
    if any(v is None for v in values):
        raise _invalid()
    return values


def _model_field(model, name: str):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def paginate(queryset, *, ordering: list[str], cursor: str | None, page_size: int) -> tuple[list, str | None]:
    """(the page's rows, the cursor of the next page or None). ``ordering`` like ``["-starts_on", "-pk"]``."""
    names = [o.lstrip("-") for o in ordering]
    fields = [_model_field(queryset.model, n) for n in names]
    queryset = queryset.order_by(*ordering)
    if cursor:
        values = _decode(cursor, fields)
        after = []
        for i, (order, value) in enumerate(zip(ordering, values, strict=True)):
            equal = {names[j]: values[j] for j in range(i)}
            lookup = f"{names[i]}__{'lt' if order.startswith('-') else 'gt'}"
            after.append(Q(**equal, **{lookup: value}))
        queryset = queryset.filter(reduce(or_, after))
    rows = list(queryset[: page_size + 1])
    if len(rows) <= page_size:
        return rows, None
    rows = rows[:page_size]
    last = rows[-1]
    return rows, _encode([getattr(last, n) for n in names])


def next_link(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    url = request.build_absolute_uri()
    return replace_query_param(url, "cursor", cursor) if cursor else remove_query_param(url, "cursor")
