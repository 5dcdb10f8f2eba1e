"""The base of the portal's Atom feeds (django.contrib.syndication).

Every address in a feed is absolute from ``PORTAL_BASE_URL`` (never the Sites framework's
domain, which is a placeholder), so an entry's ``<id>`` (its page's address, in the feed's
language) stays the same from one fetch to the next. Feeds live under the language prefix
(French at ``/…``, English at ``/en/…``) and are rendered in the request's language.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed

from portal.notifications.services import absolute_url


class PortalAtomFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Medef — numérique"
    # Entries per feed: a reader keeps what it already saw.
    limit = 30

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The feed's own address (rel="self"), from PORTAL_BASE_URL like every other link.
        feed.feed["feed_url"] = absolute_url(request.path)
        return feed

    def item_link(self, item) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item) -> str:
        return self.item_link(item)
