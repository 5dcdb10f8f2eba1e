"""Organisations: register one with its billing details, edit them, invite colleagues (who must accept)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations import rules, selectors, services
from organisations.forms import InvitationForm, OrganisationForm

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False) \
            and target.startswith("/"):
        return target
    return None


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                organisation = services.organisation_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your organisation has been registered."))
                return redirect(_next(request) or reverse("organisations:detail", args=[organisation.pk]))
        status = 400
    return render(request, "organisations/organisation_form.html", {"form": form, "next": _next(request)}, status=status)


def _detail(request, organisation, invitation_form, status=200):
    return render(request, "organisations/organisation_detail.html", {
        "organisation": organisation,
        "members": selectors.members_of(organisation),
        "invitations": selectors.invitations_open_for(organisation),
        "invitation_form": invitation_form,
        "now": timezone.now(),
    }, status=status)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for_member(request.user, pk)
    if organisation is None:
        raise Http404
    return _detail(request, organisation, InvitationForm())


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for_member(request.user, pk)
    if organisation is None:
        raise Http404
    form = OrganisationForm(request.POST or None, instance=organisation)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.organisation_update(organisation=selectors.organisation_get(pk), user=request.user,
                                             **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your organisation has been saved."))
                return redirect("organisations:detail", pk)
        status = 400
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": organisation},
                  status=status)


@login_required
@require_POST
def organisation_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for_member(request.user, pk)
    if organisation is None:
        raise Http404
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(organisation=organisation, user=request.user,
                                                    email=form.cleaned_data["email"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            # The same words whether or not an account uses the address.
            messages.success(request, _("An invitation has been sent to %(email)s. They will join the organisation once "
                                        "they accept it.") % {"email": invitation.email})
            return redirect("organisations:detail", pk)
    return _detail(request, organisation, form, status=400)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organisation = selectors.organisation_for_member(request.user, pk)
    invitation = selectors.invitation_of(organisation, invitation_pk) if organisation else None
    if invitation is None:
        raise Http404
    try:
        services.invitation_revoke(invitation=invitation, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The invitation has been withdrawn: its link no longer works."))
    return redirect("organisations:detail", pk)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to: accept or decline, as the invited address only."""
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    found = selectors.invitation_by_token(token)
    if found is None:
        raise Http404
    context = {"invitation": found, "is_invitee": rules.is_invitee(request.user, found), "status": found.status}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.invitation_accept(token=token, user=request.user)
            elif action == "decline":
                services.invitation_decline(token=token, user=request.user)
            else:
                raise ValidationError(_("Choose to accept or to decline the invitation."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            context["status"] = selectors.invitation_by_token(token).status
            return render(request, "organisations/invitation.html", context, status=400)
        except PermissionDenied:
            raise Http404 from None
        if action == "accept":
            messages.success(request, _("You now act for %(name)s.") % {"name": found.organisation.legal_name})
            return redirect("organisations:detail", found.organisation_id)
        messages.success(request, _("You have declined the invitation."))
        return redirect("me:dashboard")
    return render(request, "organisations/invitation.html", context)
