from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from measures import rules, selectors, services
from measures.forms import FollowForm, MeasureFilterForm
from measures.models import MEASURE_COUNT, Measure


def index(request: HttpRequest) -> HttpResponse:
    origins = selectors.origin_list()
    form = MeasureFilterForm(request.GET or None, origins=origins)
    origin_code = status = ""
    if form.is_bound and form.is_valid():
        origin_code = form.cleaned_data["origin"]
        status = form.cleaned_data["status"]
    measures = selectors.measure_list_public(origin_code=origin_code, status=status)
    return render(
        request,
        "measures/index.html",
        {
            "form": form,
            "groups": selectors.group_by_origin(measures),
            "filtered": bool(origin_code or status),
            "summary": selectors.measure_summary(),
        },
    )


def _measure_or_404(number: int) -> Measure:
    if not 1 <= number <= MEASURE_COUNT:
        raise Http404
    measure = selectors.measure_detail_public(number=number)
    if measure is None:
        raise Http404
    return measure


def _plain_measure_or_404(number: int) -> Measure:
    if not 1 <= number <= MEASURE_COUNT:
        raise Http404
    measure = Measure.objects.filter(number=number).first()
    if measure is None:
        raise Http404
    return measure


def detail(request: HttpRequest, number: int) -> HttpResponse:
    measure = _measure_or_404(number)
    participation = selectors.participation_for(measure=measure, user=request.user)
    follow_form = FollowForm(initial={"frequency": participation.follow.frequency} if participation.follow else None)
    offer_support = request.GET.get("support") == "offer" and not participation.supporting
    return render(
        request,
        "measures/detail.html",
        {
            "measure": measure,
            "related_links": selectors.related_links_resolved(measure=measure),
            "updates": list(measure.updates.all()),
            "milestones": list(measure.milestones.all()),
            "participation": participation,
            "follow_form": follow_form,
            "offer_support": offer_support,
            "login_url": reverse("account_login") + "?next=" + _offer_path(measure),
        },
    )


def _offer_path(measure: Measure) -> str:
    from urllib.parse import quote

    return quote(measure.get_absolute_url() + "?support=offer", safe="/")


def _login_then_offer(request: HttpRequest, measure: Measure) -> HttpResponse:
    return redirect_to_login(measure.get_absolute_url() + "?support=offer")


@require_http_methods(["GET", "POST"])
def support(request: HttpRequest, number: int) -> HttpResponse:
    measure = _plain_measure_or_404(number)
    if not rules.can_participate(request.user):
        return _login_then_offer(request, measure)
    if request.method == "GET":  # e.g. back from the login page: offer, never act on a GET
        return redirect(measure.get_absolute_url() + "?support=offer")
    services.measure_support(measure=measure, user=request.user)
    messages.success(request, _("Thank you: you support measure #%(number)s.") % {"number": measure.number})
    return redirect(measure)


@require_http_methods(["POST"])
def withdraw(request: HttpRequest, number: int) -> HttpResponse:
    measure = _plain_measure_or_404(number)
    if not rules.can_participate(request.user):
        return redirect_to_login(measure.get_absolute_url())
    services.measure_support_withdraw(measure=measure, user=request.user)
    messages.success(request, _("You no longer support measure #%(number)s.") % {"number": measure.number})
    return redirect(measure)


@require_http_methods(["POST"])
def follow(request: HttpRequest, number: int) -> HttpResponse:
    measure = _plain_measure_or_404(number)
    if not rules.can_participate(request.user):
        return redirect_to_login(measure.get_absolute_url())
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how often you want to hear about this measure."))
        return redirect(measure)
    services.measure_follow(measure=measure, user=request.user, frequency=form.cleaned_data["frequency"])
    messages.success(request, _("You follow measure #%(number)s.") % {"number": measure.number})
    return redirect(measure)


@require_http_methods(["POST"])
def unfollow(request: HttpRequest, number: int) -> HttpResponse:
    measure = _plain_measure_or_404(number)
    if not rules.can_participate(request.user):
        return redirect_to_login(measure.get_absolute_url())
    services.measure_unfollow(measure=measure, user=request.user)
    messages.success(request, _("You no longer follow measure #%(number)s.") % {"number": measure.number})
    return redirect(measure)
