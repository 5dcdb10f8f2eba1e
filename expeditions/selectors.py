"""Every non-trivial read of the expeditions app (constant numbers of queries)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language

from expeditions.models import CalendarFeed, Destination, Expedition, ProgrammeItem, Registration
from portal.models import Audience

_FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe()

PUBLIC_STATUSES = [
    Expedition.Status.PUBLISHED,
    Expedition.Status.REGISTRATION_CLOSED,
    Expedition.Status.CANCELLED,
    Expedition.Status.PAST,
]


FILTER_CHOICES_SECONDS = 300


def catalogue_filter_choices(*, version: str) -> dict[str, list[tuple[str, str]]]:
    """Destinations and audiences for the catalogue filters, in the active language, cached for
    one catalogue version (expeditions.catalogue_cache), read by the caller before this."""
    key = f"expeditions:filter-choices:{get_language()}"
    entry = cache.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    choices = {
        "destinations": [(d.slug, d.country) for d in Destination.objects.order_by("position", "pk")],
        "audiences": [(a.code, a.name) for a in Audience.objects.order_by("position", "code")],
    }
    cache.set(key, (version, choices), FILTER_CHOICES_SECONDS)
    return choices


def _expired_offers_sql(expedition_column: str) -> str:
    """SQL counting the offers of one trip past their deadline (params: status, now)."""
    return (f"SELECT COUNT(*) FROM {Registration._meta.db_table} r WHERE r.status = %s AND r.offer_expires_at < %s"
            f" AND r.expedition_id = {expedition_column}")


def _expired_offers_params(now) -> tuple:
    # adapted like the ORM adapts a DateTimeField (SQLite stores naive UTC text)
    return (Registration.Status.OFFERED.value, connection.ops.adapt_datetimefield_value(now or timezone.now()))


def with_availability(qs: QuerySet[Expedition], *, now=None) -> QuerySet[Expedition]:
    """Annotate ``places_taken`` (confirmed + pending + offers still running) and ``waiting_count``.

    Read from the counters the services keep on the expedition row under its lock (always
    current: nothing is cached). An offer past its deadline no longer counts even before the
    sweep has expired it: the deadline is acted on when read (a subquery on the partial index
    of running offers, empty in the usual case).
    """
    # Written out: its ORM form costs more to compile than to execute. The base table is
    # never aliased in these querysets.
    column = f"{connection.ops.quote_name(Expedition._meta.db_table)}.{connection.ops.quote_name('id')}"
    expired_offers = RawSQL(_expired_offers_sql(column), _expired_offers_params(now),
                            output_field=IntegerField())
    return qs.annotate(places_taken=F("places_held") - expired_offers, waiting_count=F("waitlist_length"))


def expedition_list_public(
    *,
    archive: bool = False,
    destination: str | None = None,
    month: date | None = None,
    audience: str | None = None,
    places_left: bool = False,
) -> QuerySet[Expedition]:
    """Published (and closed/cancelled) trips to come, sorted by date; ``archive`` lists past ones."""
    qs = with_availability(_public_filtered(archive=archive, destination=destination, month=month, audience=audience))
    if places_left:
        qs = qs.filter(status=Expedition.Status.PUBLISHED, places_taken__lt=F("capacity"), waiting_count=0)
    return qs


def live_places(*, pks: list[int], now=None) -> dict[int, LivePlaces]:
    """The live places of a cached catalogue page's trips, in one query (none for no trips)."""
    if not pks:
        return {}
    sql = (
        f"SELECT e.id, e.status, e.capacity, e.ends_on, e.places_held - ({_expired_offers_sql('e.id')}),"
        f" e.waitlist_length FROM {connection.ops.quote_name(Expedition._meta.db_table)} e"
        f" WHERE e.id IN ({', '.join(['%s'] * len(pks))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_expired_offers_params(now), *pks])
        return {row[0]: LivePlaces(*row) for row in cursor.fetchall()}


class LivePlaces:
    """A trip's live places as a catalogue card shows them, with Expedition's own rules
    (``is_past``, ``places_left``): building a model instance costs ~0.2 ms (translated fields)."""

    __slots__ = ("pk", "status", "capacity", "ends_on", "places_taken", "waiting_count")
    Status = Expedition.Status
    is_past = Expedition.is_past
    is_past_on = Expedition.is_past_on
    places_left = Expedition.places_left

    def __init__(self, pk: int, status: str, capacity: int, ends_on: date, places_taken: int, waiting_count: int):
        self.pk, self.status, self.capacity, self.ends_on = pk, status, capacity, ends_on
        self.places_taken, self.waiting_count = places_taken, waiting_count


def still_listed(live: dict[int, LivePlaces], *, pks: list[int], archive: bool) -> bool:
    """Whether a cached catalogue page's trips all still belong on it, from their live rows:
    the same rule as :func:`_public_filtered`, for writes that did not replace the catalogue
    version (a shell, a plain ``QuerySet.update()``, another process's memory cache)."""
    if len(live) != len(pks):
        return False
    today = timezone.localdate()
    return all(
        trip.status in PUBLIC_STATUSES and trip.is_past_on(today) == archive for trip in live.values()
    )


def _public_filtered(
    *, archive: bool, destination: str | None, month: date | None, audience: str | None
) -> QuerySet[Expedition]:
    today = timezone.localdate()
    qs = Expedition.objects.filter(status__in=PUBLIC_STATUSES).select_related("destination")
    if archive:
        qs = qs.filter(Q(ends_on__lt=today) | Q(status=Expedition.Status.PAST)).order_by("-starts_on", "-pk")
    else:
        qs = qs.filter(ends_on__gte=today).exclude(status=Expedition.Status.PAST).order_by("starts_on", "pk")
    if destination:
        qs = qs.filter(destination__slug=destination)
    if month:
        qs = qs.filter(starts_on__year=month.year, starts_on__month=month.month)
    if audience:
        through = Expedition.audiences.through
        qs = qs.filter(
            Exists(through.objects.filter(expedition_id=OuterRef("pk"), audience__code=audience))
            | ~Exists(through.objects.filter(expedition_id=OuterRef("pk")))
        )
    return qs


def _drafts_allowed(include_drafts: bool | Callable[[], bool]) -> bool:
    # A callable (a permission check, which costs queries) is asked only when the trip is a draft.
    return include_drafts() if callable(include_drafts) else include_drafts


def expedition_detail(*, slug: str, include_drafts: bool | Callable[[], bool] = False) -> Expedition:
    """One trip with its places (always fresh); raises DoesNotExist for drafts."""
    expedition = with_availability(Expedition.objects.select_related("destination")).get(slug=slug)
    if expedition.status == Expedition.Status.DRAFT and not _drafts_allowed(include_drafts):
        raise Expedition.DoesNotExist
    return expedition


def expedition_live(*, slug: str, include_drafts: bool | Callable[[], bool] = False, now=None) -> tuple[int, str, tuple]:
    """The detail page's one query when its trip is cached: ``(pk, version, live)`` where the
    version is ``updated_at`` (bumped by every change the page shows except places) and
    ``live`` the status, capacity, places taken and waiting count to lay over the cached trip
    with :func:`expedition_with_live`. Raises DoesNotExist for an unknown slug or a draft."""
    table = connection.ops.quote_name(Expedition._meta.db_table)
    sql = (f"SELECT e.id, e.updated_at, e.status, e.capacity, e.places_held - ({_expired_offers_sql('e.id')}),"
           f" e.waitlist_length FROM {table} e WHERE e.slug = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_expired_offers_params(now), slug])
        row = cursor.fetchone()
    if row is None or (row[2] == Expedition.Status.DRAFT and not _drafts_allowed(include_drafts)):
        raise Expedition.DoesNotExist
    return row[0], str(row[1]).replace(" ", "T"), row[2:]  # a cache-key-safe token


def expedition_with_live(expedition: Expedition, live: tuple) -> Expedition:
    """Lay the live ``(status, capacity, places_taken, waiting_count)`` over a cached trip."""
    expedition.status, expedition.capacity, expedition.places_taken, expedition.waiting_count = live
    return expedition


def expedition_detail_related(expedition: Expedition) -> Expedition:
    """Prefetch the programme (with Paris times beside local times), partners and audiences."""
    prefetch_related_objects(
        [expedition],
        Prefetch("programme_items", queryset=ProgrammeItem.objects.order_by("day", "start_time", "position", "pk")),
        "partners",
        "audiences",
    )
    paris = ZoneInfo(settings.TIME_ZONE)
    for item in expedition.programme_items.all():
        item.paris_start = None
        if item.start_time and expedition.time_zone != settings.TIME_ZONE:
            item.paris_start = datetime.combine(item.day, item.start_time, tzinfo=expedition.tz).astimezone(paris)
    return expedition


def registration_active_for(*, expedition: Expedition, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(expedition=expedition, user=user, status__in=Registration.ACTIVE).first()


def registrations_of_user(*, user) -> list[Registration]:
    """Mon espace: the person's registrations, trips to come first."""
    return list(
        Registration.objects.filter(user=user)
        .select_related("expedition__destination")
        .order_by("-expedition__starts_on", "-created_at")
    )


def registration_of_user(*, user, registration_id: int) -> Registration:
    """The person's own registration (DoesNotExist for anybody else's id)."""
    return Registration.objects.select_related("expedition__destination").get(pk=registration_id, user=user)


def confirmed_expeditions_of_user(*, user) -> list[Expedition]:
    return list(
        Expedition.objects.filter(
            registrations__user=user, registrations__status=Registration.Status.CONFIRMED
        )
        .exclude(status=Expedition.Status.CANCELLED)
        .select_related("destination")
        .prefetch_related(Prefetch("programme_items", queryset=ProgrammeItem.objects.order_by("day", "start_time", "pk")))
        .distinct()
        .order_by("starts_on")
    )


def calendar_feed_of(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def user_by_feed_token(*, token: str):
    """The feed's owner, or None for an unknown, revoked or malformed token (a NUL byte in a
    URL would otherwise reach PostgreSQL and fail)."""
    if not _FEED_TOKEN.fullmatch(token):
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    return feed.user if feed and feed.user.is_active else None


def delegation_list(*, expedition: Expedition) -> list[Registration]:
    """Confirmed participants who consented to appear on the delegation list."""
    return list(
        Registration.objects.filter(expedition=expedition, status=Registration.Status.CONFIRMED, share_consent=True)
        .select_related("user__profile__audience")
        .order_by("user__last_name", "user__first_name")
    )


def registration_counts_per_status(queryset) -> dict[str, int]:
    """How many of ``queryset``'s registrations are in each status (0 for none): one GROUP BY,
    read from the status index alone when unfiltered (COUNT(*), not COUNT(id)); their sum is the
    queryset's count."""
    count = Count("pk", distinct=True) if queryset.query.distinct else Count("*")
    counts = {status: 0 for status in Registration.Status.values}
    counts.update(queryset.order_by().values_list("status").annotate(n=count))
    return counts


def status_counts(*, expedition_id: int) -> dict[str, int]:
    rows = Registration.objects.filter(expedition_id=expedition_id).values("status").annotate(n=Count("pk")).order_by()
    counts = {status: 0 for status in Registration.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- For other programmes (the diagnostic's path), without their reading our tables ----------


@dataclass(frozen=True)
class TripLink:
    label: str
    url: str
    starts_on: date


@dataclass(frozen=True)
class TaggedTrips:
    name: str
    trips: list[TripLink]


def upcoming_by_tags(*, tag_slugs: list[str], per_tag: int = 3, today: date | None = None) -> dict[str, TaggedTrips]:
    """Each existing tag with its published trips still to come (the first ``per_tag`` by date):
    two queries."""
    from django.urls import reverse

    from expeditions.models import Tag

    today = today or timezone.localdate()
    out = {tag.slug: TaggedTrips(name=tag.name, trips=[]) for tag in Tag.objects.filter(slug__in=tag_slugs)}
    rows = (
        Expedition.tags.through.objects.filter(
            tag__slug__in=list(out), expedition__status=Expedition.Status.PUBLISHED, expedition__starts_on__gt=today
        )
        .order_by("expedition__starts_on", "expedition_id")
        .values_list("tag__slug", "expedition__slug", "expedition__title", "expedition__starts_on")
    )
    for tag, slug, title, starts_on in rows:
        trips = out[tag].trips
        if len(trips) < per_tag:
            trips.append(TripLink(label=title, url=reverse("expeditions:detail", args=[slug]), starts_on=starts_on))
    return out


def tags_registered_by(*, user, tag_slugs: list[str]) -> set[str]:
    """The tags of the trips the person holds an active registration for: one query."""
    if not user.is_authenticated:
        return set()
    return set(
        Registration.objects.filter(user=user, status__in=Registration.ACTIVE, expedition__tags__slug__in=tag_slugs)
        .values_list("expedition__tags__slug", flat=True)
        .distinct()
    )


def expeditions_for_home(*, limit: int = 3) -> tuple[list[Expedition], int, datetime | None]:
    """The next trips still open to registration, how many there are and when the first of them
    closes (until then the list and the count hold without a write), for the home page: two
    queries. No places left: the home page reads them live (:func:`live_places`)."""
    now = timezone.now()
    open_trips = Expedition.objects.filter(status=Expedition.Status.PUBLISHED, starts_on__gt=timezone.localdate(),
                                           registration_closes_at__gte=now)
    trips = list(open_trips.select_related("destination").order_by("starts_on", "pk")[:limit])
    figures = open_trips.aggregate(count=Count("pk"), first_close=Min("registration_closes_at"))
    return trips, figures["count"], figures["first_close"]


def expeditions_for_feed(*, limit: int) -> list[Expedition]:
    """The catalogue's trips to come (the same filter as the public list), newest first: one query."""
    qs = _public_filtered(archive=False, destination=None, month=None, audience=None)
    return list(qs.order_by("-created_at", "-pk")[:limit])


# --- Groups ---------------------------------------------------------------------------------------


def groups_of_contact(*, user) -> list:
    """Mon espace: the groups a person registered as contact, with their places' states (2 queries)."""
    from expeditions.models import GroupRegistration

    if not user.is_authenticated:
        return []
    return list(
        GroupRegistration.objects.filter(contact=user)
        .select_related("expedition", "organisation")
        .prefetch_related(Prefetch("registrations", queryset=Registration.objects.order_by("pk")))
        .order_by("-expedition__starts_on", "-pk")
    )


def group_of_contact(*, user, group_id: int):
    """One group, for its contact only (DoesNotExist for anybody else: the view answers 404)."""
    from expeditions.models import GroupRegistration

    return (
        GroupRegistration.objects.select_related("expedition__destination", "organisation")
        .prefetch_related(Prefetch("registrations", queryset=Registration.objects.select_related("user").order_by("pk")))
        .get(pk=group_id, contact=user)
    )


def group_place_by_token(*, token: str) -> Registration | None:
    return (
        Registration.objects.select_related("expedition__destination", "group__organisation", "group__contact")
        .filter(group_token=token).first()
    )


def group_summary(group) -> dict[str, int]:
    """How many of the group's places are in each state (read from the prefetched rows)."""
    summary = {"holding": 0, "waiting": 0, "offered": 0, "accepted": 0, "ended": 0}
    for r in group.registrations.all():
        if r.status in (Registration.Status.CONFIRMED, Registration.Status.PENDING):
            summary["holding"] += 1
        elif r.status == Registration.Status.WAITLISTED:
            summary["waiting"] += 1
        elif r.status == Registration.Status.OFFERED:
            summary["offered"] += 1
        else:
            summary["ended"] += 1
        if r.accepted_at and r.status in Registration.ACTIVE:
            summary["accepted"] += 1
    return summary


def offers_to_answer(*, user) -> tuple[list[Registration], list[tuple[int, str, datetime]]]:
    """Mon espace's "to do", in one query: the person's own offered places, and the groups (as
    their contact) with places on offer — ``(group id, trip title, deadline)``, soonest first."""
    if not user.is_authenticated:
        return [], []
    rows = list(
        Registration.objects.filter(Q(user=user) | Q(group__contact=user), status=Registration.Status.OFFERED,
                                    offer_expires_at__gt=timezone.now())
        .select_related("expedition")
        .order_by("offer_expires_at")
    )
    own = [r for r in rows if r.user_id == user.pk]
    groups: dict[int, tuple[int, str, datetime]] = {}
    for r in rows:
        if r.user_id != user.pk:
            groups.setdefault(r.group_id, (r.group_id, r.expedition.title, r.offer_expires_at))
    return own, list(groups.values())
