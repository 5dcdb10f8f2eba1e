from django import template
from django.utils.safestring import mark_safe

from contests import rules
from contests.text import render_markdown

register = template.Library()


@register.filter
def markdown_safe(text: str) -> str:
    """Markdown → HTML sanitised by nh3 (the only place it is marked safe)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 just above


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def state_for_company(submission) -> str:
    """The project's state as its company may know it (``rules.state_label_for_company``)."""
    return rules.state_label_for_company(submission)
