"""Atom feed of the learning expeditions newly put in the public catalogue."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from expeditions import selectors
from portal.feeds import PortalAtomFeed
from portal.notifications.services import absolute_url


class NewExpeditionsFeed(PortalAtomFeed):
    """Trips to come of the public catalogue (as the catalogue lists them, demo trips labelled
    as on its cards), the most recently added first."""

    def title(self) -> str:
        return _("Learning expeditions: new trips")

    def subtitle(self) -> str:
        return _("Learning expeditions abroad for company leaders, as they open.")

    def link(self) -> str:
        return absolute_url(reverse("expeditions:index"))

    def items(self):
        return selectors.expeditions_for_feed(limit=self.limit)

    def item_title(self, item) -> str:
        title = f"{item.title} — {item.city}, {item.destination.country}"
        return f"{title} ({_('Demo')})" if item.is_demo else title

    def item_description(self, item) -> str:
        dates = _("From %(start)s to %(end)s") % {
            "start": formats.date_format(item.starts_on, "DATE_FORMAT"), "end": formats.date_format(item.ends_on, "DATE_FORMAT")}
        body = f"<p>{escape(dates)}</p>"
        if item.status != item.Status.PUBLISHED:
            body += f"<p>{escape(item.get_status_display())}</p>"
        if item.summary:
            body += linebreaks(escape(item.summary))
        return body

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at
