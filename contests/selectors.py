"""Every non-trivial read of the contest, with a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from modeltranslation.utils import get_translation_fields

from contests import rules
from contests.models import (
    Assignment,
    Company,
    Conflict,
    Criterion,
    Edition,
    EditionTheme,
    Juror,
    Review,
    Score,
    Submission,
    SubmissionState,
    Theme,
)
from organisations.models import Invitation, Membership

S = SubmissionState


def edition_public_qs() -> QuerySet:
    return Edition.objects.filter(is_visible=True)


def edition_current() -> Edition | None:
    """The edition the contest page shows: the latest visible one not archived."""
    return (
        edition_public_qs()
        .filter(archived_at__isnull=True)
        .prefetch_related(
            Prefetch("edition_themes", queryset=EditionTheme.objects.select_related("theme")), "partners"
        )
        .order_by("-opens_at")
        .first()
    )


def edition_get_public(slug: str) -> Edition | None:
    return (
        edition_public_qs()
        .prefetch_related(Prefetch("edition_themes", queryset=EditionTheme.objects.select_related("theme")), "partners")
        .filter(slug=slug)
        .first()
    )


def edition_archive_list(*, exclude_pk: int | None = None) -> list[Edition]:
    """Past editions whose results are published, with their laureates (two queries)."""
    laureates = Submission.objects.filter(state=S.LAUREATE).select_related("theme", "company").order_by("theme__position", "rank")
    qs = (
        edition_public_qs()
        .filter(published_at__isnull=False)
        .prefetch_related(Prefetch("submissions", queryset=laureates, to_attr="laureates"))
        .order_by("-opens_at")
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs)


def editions_with_results_for_feed(*, limit: int) -> list[Edition]:
    """Visible editions whose results are published, newest publication first, with their
    laureates (two queries)."""
    laureates = (
        Submission.objects.filter(state=S.LAUREATE)
        .select_related("theme", "company__region")
        .order_by("theme__position", "rank", "title")
    )
    return list(
        edition_public_qs()
        .filter(published_at__isnull=False)
        .prefetch_related(Prefetch("submissions", queryset=laureates, to_attr="laureates"))
        .order_by("-published_at", "-pk")[:limit]
    )


@dataclass
class ThemeLaureates:
    edition_theme: EditionTheme
    laureates: list[Submission] = field(default_factory=list)


def laureates_by_theme(edition: Edition) -> list[ThemeLaureates]:
    """Each theme's winners with project, company, region and prize (only once published)."""
    if not edition.published_at:
        return []
    themes = list(EditionTheme.objects.filter(edition=edition).select_related("theme"))
    by_theme = {t.theme_id: ThemeLaureates(edition_theme=t) for t in themes}
    laureates = (
        Submission.objects.filter(edition=edition, state=S.LAUREATE)
        .select_related("company__region", "theme")
        .order_by("rank", "title")
    )
    for sub in laureates:
        if sub.theme_id in by_theme:
            by_theme[sub.theme_id].laureates.append(sub)
    return [by_theme[t.theme_id] for t in themes]


def editions_public_detailed(*, results_published: bool | None = None) -> QuerySet:
    """Visible editions with their themes and, once results are published, their laureates
    (``published_laureates``): three queries for any number of editions (the open-data API)."""
    laureates = (
        Submission.objects.filter(state=S.LAUREATE, edition__published_at__isnull=False)
        .select_related("company__region", "theme")
        .order_by("theme__position", "rank", "title", "pk")
    )
    qs = edition_public_qs().prefetch_related(
        Prefetch("edition_themes", queryset=EditionTheme.objects.select_related("theme").order_by("position", "theme__position")),
        Prefetch("submissions", queryset=laureates, to_attr="published_laureates"),
    )
    if results_published is not None:
        qs = qs.filter(published_at__isnull=not results_published)
    return qs


# --- Mon espace ---------------------------------------------------------------------------------


def companies_of(user) -> list[Company]:
    return list(Company.objects.filter(memberships__user=user).select_related("region").order_by("legal_name"))


def submissions_of(user) -> QuerySet:
    """Projects of every company the person belongs to."""
    return (
        Submission.objects.filter(company__memberships__user=user)
        .select_related("edition", "company", "theme")
        .order_by("-created_at", "-pk")
    )


def submission_for_member(user, pk: int) -> Submission | None:
    """A project the person may see as a member of its company; None (→ 404) otherwise."""
    if not user.is_authenticated:
        return None
    return (
        Submission.objects.filter(pk=pk, company__memberships__user=user)
        .select_related("edition", "company__region", "theme", "created_by")
        .prefetch_related("attachments")
        .first()
    )


def company_for_member(user, pk: int) -> Company | None:
    if not user.is_authenticated:
        return None
    return Company.objects.filter(pk=pk, memberships__user=user).select_related("region").first()


def invitations_open_for_company(company: Company) -> list[Invitation]:
    """Invitations of one company not answered nor revoked (expired ones included, marked so)."""
    return list(
        Invitation.objects.filter(organisation=company, accepted_at__isnull=True, declined_at__isnull=True,
                                         revoked_at__isnull=True).order_by("-created_at", "-pk")
    )


def invitation_for_company(company: Company, pk: int) -> Invitation | None:
    """One invitation of this company (None → 404 for an id of another company's)."""
    return Invitation.objects.filter(organisation=company, pk=pk).first()


def invitations_waiting_for(user) -> list[Invitation]:
    """Open, unexpired invitations sent to one of the person's verified addresses (one query)."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True).annotate(address=Lower("email")).values("address")
    return list(
        Invitation.objects.annotate(address=Lower("email"))
        .filter(address__in=verified, accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True,
                expires_at__gt=timezone.now())
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )


def is_member_of_any_company(user) -> bool:
    return Membership.objects.filter(user=user).exists()


# --- Jury ---------------------------------------------------------------------------------------


def jury_assignments(juror: Juror) -> list[Assignment]:
    """A juror's assigned projects, conflicts excluded, with his or her own review (constant queries)."""
    return list(
        rules.juror_visible_assignments(juror)
        .select_related("submission__theme", "submission__company", "review")
        .order_by("submission__theme__position", "submission__title")
    )


@dataclass(frozen=True)
class JuryProject:
    """A project as a juror's list shows it: its company is None in an anonymised review (not even read)."""

    pk: int
    title: str
    theme: str
    company: str | None


@dataclass(frozen=True)
class JuryRow:
    """One line of a juror's list, ready to print: the link, the project and the state of the
    juror's review ("submitted", "in_progress" or "todo")."""

    url: str
    submission: JuryProject
    review: str


def jury_list(juror: Juror, edition: Edition) -> list[JuryRow]:
    """:func:`jury_assignments` as plain rows for the juror's list (``edition`` is the juror's):
    one narrow query of values, themes built once each, links from one reversed prefix."""
    names = get_translation_fields("name")
    fields = ["submission_id", "submission__title", "submission__theme_id", "review__id", "review__submitted_at",
              *(f"submission__theme__{name}" for name in names)]
    if not edition.anonymised_review:
        fields.append("submission__company__legal_name")
    rows = (
        rules.juror_visible_assignments(juror)
        .order_by("submission__theme__position", "submission__title")
        .values_list(*fields, named=True)
    )
    prefix = reverse("contests:jury_review", args=[edition.slug, 0]).removesuffix("0/")
    themes: dict[int, str] = {}
    out = []
    for row in rows:
        theme = themes.get(row.submission__theme_id)
        if theme is None:  # the translated name, with modeltranslation's fallbacks
            values = {name: getattr(row, f"submission__theme__{name}") for name in names}
            theme = themes[row.submission__theme_id] = str(Theme(pk=row.submission__theme_id, **values).name)
        review = "todo" if row.review__id is None else "submitted" if row.review__submitted_at else "in_progress"
        project = JuryProject(pk=row.submission_id, title=row.submission__title, theme=theme,
                              company=getattr(row, "submission__company__legal_name", None))
        out.append(JuryRow(url=f"{prefix}{row.submission_id}/", submission=project, review=review))
    return out


def jury_assignment(juror: Juror, submission_id: int) -> Assignment | None:
    return (
        rules.juror_visible_assignments(juror)
        .filter(submission_id=submission_id)
        .select_related("submission__theme", "submission__company__region", "submission__edition", "review")
        .prefetch_related("submission__attachments")
        .first()
    )


def juror_conflicts(juror: Juror) -> list[Conflict]:
    return list(juror.conflicts.select_related("company", "submission").order_by("created_at", "pk"))


def jury_pack_submissions(juror: Juror) -> QuerySet:
    """The projects a juror may read, for his or her jury pack (the same rule as the list)."""
    visible = rules.juror_visible_assignments(juror).values("submission_id")
    return (
        Submission.objects.filter(pk__in=visible)
        .select_related("edition", "theme", "company__region")
        .order_by("theme__position", "title", "pk")
    )


def other_reviews_for(assignment: Assignment) -> list[Review]:
    """Other jurors' submitted reviews, shown only once this juror has submitted his or her own."""
    own = getattr(assignment, "review", None)  # the reverse one-to-one raises an AttributeError subclass
    if own is None or own.submitted_at is None:
        return []
    return list(
        Review.objects.filter(assignment__submission_id=assignment.submission_id, submitted_at__isnull=False)
        .exclude(pk=own.pk)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )


# --- Ranking --------------------------------------------------------------------------------------


def review_score(scores: list[tuple[int, int]]) -> float:
    """Weighted mean of one review: sum(weight × score) / sum(weight), on 0–10."""
    total_weight = sum(w for w, _ in scores)
    return sum(w * v for w, v in scores) / total_weight if total_weight else 0.0


@dataclass
class RankedSubmission:
    submission: Submission
    review_scores: list[float]

    @property
    def reviews(self) -> int:
        return len(self.review_scores)

    @property
    def score(self) -> float | None:
        return round(mean(self.review_scores), 2) if self.review_scores else None

    @property
    def spread(self) -> float | None:
        return round(max(self.review_scores) - min(self.review_scores), 2) if self.review_scores else None


@dataclass
class ThemeRanking:
    edition_theme: EditionTheme
    rows: list[RankedSubmission] = field(default_factory=list)


def edition_ranking(edition: Edition) -> list[ThemeRanking]:
    """Ranking per theme: weighted mean of the submitted reviews, their number and their spread (max − min).

    Projects with no review come last. Three queries whatever the number of projects.
    """
    themes = list(EditionTheme.objects.filter(edition=edition).select_related("theme"))
    weights = dict(Criterion.objects.filter(edition=edition).values_list("pk", "weight"))
    submissions = list(
        Submission.objects.filter(edition=edition, state__in=rules.JURY_VISIBLE_STATES)
        .select_related("company__region", "theme")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("review")),
            Prefetch("assignments__review__scores", queryset=Score.objects.only("review_id", "criterion_id", "value")),
        )
    )
    by_theme = {t.theme_id: ThemeRanking(edition_theme=t) for t in themes}
    for sub in submissions:
        scores = []
        for assignment in sub.assignments.all():
            review = getattr(assignment, "review", None)
            if review is None or review.submitted_at is None:
                continue
            scores.append(review_score([(weights.get(s.criterion_id, 1), s.value) for s in review.scores.all()]))
        if sub.theme_id in by_theme:
            by_theme[sub.theme_id].rows.append(RankedSubmission(submission=sub, review_scores=scores))
    for ranking in by_theme.values():
        ranking.rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.submission.title.lower()))
    return [by_theme[t.theme_id] for t in themes]


def juror_progress(edition: Edition) -> QuerySet:
    """Review progress per juror: assigned and submitted reviews."""
    return (
        Juror.objects.filter(edition=edition)
        .select_related("user")
        .annotate(
            assigned=Count("assignments", distinct=True),
            reviewed=Count("assignments", filter=Q(assignments__review__submitted_at__isnull=False), distinct=True),
        )
    )


def time_left(edition: Edition):
    now = timezone.now()
    return edition.closes_at - now if edition.opens_at <= now < edition.closes_at else None


# --- Publication of the results ---------------------------------------------------------------------


@dataclass
class ThemePlan:
    edition_theme: EditionTheme
    laureates: list[Submission] = field(default_factory=list)
    no_laureate: bool = False

    @property
    def prize(self) -> str:
        return self.edition_theme.prize


@dataclass
class ResultEmail:
    """One result e-mail the publication will send: to whom, about which project, which outcome."""

    person: object
    submission: Submission
    laureate: bool


@dataclass
class PublicationPlan:
    """Exactly what publishing the results would do, and what stops it (``problems``)."""

    edition: Edition
    themes: list[ThemePlan]
    not_retained: list[Submission]  # already decided "not retained"
    remaining: list[Submission]  # no final decision yet: become "not retained" only if staff say so
    not_retained_for_remaining: bool
    problems: list[str]
    emails: list[ResultEmail]

    @property
    def laureate_count(self) -> int:
        return sum(len(t.laureates) for t in self.themes)

    @property
    def not_retained_count(self) -> int:
        return len(self.not_retained) + (len(self.remaining) if self.not_retained_for_remaining else 0)

    @property
    def laureate_emails(self) -> int:
        return sum(1 for e in self.emails if e.laureate)

    @property
    def not_retained_emails(self) -> int:
        return sum(1 for e in self.emails if not e.laureate)

    @property
    def can_prepare(self) -> bool:
        return not self.problems


def _result_recipients(submission: Submission) -> list:
    """The person who submitted; if that account was erased, the company's remaining members."""
    if submission.created_by_id:
        return [submission.created_by]
    return [m.user for m in submission.company.memberships.all()]


def decisions_snapshot(edition: Edition) -> dict[str, list]:
    """Each project's state, theme, rank, prize and feedback (hashed) as they stand: a prepared publication
    keeps this, and its release checks nothing moved since."""
    import hashlib

    rows = Submission.objects.filter(edition=edition).exclude(state=S.DRAFT).order_by("pk").values_list(
        "pk", "state", "theme_id", "rank", "prize", "feedback"
    )
    return {
        str(pk): [state, theme_id, rank, prize, hashlib.sha256(feedback.encode()).hexdigest()[:16]]
        for pk, state, theme_id, rank, prize, feedback in rows
    }


def publication_plan(
    edition: Edition, *, not_retained_for_remaining: bool = False, themes_without_laureate: set[int] | frozenset = frozenset()
) -> PublicationPlan:
    """What a publication would do now, with staff's two explicit choices: "not retained for every
    project still without a final decision" and "no laureate in this theme" (by theme id).

    Refused (``problems``) while a project in play has no final decision and staff did not choose
    the first, or while a theme has neither a laureate nor the second. Four queries.
    """
    from django.utils.translation import gettext as _

    themes = [ThemePlan(edition_theme=t) for t in EditionTheme.objects.filter(edition=edition).select_related("theme")]
    by_theme = {t.edition_theme.theme_id: t for t in themes}
    in_play = list(
        Submission.objects.filter(edition=edition, state__in=[*rules.AWAITING_FINAL_DECISION, *rules.FINAL_DECISIONS])
        .select_related("created_by", "theme", "company")
        .prefetch_related(Prefetch("company__memberships", queryset=Membership.objects.select_related("user")))
        .order_by("theme__position", "rank", "title", "pk")
    )
    not_retained, remaining, problems, emails = [], [], [], []
    for sub in in_play:
        if sub.state == S.LAUREATE:
            if sub.theme_id in by_theme:
                by_theme[sub.theme_id].laureates.append(sub)
        elif sub.state == S.NOT_RETAINED:
            not_retained.append(sub)
        else:
            remaining.append(sub)
    if remaining and not not_retained_for_remaining:
        problems.append(
            ngettext(
                "%(n)s project has no final decision (laureate or not retained): decide, or choose “not retained” for every remaining project.",
                "%(n)s projects have no final decision (laureate or not retained): decide, or choose “not retained” for every remaining project.",
                len(remaining),
            ) % {"n": len(remaining)}
        )
    for plan in themes:
        plan.no_laureate = plan.edition_theme.theme_id in themes_without_laureate
        if plan.laureates and plan.no_laureate:
            problems.append(
                _("The theme “%(theme)s” has a laureate: it cannot also be published without one.")
                % {"theme": plan.edition_theme.theme.name}
            )
        elif not plan.laureates and not plan.no_laureate:
            problems.append(
                _("The theme “%(theme)s” has no laureate: name one, or confirm there is no laureate in this theme.")
                % {"theme": plan.edition_theme.theme.name}
            )
    told = [*(s for t in themes for s in t.laureates), *not_retained, *(remaining if not_retained_for_remaining else [])]
    for sub in told:
        for person in _result_recipients(sub):
            emails.append(ResultEmail(person=person, submission=sub, laureate=sub.state == S.LAUREATE))
    return PublicationPlan(
        edition=edition, themes=themes, not_retained=not_retained, remaining=remaining,
        not_retained_for_remaining=not_retained_for_remaining, problems=problems, emails=emails,
    )


def publication_prepared(edition: Edition):
    return rules.publication_prepared(edition)


def publication_for_staff(edition: Edition, pk: int):
    """A prepared publication of this edition (None → 404 for a stale, released or foreign id)."""
    from contests.models import ResultsPublication

    return (
        ResultsPublication.objects.filter(edition=edition, pk=pk, status=ResultsPublication.Status.PREPARED)
        .select_related("prepared_by")
        .prefetch_related("themes_without_laureate")
        .first()
    )


# --- For other programmes (the diagnostic's path), without their reading our tables ----------


@dataclass(frozen=True)
class ContestForPath:
    title: str
    url: str
    is_open: bool
    submitted: bool


def contest_for_path(*, user) -> ContestForPath | None:
    """The current edition if it is open or upcoming (or if one of the person's companies has
    submitted to it), and whether a project went in: two queries."""
    edition = edition_public_qs().filter(archived_at__isnull=True).order_by("-opens_at").first()
    if edition is None:
        return None
    submitted = bool(
        user.is_authenticated
        and Submission.objects.filter(edition=edition, company__memberships__user=user)
        .exclude(state__in=[S.DRAFT, S.WITHDRAWN])
        .exists()
    )
    now = timezone.now()
    if not edition.accepts_drafts_at(now) and not submitted:
        return None
    return ContestForPath(
        title=edition.title, url=reverse("contests:edition_detail", args=[edition.slug]),
        is_open=edition.accepts_projects_at(now), submitted=submitted,
    )
# --- Home page and "to do" ------------------------------------------------------------------


def edition_for_home() -> Edition | None:
    """The edition the home page announces (the contest page's, without its themes): one query."""
    return edition_public_qs().filter(archived_at__isnull=True).order_by("-opens_at").first()


def edition_announced() -> Edition | None:
    """:func:`edition_for_home`, shared by every visitor: kept in the page cache for the
    "contests" version (every edition save replaces it). Its phase and time left are the
    caller's to tell from the clock, on every request."""
    from portal import page_cache

    # kept in a tuple: "no edition to announce" is kept too
    (edition,) = page_cache.value("contests", ("home-edition",), lambda: (edition_for_home(),))
    return edition


def drafts_due(user) -> list[Submission]:
    """The person's drafts in editions still open, soonest deadline first: one query."""
    now = timezone.now()
    return list(
        Submission.objects.filter(company__memberships__user=user, state=S.DRAFT, edition__opens_at__lte=now,
                                  edition__closes_at__gt=now, edition__is_visible=True)
        .select_related("edition")
        .order_by("edition__closes_at", "pk")
    )


def accepted_jurors_of(user) -> list[Juror]:
    """The person's accepted juror roles, with their editions: one query."""
    return list(Juror.objects.filter(user=user, accepted_at__isnull=False).select_related("edition"))


def reviews_due(user, *, jurors: list[Juror] | None = None) -> list[tuple[Edition, int]]:
    """Per edition where the person is an accepted juror and reviews are open, the number of
    visible assigned projects without a submitted review: two queries (one with ``jurors``,
    :func:`accepted_jurors_of` already read)."""
    now = timezone.now()
    jurors = [
        j for j in (accepted_jurors_of(user) if jurors is None else jurors)
        if j.edition.reviews_open_at(now) and not rules.must_declare_conflicts_first(j)
    ]
    if not jurors:
        return []
    counts = dict(
        Assignment.objects.filter(juror__in=jurors, submission__state__in=rules.JURY_VISIBLE_STATES)
        .exclude(review__submitted_at__isnull=False)
        .exclude(submission__company_id__in=Conflict.objects.filter(juror__user=user).values("company_id"))
        .values_list("juror_id").annotate(n=Count("pk")).order_by()
    )
    return [(j.edition, counts[j.pk]) for j in jurors if counts.get(j.pk)]
