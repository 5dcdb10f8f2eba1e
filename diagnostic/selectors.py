"""Reads of the diagnostic, each with a constant number of queries.

Another programme is read only through its own selectors (``mooc.selectors``,
``expeditions.selectors``, ``contests.selectors``, ``measures.selectors``) and
``portal.links``: never through its tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from diagnostic import barometer as bm
from diagnostic.models import (
    Answer,
    Band,
    Dimension,
    DimensionCode,
    DimensionResult,
    Option,
    PathItem,
    Question,
    QuestionnaireVersion,
    RecommendationKind,
    RecommendationRule,
    Response,
    ResponseStatus,
    SizeBand,
    Snapshot,
    SnapshotCell,
    VersionStatus,
)
from diagnostic.scoring import BandSpec, DimensionSpec, OptionSpec, QuestionSpec, VersionSpec
from portal.models import NafSection, Region

REFERENCE_QUESTIONNAIRE = "maturite-numerique"


# --- Questionnaire structure --------------------------------------------------------------------


def version_published(*, slug: str = REFERENCE_QUESTIONNAIRE) -> QuestionnaireVersion | None:
    return (
        QuestionnaireVersion.objects.select_related("questionnaire")
        .filter(questionnaire__slug=slug, status=VersionStatus.PUBLISHED)
        .first()
    )


def version_spec(version: QuestionnaireVersion) -> VersionSpec:
    """The whole structure in the active language: three queries (dimensions with questions
    and options, bands)."""
    options = Option.objects.order_by("position", "pk")
    questions = Question.objects.order_by("position", "pk").prefetch_related(Prefetch("options", queryset=options))
    dimensions = (
        Dimension.objects.filter(version=version)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )
    return VersionSpec(
        id=version.pk,
        number=version.number,
        status=version.status,
        title=version.questionnaire.title,
        estimated_minutes=version.estimated_minutes,
        dimensions=tuple(
            DimensionSpec(
                id=d.pk,
                code=d.code,
                title=d.title,
                description=d.description,
                questions=tuple(
                    QuestionSpec(
                        id=q.pk, code=q.code, text=q.text, hint=q.hint, kind=q.kind, required=q.required,
                        options=tuple(
                            OptionSpec(id=o.pk, code=o.code, label=o.label, points=o.points, exclusive=o.exclusive)
                            for o in q.options.all()
                        ),
                    )
                    for q in d.questions.all()
                ),
            )
            for d in dimensions
        ),
        bands=tuple(
            BandSpec(code=b.code, label=b.get_code_display(), min_score=b.min_score, meaning=b.meaning)
            for b in Band.objects.filter(version=version).order_by("min_score")
        ),
    )


def version_spec_by_id(version_id: int) -> VersionSpec | None:
    version = QuestionnaireVersion.objects.select_related("questionnaire").filter(pk=version_id).first()
    return None if version is None else version_spec(version)


# --- Where a person stands --------------------------------------------------------------------


def response_in_progress(*, user) -> Response | None:
    if not user.is_authenticated:
        return None
    return Response.objects.filter(user=user, status=ResponseStatus.IN_PROGRESS).select_related("version").first()


def response_answers(response: Response) -> dict[int, set[int]]:
    """question id → chosen option ids: one query."""
    through = Answer.options.through
    answers: dict[int, set[int]] = {q: set() for q in Answer.objects.filter(response=response).values_list("question_id", flat=True)}
    for question_id, option_id in through.objects.filter(answer__response=response).values_list("answer__question_id", "option_id"):
        answers.setdefault(question_id, set()).add(option_id)
    return answers


def response_by_public_id(public_id) -> Response | None:
    """A response with what its result page shows (whose it is is ``rules.can_see_result``'s call)."""
    return (
        Response.objects.filter(public_id=public_id)
        .select_related("version__questionnaire", "region")
        .prefetch_related(Prefetch("dimension_results", queryset=DimensionResult.objects.order_by("position")))
        .first()
    )


def previous_result(response: Response) -> Response | None:
    """The person's completed diagnostic before this one, with its dimension results."""
    return (
        Response.objects.filter(user_id=response.user_id, status=ResponseStatus.COMPLETED, completed_at__lt=response.completed_at)
        .order_by("-completed_at", "-pk")
        .prefetch_related(Prefetch("dimension_results", queryset=DimensionResult.objects.order_by("position")))
        .first()
    )


def latest_result(*, user) -> Response | None:
    return (
        Response.objects.filter(user=user, status=ResponseStatus.COMPLETED)
        .order_by("-completed_at", "-pk")
        .prefetch_related(Prefetch("dimension_results", queryset=DimensionResult.objects.order_by("position")))
        .first()
    )


# --- The path and its progress ------------------------------------------------------------------


def active_rules() -> list[RecommendationRule]:
    return list(RecommendationRule.objects.filter(is_active=True).order_by("position", "pk"))


@dataclass
class PathStep:
    item: PathItem
    title: str
    url: str
    text: str
    tracked: bool
    done: bool = False
    available: bool = True
    percent: int | None = None
    detail: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) of upcoming trips

    @property
    def kind_label(self) -> str:
        return PUBLIC_KIND_LABELS.get(self.item.kind, "")


@dataclass
class Path:
    advice: list[PathStep]
    steps: list[PathStep]

    @property
    def tracked(self) -> list[PathStep]:
        return [s for s in self.steps if s.tracked and s.available]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.tracked if s.done)

    @property
    def next_step(self) -> PathStep | None:
        return next((s for s in self.tracked if not s.done), None)


PUBLIC_KIND_LABELS = {
    RecommendationKind.MOOC_MODULE: _lazy("MOOC module"),
    RecommendationKind.EXPEDITIONS_TAG: _lazy("Learning expedition"),
    RecommendationKind.CONTEST: _lazy("Contest"),
    RecommendationKind.MEASURE: _lazy("One of the 19 measures"),
    RecommendationKind.LINK: _lazy("To go further"),
}


def path_items(response: Response) -> list[PathItem]:
    return list(PathItem.objects.filter(response=response).order_by("position", "pk"))


def path_with_progress(*, response: Response, user, items: list[PathItem] | None = None) -> Path:
    """The frozen path of a result and, read live from each programme's selectors, how far
    the person has gone: a fixed number of queries whatever the number of steps."""
    from contests import selectors as contests
    from expeditions import selectors as expeditions
    from measures import selectors as measures
    from mooc import selectors as mooc

    items = path_items(response) if items is None else items
    by_kind: dict[str, list[PathItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)

    module_ids = [int(i.key) for i in by_kind.get(RecommendationKind.MOOC_MODULE, []) if i.key.isdigit()]
    modules = mooc.modules_for_path(module_ids=module_ids, user=user) if module_ids else {}
    tags = sorted({i.key for i in by_kind.get(RecommendationKind.EXPEDITIONS_TAG, [])})
    trips = expeditions.upcoming_by_tags(tag_slugs=tags) if tags else {}
    registered_tags = expeditions.tags_registered_by(user=user, tag_slugs=tags) if tags else set()
    contest = contests.contest_for_path(user=user) if RecommendationKind.CONTEST in by_kind else None
    numbers = [int(i.key) for i in by_kind.get(RecommendationKind.MEASURE, []) if i.key.isdigit()]
    measure_rows = measures.measures_for_path(numbers=numbers, user=user) if numbers else {}

    advice: list[PathStep] = []
    steps: list[PathStep] = []
    for item in items:
        title = item.title
        if item.kind == RecommendationKind.ADVICE:
            advice.append(PathStep(item=item, title=title, url="", text=item.text, tracked=False))
            continue
        step = PathStep(item=item, title=title, url=item.url, text=item.text, tracked=item.kind in _TRACKED)
        if item.kind == RecommendationKind.MOOC_MODULE:
            module = modules.get(int(item.key)) if item.key.isdigit() else None
            if module is None:
                step.available = False
            else:
                step.title = title or module.title
                step.url, step.percent, step.done = module.url, module.percent, module.done
                step.detail = module.course_title
        elif item.kind == RecommendationKind.EXPEDITIONS_TAG:
            tagged = trips.get(item.key)
            upcoming = tagged.trips if tagged else []
            step.links = [(t.label, t.url) for t in upcoming]
            step.done = item.key in registered_tags
            step.available = bool(upcoming) or step.done
            step.url = step.links[0][1] if step.links else ""
            if len(upcoming) == 1:
                step.title = title or upcoming[0].label
            else:
                step.title = title or (_("Learning expeditions: %(theme)s") % {"theme": tagged.name} if tagged else "")
        elif item.kind == RecommendationKind.CONTEST:
            if contest is None:
                step.available = False
            else:
                step.title = title or contest.title
                step.url, step.done = contest.url, contest.submitted
        elif item.kind == RecommendationKind.MEASURE:
            row = measure_rows.get(int(item.key)) if item.key.isdigit() else None
            if row is None:
                step.available = False
            else:
                step.title = title or row.title
                step.url, step.done = row.url, row.followed
        if step.available:
            steps.append(step)
    return Path(advice=advice, steps=steps)


_TRACKED = {
    RecommendationKind.MOOC_MODULE,
    RecommendationKind.EXPEDITIONS_TAG,
    RecommendationKind.CONTEST,
    RecommendationKind.MEASURE,
}


def standing_of(*, user) -> tuple[Response | None, Response | None]:
    """The person's latest completed diagnostic and the one in progress (at most one): one query."""
    if not user.is_authenticated:
        return None, None
    rows = list(
        Response.objects.filter(user=user)
        .filter(Q(status=ResponseStatus.IN_PROGRESS) | Q(pk=Subquery(
            Response.objects.filter(user=user, status=ResponseStatus.COMPLETED)
            .order_by("-completed_at", "-pk").values("pk")[:1])))
        .select_related("version")
    )
    latest = next((r for r in rows if r.status == ResponseStatus.COMPLETED), None)
    in_progress = next((r for r in rows if r.status == ResponseStatus.IN_PROGRESS), None)
    return latest, in_progress


def person_path(request) -> tuple[Response | None, Response | None, Path | None]:
    """``(latest result, diagnostic in progress, path with progress)`` of the logged-in person,
    read once per request: Mon espace's section, its to-do list and the home page all ask."""
    from portal.dashboard import once_per_request

    def compute():
        latest, in_progress = standing_of(user=request.user)
        return latest, in_progress, (path_with_progress(response=latest, user=request.user) if latest is not None else None)

    return once_per_request(request, "diagnostic_person_path", compute)


def me_context(request) -> dict[str, Any]:
    """Mon espace: the latest result and its path with progress (a fixed number of queries)."""
    latest, in_progress, path = person_path(request)
    if latest is not None:  # the section shows the scores per dimension
        prefetch_related_objects(
            [latest], Prefetch("dimension_results", queryset=DimensionResult.objects.order_by("position")))
    return {"latest": latest, "in_progress": in_progress, "path": path}


def next_step_for(request) -> dict[str, Any]:
    """The home page's block and the to-do list: the path's next step for a logged-in person."""
    if not request.user.is_authenticated:
        return {"latest": None, "next": None, "in_progress": False}
    latest, in_progress, path = person_path(request)
    return {"latest": latest, "next": path.next_step if path is not None else None, "in_progress": in_progress is not None}


# --- The barometer ------------------------------------------------------------------------------

MEASURES = (bm.OVERALL, *DimensionCode.values)


def measure_label(code: str) -> str:
    return _("Overall score") if code == bm.OVERALL else DimensionCode(code).label


def category_codes() -> dict[str, list[str]]:
    """Every category of each table, in display order (one query: the regions)."""
    return {
        "region": list(Region.objects.order_by("position", "code").values_list("code", flat=True)),
        "sector": list(NafSection.values),
        "size": list(SizeBand.values),
    }


def category_labels() -> dict[tuple[str, str], str]:
    """Display labels in the active language (one query)."""
    labels: dict[tuple[str, str], str] = {("region", r.code): r.name for r in Region.objects.order_by("position")}
    labels.update({("sector", code): f"{code} — {label}" for code, label in NafSection.choices})
    labels.update({("size", code): str(label) for code, label in SizeBand.choices})
    for variable in bm.VARIABLES:
        labels[(variable, bm.TOTAL)] = str(_("All respondents"))
    return labels


FROZEN_LIST_KEY = "diagnostic:barometer:frozen-quarters"


@dataclass(frozen=True)
class FrozenQuarter:
    pk: int
    quarter: str
    computed_at: float  # timestamp


def snapshots_frozen(*, limit: int = 40) -> list[FrozenQuarter]:
    """The latest frozen quarters, newest first. Cached (they never change): the job forgets the
    list when it freezes a quarter, and it expires within the hour anyway (a web process with a
    per-process cache, in the embedded mode, sees a new quarter at the latest then)."""
    from django.core.cache import cache

    def load() -> list[FrozenQuarter]:
        rows = Snapshot.objects.order_by("-starts_on").values_list("pk", "quarter", "computed_at")[:limit]
        return [FrozenQuarter(pk=pk, quarter=quarter, computed_at=computed_at.timestamp()) for pk, quarter, computed_at in rows]

    return cache.get_or_set(FROZEN_LIST_KEY, load, 3600)


def snapshots_public() -> QuerySet:
    """Every frozen quarter (an open quarter is never frozen), for the open-data API."""
    return Snapshot.objects.all()


def snapshots_by_pk(pks: list[int]) -> dict[int, Snapshot]:
    return {s.pk: s for s in Snapshot.objects.filter(pk__in=pks)}


def snapshot_by_quarter(quarter: str) -> Snapshot | None:
    return Snapshot.objects.filter(quarter=quarter).first()


def snapshot_barometer(snapshot: Snapshot) -> bm.Barometer:
    """The stored figures back as tables (one query)."""
    cells = SnapshotCell.objects.filter(snapshot=snapshot).order_by("variable", "position", "measure")
    by_variable: dict[str, dict[str, bm.Cell]] = {}
    totals: dict[str, bm.Cell] = {}
    for row in cells:
        if row.category == bm.TOTAL:
            cell = totals.setdefault(row.variable, bm.Cell(category=bm.TOTAL, respondents=row.respondents, sums={}))
        else:
            cell = by_variable.setdefault(row.variable, {}).setdefault(
                row.category, bm.Cell(category=row.category, respondents=row.respondents, sums={})
            )
        cell.sums[row.measure] = row.score_sum
    tables = [
        bm.Table(variable=v, cells=list(by_variable.get(v, {}).values()), total=totals[v])
        for v in bm.VARIABLES
        if v in totals
    ]
    return bm.Barometer(
        quarter=snapshot.quarter,
        respondents=snapshot.respondents,
        published=snapshot.published,
        measures=MEASURES,
        tables=tables,
        threshold=snapshot.threshold,
    )


@dataclass(frozen=True)
class TrendPoint:
    quarter: str
    respondents: int | None
    averages: dict[str, float | None]


def trend(*, snapshots: list[Snapshot], limit: int = 12) -> list[TrendPoint]:
    """The totals of the given frozen quarters (newest first; the last ``limit``), oldest first: one query."""
    snapshots = snapshots[:limit]
    totals = SnapshotCell.objects.filter(snapshot__in=snapshots, variable="region", category=bm.TOTAL).values_list(
        "snapshot_id", "measure", "respondents", "score_sum"
    )
    sums: dict[int, dict[str, tuple[int | None, int | None]]] = {}
    for snapshot_id, measure, n, s in totals:
        sums.setdefault(snapshot_id, {})[measure] = (n, s)
    points = []
    for snapshot in reversed(snapshots):
        row = sums.get(snapshot.pk, {})
        averages = {
            m: (row[m][1] / row[m][0]) if m in row and row[m][0] and row[m][1] is not None else None for m in MEASURES
        }
        points.append(TrendPoint(quarter=snapshot.quarter, respondents=snapshot.respondents if snapshot.published else None, averages=averages))
    return points
