"""Staff deliberation: ranking per theme, decisions, assignment, publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contests import selectors, services
from contests.forms import (
    DecisionForm,
)
from contests.models import Edition, Submission
from contests.views.common import flash_errors


def _staff_edition(request: HttpRequest, slug: str) -> Edition:
    if not (request.user.is_authenticated and request.user.is_staff and request.user.has_perm("contests.change_submission")):
        raise PermissionDenied
    return get_object_or_404(Edition, slug=slug)


@login_required
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _staff_edition(request, slug)
    return render(
        request,
        "contests/ranking.html",
        {"edition": edition, "rankings": selectors.edition_ranking(edition), "progress": selectors.juror_progress(edition),
         "decision_form": DecisionForm()},
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
        elif action == "deliberate":
            services.edition_start_deliberation(edition=edition, by=request.user)
            messages.success(request, _("Deliberation has started."))
        elif action == "publish":
            n = services.edition_publish(edition=edition, by=request.user)
            messages.success(
                request, ngettext("Results published: %(n)s submitter notified.", "Results published: %(n)s submitters notified.", n) % {"n": n}
            )
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("contests:ranking", slug)
