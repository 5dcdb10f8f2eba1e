"""Fields a service owns: written only through that service, never by a form, an inline, an
admin action or an import.

Each app declares them beside its services, as ``SERVICE_OWNED_FIELDS``: a mapping from a model
label (``"expeditions.Expedition"``) to field names. The admin shows them read-only (and offers
the service's action instead); an import resource either leaves them out of its import fields
(exported only: ``Field(readonly=True)``) or lists them in ``service_routed_fields`` and applies
them by calling the service. ``tests/portal/test_ownership.py`` walks every registered
``ModelAdmin`` and import resource and fails on an owned field that is editable or importable.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps

# The modules that hold each app's services (and so its SERVICE_OWNED_FIELDS).
SERVICE_MODULES = (
    "portal.services", "organisations.services", "expeditions.services", "contests.services", "mooc.services", "measures.services",
    "diagnostic.services",
)


@cache
def _declared() -> dict[str, frozenset[str]]:
    owned: dict[str, frozenset[str]] = {}
    for module_name in SERVICE_MODULES:
        if not apps.is_installed(module_name.split(".")[0]):
            continue
        for label, names in getattr(import_module(module_name), "SERVICE_OWNED_FIELDS", {}).items():
            owned[label.lower()] = owned.get(label.lower(), frozenset()) | frozenset(names)
    return owned


def owned_fields(model) -> frozenset[str]:
    """The names of the fields of ``model`` that only a service writes."""
    return _declared().get(model._meta.label_lower, frozenset())


def form_update_fields(obj, form) -> list[str]:
    """The columns an admin form may write on a change: the model fields it edits (with the
    original column of a translated field, and ``form.writes_fields``: model fields it sets from
    a field of its own), and the timestamps the model updates itself."""
    from modeltranslation.translator import NotRegistered, translator

    editable = set(form.fields) | set(getattr(form, "writes_fields", ()))  # e.g. a price typed in euros
    names = [
        f.name for f in obj._meta.concrete_fields
        if not f.primary_key and (f.name in editable or getattr(f, "auto_now", False))
    ]
    try:
        translated = translator.get_options_for_model(type(obj)).all_fields
    except NotRegistered:
        translated = {}
    for original, variants in translated.items():
        if original not in names and any(v.name in names for v in variants):
            names.append(original)
    return names


class OwnedFieldsAdminMixin:
    """Saves a change with ``update_fields`` limited to what the form edits: the row was read at
    the start of the request, and a plain ``save()`` would write back the counters, states and
    dates a service changed meanwhile (a registration in another tab, a publication)."""

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        obj._history_user = request.user  # django-simple-history's "who", as its admin sets it
        obj.save(update_fields=form_update_fields(obj, form))
        return None
