"""Projects: drafts, submission, withdrawal, the printable summary, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contests import rules, selectors, services
from contests.eligibility import company_eligibility
from contests.forms import (
    AttachmentForm,
    SubmissionForm,
)
from contests.models import Attachment, SubmissionState
from contests.views.common import add_form_errors, flash_errors


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
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Your draft has been saved. It is not submitted yet."))
            return redirect("contests:submission_edit", submission.pk)
    return render(request, "contests/submission_form.html", {"form": form, "edition": edition, "company": company})


@login_required
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for_member(request.user, pk)
    if submission is None:
        raise Http404
    editable = rules.project_is_editable(request.user, submission)
    form = SubmissionForm(request.POST or None, instance=submission, edition=submission.edition)
    if request.method == "POST":
        if not editable:
            if submission.edition.is_past_deadline_at(timezone.now()):
                messages.error(request, _("The deadline has passed: projects can no longer be changed."))
            else:
                messages.error(request, _("This project can no longer be changed."))
            return redirect("contests:submission_detail", submission.pk)
        if form.is_valid():
            try:
                # The draft is saved first, in its own transaction: a refused submit never loses it.
                submission = services.submission_update(submission=submission, user=request.user, **form.service_fields())
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                if "submit" in request.POST and submission.state == SubmissionState.DRAFT:
                    try:
                        services.submission_submit(submission=submission, user=request.user)
                    except ValidationError as exc:
                        messages.info(request, _("Your draft has been saved."))
                        flash_errors(request, exc)
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
        flash_errors(request, exc)
        return redirect("contests:submission_edit", submission.pk)
    messages.success(request, _("Your project has been submitted. A receipt has been sent to you by e-mail."))
    return redirect("contests:submission_detail", submission.pk)


@login_required
@require_http_methods(["GET", "POST"])
def submission_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what withdrawing means (final, the jury never sees the project); POST: withdraw."""
    submission = selectors.submission_for_member(request.user, pk)
    if submission is None:
        raise Http404
    if not rules.project_can_be_withdrawn(request.user, submission):
        if request.method == "GET":
            raise Http404  # a stale confirmation page: nothing left to confirm
        messages.error(request, _("This project can no longer be withdrawn."))
        return redirect("contests:submission_detail", submission.pk)
    if request.method == "GET":
        return render(request, "contests/submission_withdraw.html", {"submission": submission, "edition": submission.edition})
    try:
        services.submission_withdraw(submission=submission, user=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Your project has been withdrawn."))
    return redirect("contests:submission_detail", submission.pk)


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable summary of what was submitted (also the receipt's link)."""
    submission = selectors.submission_for_member(request.user, pk)
    if submission is None:
        raise Http404
    return render(
        request,
        "contests/submission_detail.html",
        {"submission": submission, "edition": submission.edition,
         "show_result": rules.result_is_public(request.user, submission),
         "editable": rules.project_is_editable(request.user, submission),
         "withdrawable": rules.project_can_be_withdrawn(request.user, submission)},
    )


# Upload results are shown beside the upload form (contests/submission_form.html), not at the top.
ATTACHMENTS = "attachments"


def _to_attachments(pk: int) -> HttpResponse:
    return redirect(reverse("contests:submission_edit", args=[pk]) + "#files")


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
                messages.error(request, e, extra_tags=ATTACHMENTS)
        return _to_attachments(submission.pk)
    try:
        services.attachment_add(submission=submission, user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
    except ValidationError as exc:
        flash_errors(request, exc, extra_tags=ATTACHMENTS)
    else:
        messages.success(request, _("The file has been added."), extra_tags=ATTACHMENTS)
    return _to_attachments(submission.pk)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("submission__edition"), pk=pk)
    if not rules.can_edit_submission(request.user, attachment.submission):
        raise Http404
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except ValidationError as exc:
        flash_errors(request, exc, extra_tags=ATTACHMENTS)
    else:
        messages.success(request, _("The file has been removed."), extra_tags=ATTACHMENTS)
    return _to_attachments(attachment.submission_id)


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
