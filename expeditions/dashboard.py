"""The expeditions' section of Mon espace (constant number of queries)."""

from django.urls import reverse
from django.utils import timezone

from expeditions import rules, selectors
from portal.notifications.services import absolute_url


def me_section_context(request) -> dict:
    now = timezone.now()
    registrations = selectors.registrations_of_user(user=request.user)
    feed = selectors.calendar_feed_of(user=request.user)
    return {
        "registrations": [
            {"registration": r, "can_cancel": rules.can_cancel_self(r, now), "can_request": rules.can_request_cancellation(r, now)}
            for r in registrations
        ],
        "feed": feed,
        "feed_url": absolute_url(reverse("expeditions_public:feed", args=[feed.token])) if feed else "",
    }
