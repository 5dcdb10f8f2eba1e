"""The expeditions' section of Mon espace (constant number of queries)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from expeditions import catalogue_cache, rules, selectors
from expeditions.templatetags.expeditions_tags import availability, places_placeholder
from portal import page_cache


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
        "groups": [{"group": g, "summary": selectors.group_summary(g)} for g in selectors.groups_of_contact(user=request.user)],
        "feed_url": request.build_absolute_uri(reverse("expeditions_public:feed", args=[feed.token])) if feed else "",
    }


def home_context(request) -> dict | None:
    """The home page's block: the next trips open to registration, with their places left.

    The cards without their places, the trips' ids and how many trips are open are shared by
    every visitor: kept for the catalogue's version (portal.page_cache) and the day, until the
    first open trip's registration closes. Places left are read live for the cards shown (one
    query), as the catalogue does; a card whose trip no longer belongs (a write that did not
    replace the version) has the block rendered again from the database."""
    from django.utils.translation import ngettext

    today = timezone.localdate()
    shared = page_cache.value(catalogue_cache.NAMESPACE, ("home-block", today.isoformat()), _home_shared,
                              until=lambda kept: kept["first_close"])
    live = selectors.live_places(pks=shared["pks"])
    if len(live) != len(shared["pks"]) or any(trip.status != trip.Status.PUBLISHED for trip in live.values()):
        shared = _home_shared()
        live = selectors.live_places(pks=shared["pks"])
    html = shared["html"]
    for pk, trip in live.items():
        html = html.replace(places_placeholder(pk), format_html(
            '<span class="badge {}">{}</span>', "badge-success" if trip.places_left else "badge-warning",
            availability(trip, today)))
    data = {"html": mark_safe(html)}  # noqa: S308 - our template's output, and escaped labels
    count = shared["count"]
    if count:
        data["figure"] = (count, ngettext("learning expedition open to registration",
                                          "learning expeditions open to registration", count))
    return data


def _home_shared() -> dict:
    """The block's shared part, rendered without the request (nothing of the viewer's in it);
    it holds until the first open trip's registration closes (``first_close``)."""
    trips, count, first_close = selectors.expeditions_for_home()
    for trip in trips:
        trip.places_marker = mark_safe(places_placeholder(trip.pk))  # noqa: S308 - an HTML comment of an id
    html = render_to_string("expeditions/_home_block.html", {"block": {"expeditions": trips}})
    return {"html": html, "pks": [trip.pk for trip in trips], "count": count, "first_close": first_close}


def todo_items(request) -> list:
    from django.utils.translation import gettext as _

    from portal.dashboard import TodoItem

    own, groups = selectors.offers_to_answer(user=request.user)
    return [
        TodoItem(
            text=_("A place is offered to you on “%(title)s”: accept it or decline it.") % {"title": r.expedition.title},
            url=reverse("me:dashboard") + "#me-expeditions", action=_("Answer the offer"),
            due=r.offer_expires_at, kind="expeditions",
        )
        for r in own
    ] + [
        TodoItem(
            text=_("Places are offered to your group on “%(title)s”: accept them or decline them.") % {"title": title},
            url=reverse("expeditions:group_detail", args=[group_id]), action=_("Answer the offer"), due=due,
            kind="expeditions",
        )
        for group_id, title, due in groups
    ]
