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
    "portal.services", "expeditions.services", "contests.services", "mooc.services", "measures.services",
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
