"""The expeditions' section of Mon espace (constant number of queries)."""

from django.urls import reverse
from django.utils import timezone

from expeditions import rules, selectors


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
        "feed_url": request.build_absolute_uri(reverse("expeditions_public:feed", args=[feed.token])) if feed else "",
    }
