"""Presentation helpers of the expeditions' templates."""

from datetime import date
from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from expeditions.models import Expedition

register = template.Library()


@register.simple_tag
def availability(expedition: Expedition, today: date | None = None) -> str:
    """Places left, told honestly: N left / full with a waiting list / full / closed, cancelled, past.

    A tag rather than an included template: it runs for every card of the busiest page, which
    passes ``today`` once for all its cards.
    """
    past = expedition.is_past_on(today or timezone.localdate())
    return _availability_label(get_language(), expedition.status, past, expedition.places_left,
                               getattr(expedition, "waiting_count", 0))


@lru_cache(maxsize=2048)
def _availability_label(language: str | None, status: str, past: bool, left: int, waiting: int) -> str:
    """A pure function of its arguments (the language picks the catalogue): memoised."""
    if status == Expedition.Status.CANCELLED:
        return gettext("Cancelled")
    if past:
        return gettext("Past")
    if left and not waiting:
        label = ngettext("%(n)s place left", "%(n)s places left", left) % {"n": left}
    elif status == Expedition.Status.PUBLISHED and not waiting:
        label = gettext("Full — waiting list open")
    elif status == Expedition.Status.PUBLISHED:
        label = ngettext("Full — waiting list (%(n)s waiting)", "Full — waiting list (%(n)s waiting)", waiting) % {"n": waiting}
    else:
        label = gettext("Full")
    if status == Expedition.Status.REGISTRATION_CLOSED:
        label += " · " + gettext("Registration closed")
    return label


@register.filter
def tone(country_code: str) -> int:
    """One of the four colours of a card's image slot, fixed per destination (0–3)."""
    return sum(map(ord, country_code or "")) % 4


def places_placeholder(pk: int) -> str:
    """Where a card's places left go in the cached catalogue (an HTML comment: escaped
    titles and names can never contain one)."""
    return f"<!--places:{pk}-->"


@register.simple_tag
def expedition_cards(expeditions, placeholders: bool = False) -> str:
    """The catalogue's cards, rendered in one go (the busiest page of the portal): labels are
    translated and the detail URL reversed once per page, not once per card. With
    ``placeholders``, places left are written as :func:`places_placeholder` markers, filled
    from a live query on every request (the view caches the rest)."""
    detail_prefix = reverse("expeditions:detail", args=["-"])[:-2]
    demo = format_html(' · <span class="demo-label">{}</span>', gettext("Demo"))
    excl_vat, free = gettext("excl. VAT"), gettext("Free of charge")
    months = {}

    def day(d) -> str:  # the |date:"j F Y" filter, without its per-call set-up
        if d.month not in months:
            months[d.month] = str(MONTHS[d.month])
        return f'<time datetime="{d.isoformat()}">{d.day} {months[d.month]} {d.year}</time>'

    parts = []
    for e in expeditions:
        country = escape(e.destination.country)
        parts.append(
            f'<li><article class="card expedition-card">'
            f'<div class="card-media card-media-pattern tone-{tone(e.destination.country_code)}" aria-hidden="true">'
            f'<span class="card-media-code">'
            f'{escape(e.destination.country_code.upper())}</span><span class="card-media-label">{country}</span></div>'
            f'<div class="card-body"><p class="card-meta">{escape(e.city)}, {country}{demo if e.is_demo else ""}</p>'
            f'<h2 class="card-title"><a href="{detail_prefix}{escape(e.slug)}/">{escape(e.title)}</a></h2>'
            f"<p>{day(e.starts_on)} – {day(e.ends_on)}</p>"
            f"<p>{escape(f'{e.price_euros} € {excl_vat}' if e.is_paid else free)}</p>"
            f'<div class="card-footer"><p class="availability"><strong>'
            f"{places_placeholder(e.pk) if placeholders else escape(availability(e))}"
            "</strong></p></div></div></article></li>"
        )
    return mark_safe("\n".join(parts))  # every value above is escaped
