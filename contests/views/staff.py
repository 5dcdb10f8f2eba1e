"""Staff deliberation: ranking per theme, decisions, assignment, and the two-step publication
(prepare → confirmation page with the held e-mails → release or cancel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from contests import rules, selectors, services
from contests.forms import DecisionForm, PublicationForm
from contests.models import Edition, EditionTheme, Submission
from contests.views.common import add_form_errors, flash_errors
from portal.notifications.services import notifications_held


def _staff_edition(request: HttpRequest, slug: str) -> Edition:
    if not (request.user.is_authenticated and request.user.is_staff and request.user.has_perm("contests.change_submission")):
        raise PermissionDenied
    return get_object_or_404(Edition, slug=slug)


def _publisher_edition(request: HttpRequest, slug: str) -> Edition:
    edition = _staff_edition(request, slug)
    if not rules.is_results_publisher(request.user):
        raise PermissionDenied
    return edition


@login_required
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _staff_edition(request, slug)
    prepared = selectors.publication_prepared(edition)
    return render(
        request,
        "contests/ranking.html",
        {"edition": edition, "rankings": selectors.edition_ranking(edition), "progress": selectors.juror_progress(edition),
         "decision_form": DecisionForm(), "prepared": prepared,
         "publication_refusal": rules.publication_refusal(edition, prepared=prepared),
         "decisions_refusal": rules.decisions_refusal(edition, prepared=prepared),
         "can_publish": rules.is_results_publisher(request.user)},
    )


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = _staff_edition(request, slug)
    submission = get_object_or_404(Submission, pk=pk, edition=edition)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("contests:ranking", slug)
    data = form.cleaned_data
    try:
        services.submission_decide(submission=submission, decision=data["decision"], by=request.user, rank=data["rank"],
                                   prize=data["prize"], feedback=data["feedback"] if "feedback" in request.POST else None)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Decision recorded for “%(title)s”.") % {"title": submission.title})
    return redirect(reverse("contests:ranking", args=[slug]) + f"#sub-{submission.pk}")


@login_required
@require_POST
def edition_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    edition = _staff_edition(request, slug)
    try:
        if action == "assign":
            n = services.assignments_auto_balance(edition=edition)
            messages.success(request, ngettext("%(n)s assignment created.", "%(n)s assignments created.", n) % {"n": n})
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("contests:ranking", slug)


@login_required
@require_http_methods(["GET", "POST"])
def deliberation_start(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: what opening the deliberation means (the reviews become final), with the jury's
    progress; POST: open it."""
    edition = _staff_edition(request, slug)
    if request.method == "GET":
        if not edition.deliberation_can_start_at(timezone.now()):
            raise Http404
        return render(request, "contests/deliberation_start.html",
                      {"edition": edition, "progress": selectors.juror_progress(edition)})
    try:
        services.edition_start_deliberation(edition=edition, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Deliberation has started."))
    return redirect("contests:ranking", slug)


# --- Publication of the results -------------------------------------------------------------------


@login_required
def publication_prepare(request: HttpRequest, slug: str) -> HttpResponse:
    """The checks and staff's two explicit choices ("check" shows their effect); "prepare" writes
    the held e-mails (nothing changes state) and goes to the confirmation page."""
    edition = _publisher_edition(request, slug)
    prepared = selectors.publication_prepared(edition)
    if prepared is not None:
        return redirect("contests:publication_detail", slug, prepared.pk)
    themes = list(EditionTheme.objects.filter(edition=edition).select_related("theme"))
    form = PublicationForm(request.POST or None, edition_themes=themes)
    status = 200
    choices = {"not_retained_for_remaining": False, "themes_without_laureate": set()}
    if form.is_bound and form.is_valid():
        choices = {"not_retained_for_remaining": form.cleaned_data["not_retained_for_remaining"],
                   "themes_without_laureate": form.theme_ids()}
    if request.method == "POST" and request.POST.get("action") == "prepare" and form.is_valid():
        try:
            publication = services.results_prepare(edition=edition, by=request.user, **choices)
        except ValidationError as exc:
            add_form_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("The publication is prepared: nothing has been sent yet. Read it, then release or cancel it."))
            return redirect("contests:publication_detail", slug, publication.pk)
    return render(request, "contests/publication_prepare.html", {
        "edition": edition, "form": form, "refusal": rules.publication_refusal(edition),
        "plan": selectors.publication_plan(edition, **choices),
    }, status=status)


def _prepared_or_404(edition: Edition, pk: int):
    publication = selectors.publication_for_staff(edition, pk)
    if publication is None:
        raise Http404
    return publication


@login_required
def publication_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The confirmation page: exactly what the release will do, with every held e-mail."""
    edition = _publisher_edition(request, slug)
    publication = _prepared_or_404(edition, pk)
    plan = selectors.publication_plan(
        edition, not_retained_for_remaining=publication.not_retained_for_remaining,
        themes_without_laureate={t.pk for t in publication.themes_without_laureate.all()},
    )
    return render(request, "contests/publication_detail.html", {
        "edition": edition, "publication": publication, "plan": plan,
        "emails": notifications_held(batch=publication.batch).select_related("user"),
    })


@login_required
def publication_email(request: HttpRequest, slug: str, pk: int, notification_pk: int) -> HttpResponse:
    edition = _publisher_edition(request, slug)
    publication = _prepared_or_404(edition, pk)
    email = get_object_or_404(notifications_held(batch=publication.batch), pk=notification_pk)
    return render(request, "contests/publication_email.html", {"edition": edition, "publication": publication, "email": email})


@login_required
@require_POST
def publication_release(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = _publisher_edition(request, slug)
    publication = _prepared_or_404(edition, pk)
    try:
        n = services.results_release(publication=publication, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("contests:ranking", slug)
    messages.success(request, ngettext(
        "Results published: %(n)s e-mail is on its way.", "Results published: %(n)s e-mails are on their way.", n) % {"n": n})
    return redirect("contests:laureates", slug)


@login_required
@require_POST
def publication_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = _publisher_edition(request, slug)
    publication = _prepared_or_404(edition, pk)
    try:
        n = services.results_cancel(publication=publication, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, ngettext(
            "Publication cancelled: %(n)s held e-mail deleted, nothing was sent. Decisions can change again.",
            "Publication cancelled: %(n)s held e-mails deleted, nothing was sent. Decisions can change again.", n) % {"n": n})
    return redirect("contests:ranking", slug)
