"""Companies: register, edit, see eligibility in plain words, add colleagues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from contests import selectors, services
from contests.eligibility import company_eligibility
from contests.forms import (
    CompanyForm,
)
from contests.models import Phase
from contests.views.common import add_form_errors, flash_errors


@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
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
        },
    )


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
            flash_errors(request, exc)
        else:
            messages.success(request, _("Your company has been saved."))
            return redirect("contests:company_detail", company.pk)
    return render(request, "contests/company_form.html", {"form": form, "company": company})
