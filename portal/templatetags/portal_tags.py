from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from portal.rich_text import markdown_to_html

register = template.Library()


@register.filter
def isodatetime(value):
    """A machine-readable <time datetime> value (seconds precision, valid HTML)."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@register.filter
def markdown(text):
    """Staff-written Markdown as sanitised HTML (portal.rich_text, the one allow-list)."""
    return markdown_to_html(text)


@register.filter
def stored_html(html):
    """HTML stored by portal.rich_text.render_stored at save time (nh3's output, the same
    allow-list as ``markdown``): shown as it is, without rendering Markdown per request."""
    return mark_safe(html or "")  # noqa: S308 - only ever written by render_stored


# --- Forms: sections, required marks (templates/includes/_form.html) ------------------------


def _marked_names(form) -> set[str]:
    """Fields to mark with an asterisk: required ones, and those a later step needs
    (``form.required_to_submit``, e.g. a draft saved incomplete). Nothing is marked when every
    visible field would be (GOV.UK: say it once instead), so the marks always mean something."""
    cached = getattr(form, "_portal_marked", None)
    if cached is not None:
        return cached
    needed = set(getattr(form, "required_to_submit", ()) or ())
    visible = list(form.visible_fields())
    marked = {f.name for f in visible if f.field.required or f.name in needed}
    if len(marked) == len(visible):
        marked = set()
    form._portal_marked = marked
    return marked


@register.filter
def is_marked(bound_field) -> bool:
    return bound_field.name in _marked_names(bound_field.form)


@register.filter
def has_marked_fields(form) -> bool:
    return bool(_marked_names(form))


@register.filter
def field_groups(form) -> list[dict]:
    """The visible fields in sections: ``form.fieldsets`` is a list of ``(legend, [names])`` or
    ``(legend, [names], hint)``; fields in no section are shown where they come, one per group."""
    fieldsets = getattr(form, "fieldsets", None) or []
    by_name = {f.name: f for f in form.visible_fields()}
    section_of = {}
    for index, spec in enumerate(fieldsets):
        for name in spec[1]:
            section_of[name] = index
    groups, opened = [], {}
    for name, field in by_name.items():
        index = section_of.get(name)
        if index is None:
            if groups and groups[-1]["legend"] is None:
                groups[-1]["fields"].append(field)
            else:
                groups.append({"legend": None, "hint": "", "fields": [field]})
        elif index in opened:
            opened[index]["fields"].append(field)
        else:
            spec = fieldsets[index]
            opened[index] = {"legend": spec[0], "hint": spec[2] if len(spec) > 2 else "", "fields": [field]}
            groups.append(opened[index])
    return groups


@register.filter
def messages_tagged(messages, tag: str) -> list:
    """The messages carrying ``tag`` (shown beside the form they answer, e.g. an upload)."""
    return [m for m in messages if tag in m.extra_tags.split()]


@register.filter
def messages_untagged(messages) -> list:
    """The messages shown at the top of the page: those not meant for a place of their own."""
    return [m for m in messages if not m.extra_tags]


@register.filter
def upto(n) -> range:
    """1, 2, … n (a stepper's segments)."""
    return range(1, int(n) + 1)
