"""The one export base every app's django-import-export resources use.

- Text cells that a spreadsheet would run as a formula (starting with = + - @ tab or CR)
  are prefixed with a single quote, in CSV and XLSX alike (OWASP ASVS 5.0 V1.2.10).
- Numbers, dates and empty cells keep their type: only values that are text to begin with
  are touched, so -5 stays a number and 2026-01-01 stays a date in XLSX.
- Import needs the model's "add" permission and previews a dry run before writing
  (settings IMPORT_EXPORT_*); the admin mixin below keeps those defaults in one place.
- Every imported row goes through the model's validation, as the admin form does
  (``full_clean``: required fields, formats, choices, uniqueness); errors are shown per row and
  field in the preview and block the confirmation. Unchanged rows are reported as skipped.
- A field a service owns (``portal.ownership``) is never written by an import: it is exported
  only (``Field(readonly=True)``), or listed in ``service_routed_fields`` and applied by calling
  the service, whose refusal is the row's error. Export-only resources say
  ``import_allowed = False`` and refuse any import.
"""

from __future__ import annotations

import datetime
import numbers

from django.core.exceptions import FieldDoesNotExist
from import_export import resources
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TYPED_VALUES = (numbers.Number, datetime.date, datetime.time, datetime.timedelta)


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class PortalResource(resources.ModelResource):
    """Base ModelResource: subclass it (never ``resources.ModelResource`` directly)."""

    import_allowed = True
    service_routed_fields: frozenset[str] = frozenset()

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # An empty cell in a nullable text column (a translation not written yet) is stored as
        # the admin form stores it, NULL: so an unchanged row compares equal and is skipped.
        for field in self.get_import_fields():
            name = field.attribute
            if not name or "__" in name:
                continue
            try:
                model_field = instance._meta.get_field(name)
            except FieldDoesNotExist:  # a resource column that is not a model field
                continue
            if model_field.null and not model_field.is_relation and getattr(instance, name, None) == "":
                setattr(instance, name, None)

    def before_import(self, dataset, **kwargs):
        if not self.import_allowed:
            raise ValueError(f"{type(self).__name__} is export-only: it cannot be imported.")
        super().before_import(dataset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            # A typed value (-5, a date) rendered as text in CSV keeps its form; only what
            # is text at the source can carry a formula.
            raw = field.get_value(instance) if field.attribute else value
            if isinstance(raw, TYPED_VALUES):
                return value
        return neutralise_formula(value)


class PortalImportExportMixin(ImportExportMixin):
    """Admin mixin: CSV, XLSX and JSON; import previews before it writes."""

    formats = [CSV, XLSX, JSON]
    skip_import_confirm = False
