"""Presentation helpers of the expeditions' templates."""

from django import template
from django.utils.translation import gettext, ngettext

from expeditions.models import Expedition

register = template.Library()


@register.simple_tag
def availability(expedition: Expedition) -> str:
    """Places left, told honestly: N left / full with a waiting list / full / closed, cancelled, past.

    A tag rather than an included template: it runs for every card of the busiest page.
    """
    if expedition.status == Expedition.Status.CANCELLED:
        return gettext("Cancelled")
    if expedition.is_past:
        return gettext("Past")
    left, waiting = expedition.places_left, getattr(expedition, "waiting_count", 0)
    if left and not waiting:
        label = ngettext("%(n)s place left", "%(n)s places left", left) % {"n": left}
    elif expedition.status == Expedition.Status.PUBLISHED and not waiting:
        label = gettext("Full — waiting list open")
    elif expedition.status == Expedition.Status.PUBLISHED:
        label = ngettext("Full — waiting list (%(n)s waiting)", "Full — waiting list (%(n)s waiting)", waiting) % {"n": waiting}
    else:
        label = gettext("Full")
    if expedition.status == Expedition.Status.REGISTRATION_CLOSED:
        label += " · " + gettext("Registration closed")
    return label
