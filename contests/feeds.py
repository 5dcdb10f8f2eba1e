"""Atom feed of the contest's published results: one entry per edition, its laureates by theme."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from contests import selectors
from portal.feeds import PortalAtomFeed
from portal.notifications.services import absolute_url


class ContestResultsFeed(PortalAtomFeed):
    """Editions whose results are published (never before), newest publication first; each
    entry shows what the laureates page shows (project, company, region, prize)."""

    def title(self) -> str:
        return _("Connected-object contest: results")

    def subtitle(self) -> str:
        return _("The laureates of each edition, once the results are published.")

    def link(self) -> str:
        return absolute_url(reverse("contests:archive"))

    def items(self):
        return selectors.editions_with_results_for_feed(limit=self.limit)

    def item_title(self, item) -> str:
        title = _("Laureates — %(title)s") % {"title": item.title}
        return f"{title} ({_('Demo')})" if item.is_demo else title

    def item_link(self, item) -> str:
        return absolute_url(reverse("contests:laureates", args=[item.slug]))

    def item_description(self, item) -> str:
        if not item.laureates:
            return f"<p>{escape(_('No laureate.'))}</p>"
        rows = []
        for s in item.laureates:
            line = f"{escape(s.theme.name)} — {s.rank}. <strong>{escape(s.title)}</strong> ({escape(s.company.legal_name)}, {escape(s.company.region.name)})"
            if s.prize:
                line += f" — {escape(s.prize)}"
            rows.append(f"<li>{line}</li>")
        return "<ul>" + "".join(rows) + "</ul>"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
