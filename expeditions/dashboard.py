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
        "groups": [{"group": g, "summary": selectors.group_summary(g)} for g in selectors.groups_of_contact(user=request.user)],
        "feed_url": request.build_absolute_uri(reverse("expeditions_public:feed", args=[feed.token])) if feed else "",
    }


def home_context(request) -> dict | None:
    """The home page's block: the next trips open to registration, with their places left."""
    from django.utils.translation import ngettext

    trips, count = selectors.expeditions_for_home()
    data = {"expeditions": trips, "today": timezone.localdate()}
    if count:
        data["figure"] = (count, ngettext("learning expedition open to registration",
                                          "learning expeditions open to registration", count))
    return data


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
