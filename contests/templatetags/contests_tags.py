from django import template

from contests import rules

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def state_for_company(submission) -> str:
    """The project's state as its company may know it (``rules.state_label_for_company``)."""
    return rules.state_label_for_company(submission)
