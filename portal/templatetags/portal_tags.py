from django import template
from django.utils import timezone

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
