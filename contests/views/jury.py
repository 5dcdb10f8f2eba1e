"""The front-end jury space: invitation, assigned projects, review, conflicts (never the admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests import rules, selectors, services
from contests.forms import (
    ConflictForm,
    RecusalForm,
    ReviewForm,
)
from contests.models import Criterion, Juror
from contests.resources import jury_pack_resource_for
from contests.views.common import TOKEN_RE, add_form_errors, flash_errors


@login_required
def jury_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page a jury invitation links to: accepting is for the invited address only."""
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    juror = Juror.objects.select_related("edition").filter(token=token).first()
    if juror is None:
        raise Http404
    context = {
        "juror": juror,
        "is_invitee": rules.is_invitee(request.user, juror),
        "accepted_by_me": bool(juror.accepted_at and juror.user_id == request.user.pk),
    }
    if request.method == "POST":
        try:
            services.juror_accept(token=token, user=request.user)
        except ValidationError as exc:
            flash_errors(request, exc)
            return render(request, "contests/jury_accept.html", context, status=400)
        messages.success(request, _("Welcome to the jury. Declare your conflicts of interest before you start."))
        return redirect("contests:jury", juror.edition.slug)
    return render(request, "contests/jury_accept.html", context)


def _juror_or_404(request: HttpRequest, slug: str) -> Juror:
    juror = rules.juror_for_edition_slug(request.user, slug)  # no such edition or not its juror: 404 alike
    if juror is None:
        raise Http404
    return juror


@login_required
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    juror = _juror_or_404(request, slug)
    declare_first = rules.must_declare_conflicts_first(juror)
    return render(
        request, "contests/jury.html",
        {"juror": juror, "edition": juror.edition, "declare_first": declare_first,
         "assignments": [] if declare_first else selectors.jury_list(juror, juror.edition),
         # the review states, translated once for the whole list
         "submitted": _("Submitted"), "in_progress": _("In progress"), "todo": _("To do")},
    )


@login_required
def jury_pack(request: HttpRequest, slug: str) -> HttpResponse:
    """The juror's own jury pack (CSV): his or her visible projects, anonymised when the review is."""
    juror = _juror_or_404(request, slug)
    resource = jury_pack_resource_for(juror.edition)()
    dataset = resource.export(queryset=selectors.jury_pack_submissions(juror))
    response = HttpResponse(dataset.csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jury-{juror.edition.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def jury_review(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    juror = _juror_or_404(request, slug)
    assignment = selectors.jury_assignment(juror, submission_id)
    if assignment is None:
        raise Http404
    form = _review_form(juror, assignment, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(assignment=assignment, user=request.user, scores=form.scores(),
                                 comment=form.cleaned_data["comment"], submit="submit" in request.POST)
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Your review has been saved."))
            return redirect("contests:jury_review", slug, submission_id)
    return _review_page(request, juror, assignment, form=form, recusal_form=RecusalForm())


def _review_form(juror, assignment, data) -> ReviewForm:
    criteria = list(Criterion.objects.filter(edition=juror.edition))
    review = getattr(assignment, "review", None)
    initial = {s.criterion_id: (s.value, s.comment) for s in review.scores.all()} if review else {}
    return ReviewForm(data, criteria=criteria, initial_scores=initial, initial={"comment": review.comment if review else ""})


def _review_page(request, juror, assignment, *, form, recusal_form, status=200) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "contests/jury_review.html",
        {
            "juror": juror, "edition": juror.edition, "assignment": assignment, "submission": assignment.submission,
            "review": getattr(assignment, "review", None), "form": form, "others": selectors.other_reviews_for(assignment),
            "recusal_form": recusal_form,
            "anonymised": juror.edition.anonymised_review, "reviews_open": juror.edition.reviews_open_at(now),
            "can_recuse": rules.can_recuse(request.user, juror),
            "reviews_not_yet": not juror.edition.is_past_deadline_at(now),
        },
        status=status,
    )


@login_required
def jury_conflicts(request: HttpRequest, slug: str) -> HttpResponse:
    juror = _juror_or_404(request, slug)
    can_declare = rules.can_declare_company_conflict(juror)
    form = ConflictForm(request.POST or None, edition=juror.edition) if can_declare else None
    status = 200
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Your projects are already shown to you: if you recognise one, recuse yourself from it on its page."))
            status = 400
        elif form.is_valid():
            try:
                services.conflict_declare(juror=juror, company=form.cleaned_data["company"], reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                flash_errors(request, exc)
                status = 400
            else:
                messages.success(request, _("Your conflict of interest has been recorded; you will not see that company's projects."))
                return redirect("contests:jury_conflicts", slug)
        else:
            status = 400
    conflicts = [(c, services.conflict_label(c)) for c in selectors.juror_conflicts(juror)]
    return render(
        request, "contests/jury_conflicts.html",
        {"juror": juror, "edition": juror.edition, "form": form, "conflicts": conflicts,
         "declare_first": rules.must_declare_conflicts_first(juror)},
        status=status,
    )


@login_required
@require_POST
def jury_conflicts_close(request: HttpRequest, slug: str) -> HttpResponse:
    juror = _juror_or_404(request, slug)
    services.conflicts_close(juror=juror, user=request.user)
    messages.success(request, _("Your declaration is complete: here are the projects given to you."))
    return redirect("contests:jury", slug)


@login_required
@require_POST
def jury_recuse(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    juror = _juror_or_404(request, slug)
    assignment = selectors.jury_assignment(juror, submission_id)
    if assignment is None:
        raise Http404
    form = RecusalForm(request.POST)
    if not form.is_valid():
        # A reason that cannot be kept is said, not dropped: nothing is recorded.
        return _review_page(request, juror, assignment, form=_review_form(juror, assignment, None), recusal_form=form, status=400)
    try:
        services.conflict_recuse(assignment=assignment, user=request.user, reason=form.cleaned_data["reason"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("contests:jury_review", slug, submission_id)
    messages.success(request, _("You have withdrawn from this project; it will be given to another juror."))
    return redirect("contests:jury", slug)
