"""The diagnostic's block for the home page (``diagnostic/_home_cta.html``)."""

from django import template

from diagnostic import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def diagnostic_next_step(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"latest": None, "next": None, "in_progress": False}
    return selectors.next_step_for(user=user)
