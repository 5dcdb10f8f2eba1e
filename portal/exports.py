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
- **CSV is streamed**: rows are read with ``.iterator()`` and written through the resource
  (formula-safe) as they come, so a file of any size starts at once and needs little memory.
  Each column's way of writing its cells is worked out once per file; when every column is a
  plain field path the rows are read as tuples (``values_list``), not model instances: 200,000
  rows in seconds, the same bytes as import-export's own path (tests/portal/test_streamed_export.py).
  XLSX and JSON are built in memory: above ``PORTAL_EXPORT_MEMORY_ROW_LIMIT`` rows (20,000 by
  default) they are refused with a message pointing to CSV.
- A field a service owns (``portal.ownership``) is never written by an import: it is exported
  only (``Field(readonly=True)``), or listed in ``service_routed_fields`` and applied by calling
  the service, whose refusal is the row's error. Export-only resources say
  ``import_allowed = False`` and refuse any import.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import numbers
import operator
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.db.models import Manager, QuerySet
from django.db.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute,
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from django.db.models.query import ModelIterable
from django.db.models.query_utils import DeferredAttribute
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.utils import numberformat, timezone
from django.utils.encoding import force_str
from django.utils.formats import get_format, sanitize_strftime_format
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import fields as import_export_fields
from import_export import resources, widgets
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

    def get_field_name(self, field):
        # import-export looks the name up by walking every field, for every cell it exports:
        # kept once per resource (a 200,000-row export asks it millions of times)
        names = self.__dict__.get("_portal_field_names")
        if names is None:
            names = self.__dict__["_portal_field_names"] = {id(f): name for name, f in self.fields.items()}
        name = names.get(id(field))
        return name if name is not None else super().get_field_name(field)

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


def stream_csv(resource: resources.Resource, queryset: QuerySet, *, export_fields=None,
               chunk_size: int = 2000, flush_at: int = 64 * 1024) -> Iterator[str]:
    """The CSV of ``queryset`` through ``resource`` (its headers, its formula-safe cells), row
    after row: the header goes out before the first query, then about 64 KiB at a time. The rows
    are read with ``.iterator()`` (or page by page when the queryset prefetches), never all held.

    The cells are those ``resource.export_field()`` writes, byte for byte, without its cost per
    cell (a 200,000-row file has four million): each column's way of writing a cell is worked out
    once (:func:`_column_cells`). When every column is a plain field path, the rows are read as
    tuples of those paths (``values_list``) and no model instance is built at all."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    resource.before_export(queryset, export_fields=export_fields)
    writer.writerow(resource.get_export_headers(selected_fields=export_fields))
    queryset = resource.filter_export(queryset, export_fields=export_fields)
    fields = resource.get_export_fields(export_fields)  # once, not once per row as export_resource() does
    own_rows = type(resource).export_resource is not resources.Resource.export_resource  # a resource adding columns
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    columns = None if own_rows else _column_cells(resource, fields)
    paths = _value_paths(queryset, columns) if columns is not None else None
    if paths is not None:  # tuples, no instance: each cell is written from its column's value
        writes = [column.write for column in columns]
        positions = [paths.index(column.path) for column in columns]
        # the row's first values are the columns' in order (the primary key, after them, is not
        # written), unless two columns show the same path: then picked (with the last value,
        # never written, so that the pick is a tuple even for one column)
        pick = None if positions == list(range(len(columns))) else operator.itemgetter(*positions, -1)
        for row in queryset.values_list(*paths).iterator(chunk_size=chunk_size):
            writer.writerow(map(operator.call, writes, row if pick is None else pick(row)))
            if buffer.tell() >= flush_at:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
        return
    if not queryset._prefetch_related_lookups:
        rows = queryset.iterator(chunk_size=chunk_size)
    else:
        rows = resource.iter_queryset(queryset)  # pages: iterator() would drop the prefetches
    for instance in rows:
        if own_rows:
            writer.writerow(resource.export_resource(instance, selected_fields=export_fields))
        else:
            writer.writerow([column.from_instance(instance) for column in columns])
        if buffer.tell() >= flush_at:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


class _Column:
    """How one export column writes its cell, worked out once per export.

    ``write(value)`` turns the field's value into the cell, as ``resource.export_field()`` would;
    ``path`` is the field's attribute path when the value can be read in the query itself
    (``values_list``), else None; ``from_instance(instance)`` writes the cell from a model
    instance (the generic ``resource.export_field()`` for a column this module does not know how
    to write: a dehydrate method, a custom field or widget handling, an overriding resource)."""

    __slots__ = ("from_instance", "path", "write")

    def __init__(self, *, write=None, attrs=None, path=None, generic=None):
        self.write, self.path = write, path
        if generic is not None:
            self.from_instance = generic
        else:
            def from_instance(instance, attrs=attrs, write=write):
                return write(_attribute_value(instance, attrs))
            self.from_instance = from_instance


def _attribute_value(instance, attrs):
    """``import_export.fields.Field.get_value()`` with the path split once, not once per cell."""
    value = instance
    for attr in attrs:
        try:
            value = value[attr] if isinstance(value, dict) else getattr(value, attr, None)
        except (ValueError, ObjectDoesNotExist, KeyError):
            return None
        if value is None:
            return None
    if callable(value) and not isinstance(value, Manager):
        value = value()
    return value


def _column_cells(resource, fields) -> list[_Column]:
    """Each field's :class:`_Column`: written here when the resource writes its cells with the
    portal's bases as they are (import-export's, PortalResource's formula guard,
    ReadableExportResource's choice labels and yes/no), else by ``resource.export_field()``."""
    kind = _export_kind(type(resource))
    columns = []
    for field in fields:
        def generic(instance, field=field):
            return resource.export_field(field, instance)

        if kind is None or type(field) is not import_export_fields.Field or not field.attribute:
            columns.append(_Column(generic=generic))
            continue
        dehydrate = field.get_dehydrate_method(resource.get_field_name(field))
        if callable(dehydrate) or getattr(resource, dehydrate, None) is not None:
            columns.append(_Column(generic=generic))
            continue
        write = None
        if kind == "readable":
            model_field = resource._model_field(field)
            if model_field is not None and not model_field.is_relation:
                if model_field.choices:
                    write = _choice_cell(resource._choice_labels(model_field))
                elif model_field.get_internal_type() == "BooleanField":
                    write = _yes_no_cell(force_str(_("yes")), force_str(_("no")))
        if write is None:
            write = _widget_cell(field.widget, formula_safe=kind != "plain")
        columns.append(_Column(write=write, attrs=tuple(field.attribute.split("__")),
                               path=_query_path(resource._meta.model, field.attribute)))
    return columns


def _choice_cell(labels: dict):
    labels = {code: force_str(label) for code, label in labels.items()}

    def write(raw):
        if raw is None or raw == "":
            return ""
        label = labels.get(raw)
        return label if label is not None else force_str(raw)
    return write


def _yes_no_cell(yes: str, no: str):
    def write(raw):
        return "" if raw is None else (yes if raw else no)
    return write


def _widget_cell(widget, *, formula_safe: bool):
    """The widget's ``render(value)``, with PortalResource's formula guard when ``formula_safe``
    (a typed value such as -5 or a date keeps its form; only text is neutralised). The widgets
    import-export gives model fields are written here with what they look up per cell (language,
    time zone, number format) looked up once; any other widget renders itself."""
    render = _fast_render(widget)
    if render is None:  # text: the cell is the value itself
        if not formula_safe:
            return lambda raw: "" if raw is None else (raw if type(raw) is str else force_str(raw))

        def write(raw):
            if raw is None:
                return ""
            value = raw if type(raw) is str else force_str(raw)
            if value.startswith(FORMULA_PREFIXES) and not isinstance(raw, TYPED_VALUES):
                return "'" + value
            return value
        return write
    if not formula_safe:
        return render

    def write(raw):
        value = render(raw)
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not isinstance(raw, TYPED_VALUES):
            return "'" + value
        return value
    return write


def _fast_render(widget):
    """``widget.render`` as a function of the value alone, the same text, or None for the
    widgets that write text as it is (``Widget``, ``CharWidget``)."""
    kind = type(widget)
    if getattr(widget, "coerce_to_string", False) is not True:
        return widget.render
    if kind in (widgets.Widget, widgets.CharWidget):
        return None
    if kind in (widgets.NumberWidget, widgets.IntegerWidget, widgets.DecimalWidget, widgets.FloatWidget):
        language = get_language()  # as formats.number_format() looks it up per cell
        number = functools.partial(
            numberformat.format, decimal_sep=get_format("DECIMAL_SEPARATOR", language, use_l10n=True), decimal_pos=None,
            grouping=get_format("NUMBER_GROUPING", language, use_l10n=True),
            thousand_sep=get_format("THOUSAND_SEPARATOR", language, use_l10n=True), force_grouping=False, use_l10n=True)

        plain_integers = not (settings.USE_THOUSAND_SEPARATOR and number.keywords["grouping"] != 0)

        def render(value):
            if value is None or not isinstance(value, numbers.Number):
                return ""
            if plain_integers and isinstance(value, int):
                return str(value)  # what numberformat.format() gives an int it does not group
            return "" + number(value)
        return render
    if kind is widgets.DateTimeWidget:
        pattern = sanitize_strftime_format(widget.formats[0])
        zone = timezone.get_current_timezone() if settings.USE_TZ else None
        # the default pattern is ISO's to the second, which isoformat() writes in half the time
        iso = widget.formats[0] == "%Y-%m-%d %H:%M:%S"

        def render(value):
            if not value or not isinstance(value, datetime.datetime):
                return ""
            if zone is not None:
                value = timezone.localtime(value, zone)
            return value.isoformat(" ", "seconds")[:19] if iso else value.strftime(pattern)
        return render
    if kind is widgets.DateWidget:
        pattern = sanitize_strftime_format(widget.formats[0])

        def render(value):
            if not value or not isinstance(value, datetime.date):
                return ""
            return value.strftime(pattern)
        return render
    return widget.render


def _export_kind(resource_class) -> str | None:
    """Which base writes this resource's cells: "plain" (import-export's), "portal"
    (PortalResource's formula guard), "readable" (ReadableExportResource's), or None: the
    resource writes them its own way, and every cell goes through its ``export_field()``."""
    export_field = resource_class.export_field
    if export_field is resources.Resource.export_field:
        return "plain"
    if export_field is PortalResource.export_field:
        return "portal"
    if (export_field is ReadableExportResource.export_field
            and resource_class._model_field is ReadableExportResource._model_field
            and resource_class._find_model_field is ReadableExportResource._find_model_field
            and resource_class._choice_labels is ReadableExportResource._choice_labels):
        return "readable"
    return None


_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)
_RELATION_DESCRIPTORS = (ForwardManyToOneDescriptor, ForwardOneToOneDescriptor, ReverseOneToOneDescriptor)


def _query_path(model, attribute: str) -> str | None:
    """``attribute`` when reading it in the query gives what reading it on the instance gives:
    one row per instance (forward or one-to-one relations only), plain model fields at each step
    (no translation descriptor, no property, no JSON key), a value that is not a model instance;
    else None."""
    parts = attribute.split("__")
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        descriptor = model.__dict__.get(part) or next(
            (klass.__dict__[part] for klass in model.__mro__ if part in klass.__dict__), None)
        if field.is_relation:
            if last or field.many_to_many or field.one_to_many or type(descriptor) not in _RELATION_DESCRIPTORS:
                return None
            if field.auto_created and field.get_accessor_name() != part:  # a reverse one-to-one by its accessor
                return None
            if not field.auto_created and field.name != part:
                return None
            model = field.related_model
        else:
            if not last or type(descriptor) not in _PLAIN_DESCRIPTORS or field.name != part or not field.concrete:
                return None
    return attribute


def _value_paths(queryset: QuerySet, columns: list[_Column]) -> list[str] | None:
    """The paths to read with ``values_list`` (and the primary key last if no column shows it:
    rows stay one per instance, even under DISTINCT), or None when the rows must be instances: a column written
    from the instance, prefetches, an aggregate or a combined query whose rows would change."""
    query = queryset.query
    if (queryset._prefetch_related_lookups or query.combinator or query.extra or query.group_by is not None
            or any(getattr(annotation, "contains_aggregate", False) for annotation in query.annotations.values())
            or queryset._iterable_class is not ModelIterable or any(column.path is None for column in columns)):
        return None
    paths = []
    for column in columns:
        if column.path not in paths:
            paths.append(column.path)
    return paths if queryset.model._meta.pk.name in paths else [*paths, "pk"]


class StreamedExportMixin:
    """Admin export: CSV streamed (:func:`stream_csv`), so it never outlives the web worker's
    timeout nor fills its memory; XLSX and JSON, built in memory, capped above
    ``PORTAL_EXPORT_MEMORY_ROW_LIMIT`` rows with a message that says to choose CSV."""

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        if not self.has_export_permission(request):
            raise PermissionDenied
        if isinstance(file_format, CSV):
            resource_class = self.choose_export_resource_class(export_form, request)
            resource = resource_class(**self.get_export_resource_kwargs(request, export_form=export_form))
            fields = self.get_export_resource_fields_from_form(export_form)
            response = StreamingHttpResponse(stream_csv(resource, queryset, export_fields=fields),
                                             content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{self.get_export_filename(request, queryset, file_format)}"'
            response["Cache-Control"] = "private, no-store"
            return response
        limit = settings.PORTAL_EXPORT_MEMORY_ROW_LIMIT
        count = queryset.count()
        if count > limit:
            from django.contrib import messages

            messages.error(request, _(
                "%(count)s rows: above %(limit)s rows a %(format)s file would be built in memory and could not be "
                "finished in time. Choose CSV (written as it is read, whatever the number of rows), or filter the list first."
            ) % {"count": count, "limit": limit, "format": file_format.get_title()})
            return HttpResponseRedirect(request.get_full_path())
        return super()._do_file_export(file_format, request, queryset, export_form=export_form)


class PortalImportExportMixin(StreamedExportMixin, ImportExportMixin):
    """Admin mixin: CSV, XLSX and JSON; import previews before it writes.

    The confirmed import runs the same checks again (the data may have changed since the
    preview: a place taken, a trip cancelled): if any row is refused now, nothing is written
    and staff are told each row's reason, never "import finished" over an import that did not
    happen."""

    formats = [CSV, XLSX, JSON]
    skip_import_confirm = False

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        from django.contrib import messages
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        for row in result.invalid_rows:
            for field, errors in row.field_specific_errors.items():
                for error in errors:
                    messages.error(request, _("Row %(row)s, %(field)s: %(error)s") % {"row": row.number, "field": field, "error": error})
            for error in row.non_field_specific_errors:
                messages.error(request, _("Row %(row)s: %(error)s") % {"row": row.number, "error": error})
        for number, errors in result.row_errors():
            for error in errors:
                messages.error(request, _("Row %(row)s: %(error)s") % {"row": number, "error": error.error})
        for error in result.base_errors:
            messages.error(request, str(error.error))
        messages.error(request, _("Nothing was imported: the data changed since the preview. Import the file again to see what applies now."))
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import", current_app=self.admin_site.name))


class ReadableExportResource(PortalResource):
    """Base of the files staff only read (never import back): each column is headed by the
    field's name in the staff member's language ("Référence de bon de commande", not
    ``billing_po_reference``), choices show their labels ("Confirmée", not ``confirmed``) and
    booleans say yes or no. Files meant to be imported back keep their machine headers and
    codes (PortalResource), so a round trip still works.

    ``header_labels`` names the columns that are not model fields (computed ones)."""

    header_labels: dict = {}

    def get_export_headers(self, selected_fields=None):
        return [force_str(capfirst(self._header(f))) for f in self.get_export_fields(selected_fields) if f]

    def _header(self, field):
        name = self.get_field_name(field)
        if name in self.header_labels:
            return self.header_labels[name]
        model_field = self._model_field(field)
        return model_field.verbose_name if model_field is not None else field.column_name

    def _model_field(self, field):
        """The model field at the end of the export field's attribute path, or None (kept per
        field: it is asked for every cell)."""
        known = self.__dict__.setdefault("_portal_model_fields", {})
        if id(field) not in known:
            known[id(field)] = self._find_model_field(field)
        return known[id(field)]

    def _find_model_field(self, field):
        model, found = self._meta.model, None
        for part in (field.attribute or "").split("__"):
            try:
                found = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None
            if found.is_relation and found.related_model is not None:
                model = found.related_model
        return found if field.attribute else None

    def export_field(self, field, instance, **kwargs):
        model_field = self._model_field(field)
        if model_field is not None and not model_field.is_relation and (model_field.choices or model_field.get_internal_type() == "BooleanField"):
            raw = field.get_value(instance)
            if model_field.choices:
                return force_str(self._choice_labels(model_field).get(raw, raw)) if raw not in (None, "") else ""
            return "" if raw is None else force_str(_("yes") if raw else _("no"))
        return super().export_field(field, instance, **kwargs)

    def _choice_labels(self, model_field) -> dict:
        known = self.__dict__.setdefault("_portal_choice_labels", {})
        if model_field not in known:
            known[model_field] = dict(model_field.flatchoices)
        return known[model_field]


class ReadableExportMixin(StreamedExportMixin):
    """Admin mixin for export-only lists: the file is named in the staff member's language and
    dated (``inscriptions-2026-12-01.xlsx``); ``export_file_label`` defaults to the model's
    plural name."""

    export_file_label = None

    def get_export_filename(self, request, queryset, file_format):
        label = slugify(force_str(self.export_file_label or self.model._meta.verbose_name_plural))
        return f"{label}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"
