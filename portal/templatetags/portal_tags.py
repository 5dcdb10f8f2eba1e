from django import template
from django.utils import timezone

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
