"""The personal-data registry: how each app exports and erases what it holds about a person.

Each app registers one entry (in its ``AppConfig.ready``) with two callables, and describes it
(:func:`describe`) for the privacy page (/privacy/), which is generated from the registry:

- ``export(user) -> JSON-serialisable data`` for "download my data";
- ``erase(user) -> None`` run, inside one transaction, before the account is deleted: delete
  what is only about the person, anonymise what must be kept (a laureate, a certificate).
  Erasers call their app's services for every write a service owns (a cancelled registration
  passes its place on), and leave nothing in history tables (:func:`delete_with_history`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class PersonalDataEntry:
    key: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]
    order: int = 100


_REGISTRY: dict[str, PersonalDataEntry] = {}


def register(key: str, *, export: Callable[[Any], Any], erase: Callable[[Any], None], order: int = 100) -> None:
    _REGISTRY[key] = PersonalDataEntry(key=key, export=export, erase=erase, order=order)


def entries() -> list[PersonalDataEntry]:
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))


@dataclass(frozen=True)
class PersonalDataNotice:
    """What the privacy page says of one entry: a title, what is kept, why, and for how long
    (a callable when the period comes from the settings)."""

    title: Any
    holds: Any
    purpose: Any
    retention: Any
    position: int = 100

    def retention_text(self) -> str:
        return str(self.retention() if callable(self.retention) else self.retention)


_NOTICES: dict[str, PersonalDataNotice] = {}


def describe(key: str, *, title, holds, purpose, retention, position: int = 100) -> None:
    """The privacy page's text for the registered entry ``key`` (lazy translations)."""
    _NOTICES[key] = PersonalDataNotice(title=title, holds=holds, purpose=purpose, retention=retention, position=position)


def notices() -> list[tuple[str, PersonalDataNotice]]:
    """(key, notice) of every registered entry, in the page's order; an undescribed entry is an error."""
    missing = sorted(set(_REGISTRY) - set(_NOTICES))
    if missing:
        raise LookupError(f"personal-data entries without a description for the privacy page: {', '.join(missing)}")
    return sorted(((k, n) for k, n in _NOTICES.items() if k in _REGISTRY), key=lambda kn: (kn[1].position, kn[0]))


def user_data_export(user) -> dict[str, Any]:
    data: dict[str, Any] = {"exported_at": timezone.now(), "account": {}}
    for entry in entries():
        data[entry.key] = entry.export(user)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def delete_with_history(instance) -> None:
    """Delete a row and every django-simple-history snapshot of it, the "-" snapshot that
    simple-history writes on deletion (a full copy of the row) included. For an eraser, inside
    its transaction: deleting the history first would leave that last copy behind."""
    model, pk = type(instance), instance.pk
    instance.delete()
    model.history.filter(id=pk).delete()


def user_account_delete(user) -> None:
    """Erase what each app holds (apps first, then the account itself), all or nothing."""
    with transaction.atomic():
        names = _names_of(user)
        for entry in entries():
            entry.erase(user)
        _admin_log_forget(user, names)
        user.delete()


ERASED_LABEL = "[erased]"


def _names_of(user) -> set[str]:
    """What the admin's log may have written of the person: the account's label (full name or
    address, as ``__str__`` gives it, which other rows' labels embed) and every address of theirs."""
    from allauth.account.models import EmailAddress

    names = {str(user), user.email}
    names.update(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return {name for name in names if name and len(name) >= 3}


def _admin_log_forget(user, names: set[str]) -> None:
    """The admin's history (LogEntry) keeps each changed object's label as text: a registration
    reads "Jeanne Martin → Israël". Entries about the account itself go; labels naming the person
    are blanked; the changes' field lists hold no values and stay, as the staff's record."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)).delete()
    if names:
        naming = Q()
        for name in names:
            naming |= Q(object_repr__icontains=name)
        LogEntry.objects.filter(naming).update(object_repr=ERASED_LABEL)
