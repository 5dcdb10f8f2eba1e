"""Companies: register, edit, see eligibility in plain words, invite colleagues (who must accept)."""

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
from contests.eligibility import company_eligibility
from contests.forms import (
    CompanyForm,
    InvitationForm,
)
from contests.views.common import TOKEN_RE, add_form_errors, flash_errors
from organisations.models import Invitation


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


def _company_detail(request: HttpRequest, company, invitation_form: InvitationForm, status: int = 200) -> HttpResponse:
    edition = selectors.edition_current()
    can_start = bool(edition and edition.accepts_drafts_at(timezone.now()))
    return render(
        request,
        "contests/company_detail.html",
        {
            "invitation_form": invitation_form,
            "invitations": selectors.invitations_open_for_company(company),
            "now": timezone.now(),
            "company": company,
            "eligibility": company_eligibility(company),
            "edition": edition,
            "can_start": can_start,
            "submissions": list(company.submissions.select_related("edition", "theme").order_by("-created_at")),
            "members": list(company.memberships.select_related("user").order_by("created_at")),
        },
        status=status,
    )


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_for_member(request.user, pk)
    if company is None:
        raise Http404
    return _company_detail(request, company, InvitationForm())


@login_required
@require_POST
def company_invite(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_for_member(request.user, pk)
    if company is None:
        raise Http404
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.company_invitation_create(company=company, user=request.user, email=form.cleaned_data["email"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            # The same words whether or not an account uses the address.
            messages.success(
                request, _("An invitation has been sent to %(email)s. They will join the company once they accept it.")
                % {"email": invitation.email},
            )
            return redirect("contests:company_detail", company.pk)
    return _company_detail(request, company, form, status=400)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    company = selectors.company_for_member(request.user, pk)
    invitation = selectors.invitation_for_company(company, invitation_pk) if company else None
    if invitation is None:
        raise Http404
    try:
        services.company_invitation_revoke(invitation=invitation, user=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The invitation has been withdrawn: its link no longer works."))
    return redirect("contests:company_detail", company.pk)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to: accept or decline, as the invited address only."""
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise Http404
    is_invitee = rules.is_invitee(request.user, invitation)
    context = {"invitation": invitation, "is_invitee": is_invitee, "status": invitation.status}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.company_invitation_accept(token=token, user=request.user)
            elif action == "decline":
                services.company_invitation_decline(token=token, user=request.user)
            else:
                raise ValidationError(_("Choose to accept or to decline the invitation."))
        except ValidationError as exc:
            flash_errors(request, exc)
            context["status"] = Invitation.objects.get(pk=invitation.pk).status
            return render(request, "contests/invitation.html", context, status=400)
        except PermissionDenied:
            raise Http404 from None
        if action == "accept":
            messages.success(request, _("You now act for %(company)s.") % {"company": invitation.organisation.legal_name})
            return redirect("contests:company_detail", invitation.organisation_id)
        messages.success(request, _("You have declined the invitation."))
        return redirect("me:dashboard")
    return render(request, "contests/invitation.html", context)


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
