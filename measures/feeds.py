"""Atom feeds of the measures' published updates: all of them, or one measure's."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from measures import selectors
from measures.models import Measure
from portal.feeds import PortalAtomFeed
from portal.notifications.services import absolute_url


class MeasureUpdatesFeed(PortalAtomFeed):
    """Every published update of the 19 measures, newest first."""

    def get_object(self, request, number: int | None = None):
        if number is None:
            return None
        measure = selectors.measure_for_feed(number=number)
        if measure is None:
            raise Http404
        return measure

    def title(self, obj: Measure | None) -> str:
        if obj is None:
            return _("The 19 measures: updates")
        return _("Measure %(number)s: updates — %(title)s") % {"number": obj.number, "title": obj.short_title}

    def subtitle(self, obj: Measure | None) -> str:
        return _("Where the Renaissance numérique measures stand, update by update.")

    def link(self, obj: Measure | None) -> str:
        return absolute_url(obj.get_absolute_url() if obj else reverse("measures:index"))

    def items(self, obj: Measure | None):
        return selectors.updates_for_feed(measure=obj, limit=self.limit)

    def item_title(self, item) -> str:
        return f"#{item.measure.number} {item.measure.short_title} — {item.title}"

    def item_description(self, item) -> str:
        parts = []
        if item.status_changed:
            parts.append(escape(_("Status:")) + f" {escape(item.get_status_before_display())} → {escape(item.get_status_after_display())}")
        if item.progress_changed:
            parts.append(escape(_("Progress:")) + f" {item.progress_before} % → {item.progress_after} %")
        body = "".join(f"<p>{p}</p>" for p in parts)
        if item.text:
            body += linebreaks(escape(item.text))
        return body

    def item_link(self, item) -> str:
        return absolute_url(f"{item.measure.get_absolute_url()}#update-{item.pk}-title")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
