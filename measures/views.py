from __future__ import annotations

import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from measures import rules, selectors, services
from measures.forms import FollowForm, MeasureFilterForm
from measures.models import MEASURE_COUNT, Measure
from portal import page_cache

NAMESPACE = "measures"  # portal.page_cache: bumped by every write the measures' pages show (measures.apps)


def index(request: HttpRequest) -> HttpResponse:
    """The list and its summary come from the page cache (nothing of the viewer's in them)."""
    origins = selectors.origin_list()
    form = MeasureFilterForm(request.GET or None, origins=origins)
    origin_code = status = ""
    if form.is_bound and form.is_valid():
        origin_code = form.cleaned_data["origin"]
        status = form.cleaned_data["status"]

    def render_body() -> str:
        measures = selectors.measure_list_public(origin_code=origin_code, status=status)
        return render_to_string("measures/_index_body.html", {
            "form": form,
            "groups": selectors.group_by_origin(measures),
            "filtered": bool(origin_code or status),
            "summary": selectors.measure_summary(),
        })

    if form.is_bound and not form.is_valid():
        body = render_body()  # the errors are this request's: never kept
    else:
        body = page_cache.fragment(NAMESPACE, ("index", origin_code, status), render_body)
    return render(request, "measures/index.html", {"body": body})


def _plain_measure_or_404(number: int) -> Measure:
    if not 1 <= number <= MEASURE_COUNT:
        raise Http404
    measure = Measure.objects.filter(number=number).first()
    if measure is None:
        raise Http404
    return measure


def detail(request: HttpRequest, number: int) -> HttpResponse:
    """The measure's public parts come from the page cache; the participation block (the
    viewer's support and follow) is rendered for each request between them."""
    if not 1 <= number <= MEASURE_COUNT:
        raise Http404

    def render_parts() -> str:
        measure = selectors.measure_detail_public(number=number)
        if measure is None:
            return ""
        context = {
            "measure": measure,
            "related_links": selectors.related_links_resolved(measure=measure),
            "updates": list(measure.updates.all()),
            "milestones": list(measure.milestones.all()),
        }
        head = render_to_string("measures/_detail_head.html", context)
        tail = render_to_string("measures/_detail_tail.html", context)
        return json.dumps({"pk": measure.pk, "supporters": measure.supporters_count, "title": measure.short_title,
                           "head": head, "tail": tail})

    cached = page_cache.fragment(NAMESPACE, ("detail", number), render_parts)
    if not cached:
        raise Http404
    parts = json.loads(cached)
    participation = selectors.participation_for(measure=parts["pk"], user=request.user)
    follow_form = FollowForm(initial={"frequency": participation.follow.frequency} if participation.follow else None)
    offer_support = request.GET.get("support") == "offer" and not participation.supporting
    offer_path = quote(reverse("measures:detail", args=[number]) + "?support=offer", safe="/")
    return render(
        request,
        "measures/detail.html",
        {
            "number": number,
            "title": parts["title"],
            "supporters_count": parts["supporters"],
            "head": mark_safe(parts["head"]),  # noqa: S308 - our templates' output, kept by page_cache
            "tail": mark_safe(parts["tail"]),  # noqa: S308 - idem
            "participation": participation,
            "follow_form": follow_form,
            "offer_support": offer_support,
            "login_url": reverse("account_login") + "?next=" + offer_path,
        },
    )


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
