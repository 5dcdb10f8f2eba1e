"""Reads of the measures app: a constant number of queries whatever the supports/updates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from measures.models import (
    MEASURE_COUNT,
    Follow,
    FollowFrequency,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    Origin,
    RelatedLink,
    Support,
    UpdateLink,
)
from portal.links import ResolvedLink, resolve


def _supporters_count() -> Coalesce:
    counted = (
        Support.objects.filter(measure=OuterRef("pk"), active=True)
        .order_by()
        .values("measure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _last_update_on() -> Subquery:
    latest = (
        MeasureUpdate.objects.filter(measure=OuterRef("pk")).order_by().values("measure").annotate(d=Max("published_on"))
    )
    return Subquery(latest.values("d"))


def measures_public() -> QuerySet[Measure]:
    return (
        Measure.objects.select_related("origin")
        .annotate(supporters_count=_supporters_count(), last_update_on=_last_update_on())
        .order_by("number")
    )


def origin_list() -> list[Origin]:
    return list(Origin.objects.order_by("position", "code"))


def measures_filtered(*, origin_code: str = "", status: str = "") -> QuerySet[Measure]:
    """The public list's filters (the page and the open-data API)."""
    qs = measures_public()
    if origin_code:
        qs = qs.filter(origin__code=origin_code)
    if status:
        qs = qs.filter(status=status)
    return qs


def measure_list_public(*, origin_code: str = "", status: str = "") -> list[Measure]:
    return list(measures_filtered(origin_code=origin_code, status=status))


def measure_updates_public() -> QuerySet[MeasureUpdate]:
    """Every entry of every timeline (the open-data CSV), with its measure and links."""
    return (
        MeasureUpdate.objects.select_related("measure")
        .prefetch_related(Prefetch("links", queryset=UpdateLink.objects.order_by("pk")))
        .order_by("measure__number", "-published_on", "-published_at", "-pk")
    )


def group_by_origin(measures: list[Measure]) -> list[tuple[Origin, list[Measure]]]:
    """The measures grouped by origin, origins in their own order (no extra query)."""
    groups: dict[int, tuple[Origin, list[Measure]]] = {}
    for measure in measures:
        groups.setdefault(measure.origin_id, (measure.origin, []))[1].append(measure)
    return sorted(groups.values(), key=lambda group: (group[0].position, group[0].code))


@dataclass(frozen=True)
class StatusRow:
    status: str
    label: Any
    count: int
    bar_width: int
    y: int


@dataclass(frozen=True)
class Summary:
    total: int
    overall_progress: int
    rows: list[StatusRow]
    chart_height: int
    progress_width: int


CHART_BAR_MAX = 300
CHART_ROW = 32


def measure_summary() -> Summary:
    """Count per status (every status, zero included) and the mean progress of all measures."""
    counts = dict(Measure.objects.order_by().values_list("status").annotate(n=Count("pk")))
    progress = list(Measure.objects.values_list("progress", flat=True))
    total = len(progress)
    overall = round(sum(progress) / total) if total else 0
    scale = max(total, MEASURE_COUNT)
    rows = [
        StatusRow(
            status=value,
            label=label,
            count=counts.get(value, 0),
            bar_width=round(CHART_BAR_MAX * counts.get(value, 0) / scale),
            y=i * CHART_ROW,
        )
        for i, (value, label) in enumerate(MeasureStatus.choices)
    ]
    return Summary(
        total=total,
        overall_progress=overall,
        rows=rows,
        chart_height=len(rows) * CHART_ROW,
        progress_width=round(CHART_BAR_MAX * overall / 100),
    )


def measure_detail_public(*, number: int) -> Measure | None:
    updates = MeasureUpdate.objects.order_by("-published_on", "-published_at", "-pk").prefetch_related(
        Prefetch("links", queryset=UpdateLink.objects.order_by("pk"))
    )
    return (
        measures_public()
        .prefetch_related(
            Prefetch("updates", queryset=updates),
            "milestones",
            Prefetch("related_links", queryset=RelatedLink.objects.order_by("position", "pk")),
        )
        .filter(number=number)
        .first()
    )


def measure_for_feed(*, number: int) -> Measure | None:
    return Measure.objects.filter(number=number).first()


def updates_for_feed(*, measure: Measure | None, limit: int) -> list[MeasureUpdate]:
    """The newest published updates (all measures' or one's) for the Atom feed: one query."""
    qs = MeasureUpdate.objects.select_related("measure").order_by("-published_at", "-pk")
    if measure is not None:
        qs = qs.filter(measure=measure)
    return list(qs[:limit])


def related_links_resolved(*, measure: Measure) -> list[ResolvedLink]:
    """Plain links as they are; references through their app's resolver, skipped when unpublished."""
    resolved: list[ResolvedLink] = []
    for link in measure.related_links.all():
        if link.url:
            resolved.append(ResolvedLink(label=link.label, url=link.url))
            continue
        target = resolve(link.kind, link.key)
        if target is not None:
            resolved.append(ResolvedLink(label=link.label or target.label, url=target.url))
    return resolved


@dataclass(frozen=True)
class Participation:
    supporting: bool
    follow: Follow | None


def participation_for(*, measure: Measure, user) -> Participation:
    if not user.is_authenticated:
        return Participation(supporting=False, follow=None)
    supporting = Support.objects.filter(measure=measure, user=user, active=True).exists()
    follow = Follow.objects.filter(measure=measure, user=user).first()
    return Participation(supporting=supporting, follow=follow)


def measures_of_user(*, user) -> dict[str, list]:
    """Mon espace: the measures a person supports and follows, in one query."""
    rows = list(
        Measure.objects.annotate(
            supported=Exists(Support.objects.filter(measure=OuterRef("pk"), user=user, active=True)),
            follow_frequency=Subquery(Follow.objects.filter(measure=OuterRef("pk"), user=user).values("frequency")[:1]),
        )
        .filter(Q(supported=True) | Q(follow_frequency__isnull=False))
        .order_by("number")
    )
    return {
        "supported": [m for m in rows if m.supported],
        "follows": [
            {"measure": m, "frequency": FollowFrequency(m.follow_frequency).label} for m in rows if m.follow_frequency
        ],
    }


# --- For other programmes (the diagnostic's path), without their reading our tables ----------


@dataclass(frozen=True)
class MeasureForPath:
    number: int
    title: str
    url: str
    followed: bool  # supported or followed by the person


def measures_for_path(*, numbers: list[int], user) -> dict[int, MeasureForPath]:
    """Measures by number with whether the person supports or follows them: one query."""
    qs = Measure.objects.filter(number__in=numbers)
    if user.is_authenticated:
        qs = qs.annotate(
            supported=Exists(Support.objects.filter(measure=OuterRef("pk"), user=user, active=True)),
            following=Exists(Follow.objects.filter(measure=OuterRef("pk"), user=user)),
        )
    return {
        m.number: MeasureForPath(
            number=m.number, title=f"#{m.number} {m.short_title}", url=m.get_absolute_url(),
            followed=bool(getattr(m, "supported", False) or getattr(m, "following", False)),
        )
        for m in qs
    }
