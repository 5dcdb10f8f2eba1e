"""Thin views: parse → call a service or selector → render. Bad input never raises a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests import rules, selectors, services
from contests.eligibility import company_eligibility
from contests.forms import (
    AttachmentForm,
    CompanyForm,
    ConflictForm,
    DecisionForm,
    MemberForm,
    ReviewForm,
    SubmissionForm,
)
from contests.models import Attachment, Criterion, Edition, Juror, Phase, Submission, SubmissionState


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in _errors(exc):
        messages.error(request, message)


# --- Public pages -------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    edition = selectors.edition_current()
    archive = selectors.edition_archive_list(exclude_pk=edition.pk if edition else None)
    return render(request, "contests/index.html", _edition_context(edition) | {"archive": archive})


def _edition_context(edition: Edition | None) -> dict:
    if edition is None:
        return {"edition": None}
    return {
        "edition": edition,
        "phase": edition.phase,
        "time_left": selectors.time_left(edition),
        "edition_themes": list(edition.edition_themes.all()),
        "partners": list(edition.partners.all()),
        "laureates": selectors.laureates_by_theme(edition),
    }


def edition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    edition = selectors.edition_get_public(slug)
    if edition is None:
        raise Http404
    return render(request, "contests/edition_detail.html", _edition_context(edition))


def archive(request: HttpRequest) -> HttpResponse:
    return render(request, "contests/archive.html", {"editions": selectors.edition_archive_list()})


def laureates(request: HttpRequest, slug: str) -> HttpResponse:
    edition = selectors.edition_get_public(slug)
    if edition is None or not edition.published_at:
        raise Http404
    return render(request, "contests/laureates.html", {"edition": edition, "themes": selectors.laureates_by_theme(edition)})


# --- Companies ------------------------------------------------------------------------------------


@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_form_errors(form, exc)
        else:
            messages.success(request, _("Your company has been registered."))
            return redirect("contests:company_detail", company.pk)
    return render(request, "contests/company_form.html", {"form": form})


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_for_member(request.user, pk)
    if company is None:
        raise Http404
    edition = selectors.edition_current()
    can_start = bool(edition and edition.phase in (Phase.UPCOMING, Phase.OPEN))
    return render(
        request,
        "contests/company_detail.html",
        {
            "company": company,
            "eligibility": company_eligibility(company),
            "edition": edition,
            "can_start": can_start,
            "submissions": list(company.submissions.select_related("edition", "theme").order_by("-created_at")),
            "members": list(company.memberships.select_related("user").order_by("created_at")),
            "member_form": MemberForm(),
        },
    )


@login_required
@require_POST
def company_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_for_member(request.user, pk)
    if company is None:
        raise Http404
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.company_member_add(company=company, by=request.user, email=form.cleaned_data["email"])
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Your colleague has been added to the company."))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("contests:company_detail", company.pk)


@login_required
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_for_member(request.user, pk)
    if company is None:
        raise Http404
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.company_update(company=company, user=request.user, **data)
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Your company has been saved."))
            return redirect("contests:company_detail", company.pk)
    return render(request, "contests/company_form.html", {"form": form, "company": company})


# --- Submissions ----------------------------------------------------------------------------------


@login_required
def submission_create(request: HttpRequest, slug: str, company_pk: int) -> HttpResponse:
    edition = selectors.edition_get_public(slug)
    company = selectors.company_for_member(request.user, company_pk)
    if edition is None or company is None:
        raise Http404
    eligibility = company_eligibility(company)
    if not eligibility.eligible:
        messages.error(request, _("Your company is not eligible yet: see why below."))
        return redirect("contests:company_detail", company.pk)
    form = SubmissionForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_create_draft(edition=edition, company=company, user=request.user, **form.service_fields())
        except ValidationError as exc:
            _add_form_errors(form, exc)
        else:
            messages.success(request, _("Your draft has been saved. It is not submitted yet."))
            return redirect("contests:submission_edit", submission.pk)
    return render(request, "contests/submission_form.html", {"form": form, "edition": edition, "company": company})


def _add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for_member(request.user, pk)
    if submission is None:
        raise Http404
    editable = submission.state in (SubmissionState.DRAFT, SubmissionState.SUBMITTED) and timezone.now() < submission.edition.closes_at
    form = SubmissionForm(request.POST or None, instance=submission, edition=submission.edition)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("The deadline has passed: projects can no longer be changed."))
            return redirect("contests:submission_detail", submission.pk)
        if form.is_valid():
            try:
                # The draft is saved first, in its own transaction: a refused submit never loses it.
                submission = services.submission_update(submission=submission, user=request.user, **form.service_fields())
            except ValidationError as exc:
                _add_form_errors(form, exc)
            else:
                if "submit" in request.POST and submission.state == SubmissionState.DRAFT:
                    try:
                        services.submission_submit(submission=submission, user=request.user)
                    except ValidationError as exc:
                        messages.info(request, _("Your draft has been saved."))
                        _flash_errors(request, exc)
                        return redirect("contests:submission_edit", submission.pk)
                    messages.success(request, _("Your project has been submitted. A receipt has been sent to you by e-mail."))
                    return redirect("contests:submission_detail", submission.pk)
                messages.success(request, _("Your changes have been saved."))
                return redirect("contests:submission_edit", submission.pk)
    return render(
        request,
        "contests/submission_form.html",
        {
            "form": form, "submission": submission, "edition": submission.edition, "company": submission.company,
            "editable": editable, "attachment_form": AttachmentForm(), "attachments": list(submission.attachments.all()),
        },
    )


@login_required
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for_member(request.user, pk)
    if submission is None:
        raise Http404
    try:
        services.submission_submit(submission=submission, user=request.user)
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("contests:submission_edit", submission.pk)
    messages.success(request, _("Your project has been submitted. A receipt has been sent to you by e-mail."))
    return redirect("contests:submission_detail", submission.pk)


@login_required
@require_POST
def submission_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for_member(request.user, pk)
    if submission is None:
        raise Http404
    try:
        services.submission_withdraw(submission=submission, user=request.user)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Your project has been withdrawn."))
    return redirect("contests:submission_detail", submission.pk)


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable summary of what was submitted (also the receipt's link)."""
    submission = selectors.submission_for_member(request.user, pk)
    if submission is None:
        raise Http404
    show_result = submission.edition.published_at is not None
    return render(
        request,
        "contests/submission_detail.html",
        {"submission": submission, "edition": submission.edition, "show_result": show_result,
         "editable": submission.state in (SubmissionState.DRAFT, SubmissionState.SUBMITTED) and timezone.now() < submission.edition.closes_at,
         "withdrawable": submission.state in (SubmissionState.DRAFT, SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW)},
    )


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for_member(request.user, pk)
    if submission is None:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("contests:submission_edit", submission.pk)
    try:
        services.attachment_add(submission=submission, user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("The file has been added."))
    return redirect("contests:submission_edit", submission.pk)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("submission__edition"), pk=pk)
    if not rules.can_edit_submission(request.user, attachment.submission):
        raise Http404
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("The file has been removed."))
    return redirect("contests:submission_edit", attachment.submission_id)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Files are served only here: to the company's members, the assigned jurors and staff."""
    attachment = get_object_or_404(Attachment.objects.select_related("submission__edition"), pk=pk)
    if not rules.can_download_attachment(request.user, attachment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.download_name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Jury -------------------------------------------------------------------------------------------


@login_required
def jury_accept(request: HttpRequest, token: str) -> HttpResponse:
    juror = Juror.objects.select_related("edition").filter(token=token).first()
    if juror is None:
        raise Http404
    if request.method == "POST":
        try:
            services.juror_accept(token=token, user=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc)
            return render(request, "contests/jury_accept.html", {"juror": juror}, status=400)
        messages.success(request, _("Welcome to the jury. Declare your conflicts of interest before you start."))
        return redirect("contests:jury", juror.edition.slug)
    return render(request, "contests/jury_accept.html", {"juror": juror})


def _juror_or_404(request: HttpRequest, slug: str) -> Juror:
    edition = get_object_or_404(Edition, slug=slug)
    juror = rules.juror_for(request.user, edition)
    if juror is None:
        raise Http404
    juror.edition = edition
    return juror


@login_required
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    juror = _juror_or_404(request, slug)
    return render(request, "contests/jury.html", {"juror": juror, "edition": juror.edition, "assignments": selectors.jury_assignments(juror)})


@login_required
def jury_review(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    juror = _juror_or_404(request, slug)
    assignment = selectors.jury_assignment(juror, submission_id)
    if assignment is None:
        raise Http404
    criteria = list(Criterion.objects.filter(edition=juror.edition))
    review = getattr(assignment, "review", None)
    initial = {s.criterion_id: (s.value, s.comment) for s in review.scores.all()} if review else {}
    form = ReviewForm(request.POST or None, criteria=criteria, initial_scores=initial,
                      initial={"comment": review.comment if review else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(assignment=assignment, user=request.user, scores=form.scores(),
                                 comment=form.cleaned_data["comment"], submit="submit" in request.POST)
        except ValidationError as exc:
            _add_form_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Your review has been saved."))
            return redirect("contests:jury_review", slug, submission_id)
    return render(
        request,
        "contests/jury_review.html",
        {
            "juror": juror, "edition": juror.edition, "assignment": assignment, "submission": assignment.submission,
            "review": review, "form": form, "others": selectors.other_reviews_for(assignment),
            "anonymised": juror.edition.anonymised_review,
        },
    )


@login_required
def jury_conflicts(request: HttpRequest, slug: str) -> HttpResponse:
    juror = _juror_or_404(request, slug)
    form = ConflictForm(request.POST or None, edition=juror.edition)
    if request.method == "POST" and form.is_valid():
        services.conflict_declare(juror=juror, company=form.cleaned_data["company"], reason=form.cleaned_data["reason"])
        messages.success(request, _("Your conflict of interest has been recorded; you will not see that company's projects."))
        return redirect("contests:jury_conflicts", slug)
    conflicts = juror.conflicts.select_related("company")
    return render(request, "contests/jury_conflicts.html", {"juror": juror, "edition": juror.edition, "form": form, "conflicts": conflicts})


# --- Staff deliberation ---------------------------------------------------------------------------------


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
                                   prize=data["prize"], feedback=data["feedback"] or None)
    except ValidationError as exc:
        _flash_errors(request, exc)
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
            messages.success(request, _("%(n)s assignments created.") % {"n": n})
        elif action == "deliberate":
            services.edition_start_deliberation(edition=edition, by=request.user)
            messages.success(request, _("Deliberation has started."))
        elif action == "publish":
            n = services.edition_publish(edition=edition, by=request.user)
            messages.success(request, _("Results published: %(n)s submitters notified.") % {"n": n})
        else:
            raise Http404
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("contests:ranking", slug)
