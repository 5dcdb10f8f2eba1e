"""Thin views: the diagnostic step by step, the result and its path, the public barometer."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diagnostic import barometer as bm
from diagnostic import charts, paths, rules, scoring, selectors, services
from diagnostic.forms import ContactForm, ContextForm, StepForm, field_name
from diagnostic.models import BandCode, ContactRequest, ContactStatus, DimensionCode, Expert, QuestionKind, Response
from diagnostic.services import DiagnosticError
from portal.models import NafSection

QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
LAST_STEP = len(DimensionCode.values)  # step 0 is the company, then one per dimension


# --- Where the visitor stands --------------------------------------------------------------------


@dataclass
class Attempt:
    """A diagnostic being answered: an account's response, or the session's draft."""

    spec: scoring.VersionSpec
    step: int
    context: dict[str, Any]
    answers: dict[int, set[int]]
    public_id: str
    response: Response | None = None
    completed: bool = False
    started_at: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def _attempt(request: HttpRequest) -> Attempt | None:
    if request.user.is_authenticated:
        response = selectors.response_in_progress(user=request.user)
        if response is None:
            return None
        spec = selectors.version_spec(response.version)
        return Attempt(
            spec=spec, step=response.step, response=response, public_id=str(response.public_id),
            context={"sector": response.sector, "size_band": response.size_band,
                     "region": response.region.code if response.region_id else ""},
            answers=selectors.response_answers(response),
        )
    draft = services.draft_get(request.session)
    if draft is None:
        return None
    spec = selectors.version_spec_by_id(draft["version"])
    if spec is None:
        request.session.pop(services.SESSION_KEY, None)
        return None
    return Attempt(
        spec=spec, step=int(draft.get("step") or 0), public_id=str(draft.get("public_id")),
        context=services.draft_context(draft), answers=services.draft_answers(draft), completed=bool(draft.get("completed_at")),
    )


def _step_url(number: int) -> str:
    return reverse("diagnostic:step", args=[number])


# --- Landing and start -----------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    version = selectors.version_published()
    attempt = _attempt(request)
    latest = selectors.latest_result(user=request.user) if request.user.is_authenticated else None
    return render(
        request,
        "diagnostic/index.html",
        {
            "version": version,
            "spec_minutes": version.estimated_minutes if version else None,
            "attempt": attempt if attempt and not attempt.completed else None,
            "anonymous_result": attempt if attempt and attempt.completed else None,
            "latest": latest,
            "dimensions": DimensionCode.choices,
        },
    )


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start (or resume) a diagnostic; a finished one is kept and a new one starts."""
    version = selectors.version_published()
    try:
        if request.user.is_authenticated:
            in_progress = selectors.response_in_progress(user=request.user)
            if in_progress is None and version is None:
                raise DiagnosticError(_("The diagnostic is not open at the moment."))
            response = services.response_start(user=request.user, version=in_progress.version if in_progress else version)
            step = response.step
        else:
            if version is None:
                raise DiagnosticError(_("The diagnostic is not open at the moment."))
            draft = services.draft_start(request.session, version=version)
            step = draft["step"]
    except DiagnosticError as error:
        messages.error(request, error.message)
        return redirect("diagnostic:index")
    return redirect(_step_url(min(step, LAST_STEP)))


# --- One step -------------------------------------------------------------------------------------


def _initial_answers(spec_dimension: scoring.DimensionSpec, answers: dict[int, set[int]]) -> dict[str, Any]:
    initial = {}
    for question in spec_dimension.questions:
        if question.id not in answers:
            continue
        chosen = sorted(answers[question.id])
        initial[field_name(question)] = [str(o) for o in chosen] if question.kind == QuestionKind.MULTI else (str(chosen[0]) if chosen else "")
    return initial


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, number: int) -> HttpResponse:
    attempt = _attempt(request)
    if attempt is None:
        messages.info(request, _("Start the diagnostic here."))
        return redirect("diagnostic:index")
    if attempt.completed:
        return redirect("diagnostic:result", public_id=attempt.public_id)
    spec = attempt.spec
    if not 0 <= number < spec.step_count:
        raise Http404
    last = number == spec.step_count - 1
    data = request.POST if request.method == "POST" else None
    if number == 0:
        form = ContextForm(data, initial=attempt.context)
        dimension = None
    else:
        dimension = spec.dimensions[number - 1]
        form = StepForm(data, dimension=dimension, initial=_initial_answers(dimension, attempt.answers))

    if request.method == "POST":
        valid = form.is_valid()
        try:
            if number == 0 and valid:
                data = form.cleaned_data
                if attempt.response is not None:
                    services.response_save_context(
                        response_id=attempt.response.pk, user=request.user, sector=data["sector"],
                        size_band=data["size_band"], region=data["region"],
                    )
                else:
                    services.draft_save_context(request.session, sector=data["sector"], size_band=data["size_band"], region=data["region"])
            elif number > 0:
                answers = form.valid_answers()
                if answers:  # kept even when another question of the step is missing
                    if attempt.response is not None:
                        services.response_save_answers(response_id=attempt.response.pk, user=request.user, answers=answers, step=number if valid else number - 1)
                    else:
                        services.draft_save_answers(request.session, answers=answers, step=number if valid else number - 1)
            if valid:
                if not last:
                    return redirect(_step_url(number + 1))
                if attempt.response is not None:
                    response = services.response_complete(response_id=attempt.response.pk, user=request.user)
                    messages.success(request, _("Your diagnostic is complete."))
                    return redirect(response.get_absolute_url())
                services.draft_complete(request.session, spec=spec)
                return redirect("diagnostic:result", public_id=attempt.public_id)
        except DiagnosticError as error:
            messages.error(request, error.message)
            return redirect(_step_url(error.step if error.step is not None else number))

    steps = [{"number": 0, "title": _("Your company")}] + [
        {"number": i, "title": d.title} for i, d in enumerate(spec.dimensions, start=1)
    ]
    return render(
        request,
        "diagnostic/step.html",
        {
            "form": form,
            "number": number,
            "display_number": number + 1,
            "step_count": spec.step_count,
            "steps": steps,
            "reached": max(attempt.step, number),
            "dimension": dimension,
            "last": last,
            "spec": spec,
            "anonymous": attempt.response is None,
            "from_profile": number == 0 and request.method == "GET" and all(attempt.context.get(k) for k in ("sector", "size_band", "region")),
        },
        status=200,
    )


# --- The result ------------------------------------------------------------------------------------


def _table_rows(results, previous: dict[str, int] | None = None) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        before = (previous or {}).get(r.code)
        rows.append({
            "label": DimensionCode(r.code).label, "score": r.score, "band_label": BandCode(r.band).label if r.band else "",
            "before": before, "delta": None if before is None else r.score - before,
        })
    return rows


def _chart_rows(results, previous: dict[str, int] | None = None):
    return [
        (r.code, str(DimensionCode(r.code).label), r.score, r.band, (previous or {}).get(r.code))
        for r in results
    ]


def _band_meaning(spec_or_version_id, code: str) -> str:
    from diagnostic.models import Band

    band = Band.objects.filter(version_id=spec_or_version_id, code=code).first()
    return band.meaning if band else ""


def _own_response(request: HttpRequest, public_id) -> Response | None:
    """The response if the visitor may see it; None (a 404, whoever else's it is) otherwise."""
    if not request.user.is_authenticated:
        return None
    response = selectors.response_by_public_id(public_id)
    return response if response is not None and rules.can_see_result(request.user, response) else None


@never_cache
def result(request: HttpRequest, public_id) -> HttpResponse:
    if request.user.is_authenticated:
        response = _own_response(request, public_id)
        if response is not None:
            if not response.is_completed:
                return redirect(_step_url(min(response.step, LAST_STEP)))
            return render(request, "diagnostic/result.html", _result_context(request, response, contact_form=ContactForm()))
    draft = services.draft_get(request.session)
    if draft and draft.get("completed_at") and str(draft.get("public_id")) == str(public_id):
        return _anonymous_result(request, draft)
    raise Http404


def _result_context(request: HttpRequest, response: Response, *, contact_form: ContactForm) -> dict[str, Any]:
    results = list(response.dimension_results.all())
    previous = selectors.previous_result(response)
    previous_scores = {r.code: r.score for r in previous.dimension_results.all()} if previous else None
    path = selectors.path_with_progress(response=response, user=request.user)
    open_request = ContactRequest.objects.filter(
        response=response, status__in=[ContactStatus.NEW, ContactStatus.IN_PROGRESS]
    ).first()
    return {
        "response": response,
        "results": results,
        "chart": charts.bar_chart(_chart_rows(results, previous_scores)),
        "table_rows": _table_rows(results, previous_scores),
        "overall_band_label": BandCode(response.overall_band).label if response.overall_band else "",
        "band_meaning": _band_meaning(response.version_id, response.overall_band),
        "previous": previous,
        "path": path,
        "contact_form": contact_form,
        "open_request": open_request,
        "experts_in_region": Expert.objects.filter(is_active=True, regions=response.region_id).exists() if response.region_id else False,
        "sector_label": NafSection(response.sector).label if response.sector else "",
    }


def _anonymous_result(request: HttpRequest, draft: dict) -> HttpResponse:
    spec = selectors.version_spec_by_id(draft["version"])
    if spec is None:
        raise Http404
    answers = services.draft_answers(draft)
    card = scoring.score_card(spec, answers)
    planned = paths.plan(spec=spec, card=card, answers=answers, rules=selectors.active_rules())
    advice = [p for p in planned if p.kind == "advice"]
    lang_en = request.LANGUAGE_CODE == "en"
    band = spec.band(card.band)
    result_url = reverse("diagnostic:result", args=[draft["public_id"]])
    return render(
        request,
        "diagnostic/result_anonymous.html",
        {
            "card": card,
            "chart": charts.bar_chart(_chart_rows(card.dimensions)),
            "table_rows": _table_rows(card.dimensions),
            "overall_band_label": BandCode(card.band).label if card.band else "",
            "band_meaning": band.meaning if band else "",
            "advice": [
                {"dimension": DimensionCode(p.dimension).label if p.dimension else "", "text": (p.text_en if lang_en and p.text_en else p.text_fr)}
                for p in advice
            ],
            "waiting": len(planned) - len(advice),
            "result_url": result_url,
        },
    )


@never_cache
@require_GET
def report_pdf(request: HttpRequest, public_id) -> HttpResponse:
    from diagnostic.pdf import result_pdf

    response = _own_response(request, public_id)
    if response is None or not response.is_completed:
        raise Http404
    context = _result_context(request, response, contact_form=ContactForm())
    data = result_pdf(context=context, user=request.user)
    http = HttpResponse(data, content_type="application/pdf")
    http["Content-Disposition"] = f'attachment; filename="diagnostic-{timezone.localtime(response.completed_at):%Y-%m-%d}.pdf"'
    return http


@require_POST
def contact(request: HttpRequest, public_id) -> HttpResponse:
    response = _own_response(request, public_id)
    if response is None:
        raise Http404
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_request_create(
                response=response, user=request.user, consent=form.cleaned_data["consent"],
                phone=form.cleaned_data["phone"], message=form.cleaned_data["message"],
            )
        except DiagnosticError as error:
            messages.error(request, error.message)
            return redirect(response.get_absolute_url() + "#contact")
        messages.success(request, _("Your request has been sent: a referenced expert of your region will contact you."))
        return redirect(response.get_absolute_url() + "#contact")
    return render(request, "diagnostic/result.html", _result_context(request, response, contact_form=form))


# --- The barometer ---------------------------------------------------------------------------------


def barometer_link(key: str):
    """Resolver for ``portal.links`` kind ``diagnostic.barometer`` (measure #3 links to it)."""
    from portal.links import ResolvedLink

    return ResolvedLink(label=_("The barometer of companies' digital maturity"), url=reverse("diagnostic:barometer"))


@dataclass(frozen=True)
class MeasureRow:
    code: str
    label: str
    average: float | None
    width: int
    y: int


# Frozen quarters never change: the page's body (no per-person content) is cached per quarter,
# measure and language, under a key that changes with the list of frozen quarters (a new quarter
# adds a trend point); region names edited by staff show within the hour.
BAROMETER_CACHE_SECONDS = 3600


def _frozen_key(frozen) -> str:
    marker = "|".join(f"{f.pk}:{f.computed_at:.0f}" for f in frozen)
    return hashlib.sha256(marker.encode()).hexdigest()[:16]


def barometer(request: HttpRequest) -> HttpResponse:
    frozen = selectors.snapshots_frozen()
    asked = request.GET.get("quarter", "")
    shown = None
    if asked and QUARTER.match(asked):
        shown = next((f.pk for f in frozen if f.quarter == asked), None)
        if shown is None:
            older = selectors.snapshot_by_quarter(asked)  # beyond the list's 40 quarters
            if older is None:
                raise Http404
            shown = older.pk
    elif frozen:
        shown = frozen[0].pk
    measure = request.GET.get("measure", bm.OVERALL)
    if measure not in selectors.MEASURES:
        measure = bm.OVERALL
    key = f"diagnostic:barometer:{get_language()}:{shown or 0}:{measure}:{_frozen_key(frozen)}"
    body = cache.get(key)
    if body is None:
        snapshots = list(selectors.snapshots_by_pk([f.pk for f in frozen] + ([shown] if shown else [])).values())
        snapshots.sort(key=lambda s: s.starts_on, reverse=True)
        snapshot = next((s for s in snapshots if s.pk == shown), None)
        body = render_to_string("diagnostic/_barometer_body.html", _barometer_context(
            [s for s in snapshots if s.pk in {f.pk for f in frozen}], snapshot, measure))
        cache.set(key, body, BAROMETER_CACHE_SECONDS)
    # our own template, rendered from stored figures and escaped labels
    return render(request, "diagnostic/barometer.html", {"body": mark_safe(body)})


def _barometer_context(snapshots, snapshot, measure: str) -> dict[str, Any]:
    context: dict[str, Any] = {
        "snapshots": snapshots,
        "snapshot": snapshot,
        "measure": measure,
        "measure_label": selectors.measure_label(measure),
        "measures": [(m, selectors.measure_label(m)) for m in selectors.MEASURES],
        "license": bm.LICENSE,
        "license_name": bm.LICENSE_NAME,
        "license_url": bm.LICENSE_URL,
        "threshold": bm.THRESHOLD,
    }
    if snapshot is None:
        return context
    data = selectors.snapshot_barometer(snapshot)
    labels = selectors.category_labels()
    titles = {"region": _("By region"), "sector": _("By sector of activity (NAF section)"), "size": _("By headcount")}
    tables = []
    for table in data.tables:
        tables.append({
            "variable": table.variable,
            "title": titles[table.variable],
            "rows": [
                {"label": labels.get((table.variable, c.category), c.category), "respondents": c.respondents,
                 "sum": c.sums.get(measure), "average": c.average(measure)}
                for c in table.cells
                if c.respondents != 0
            ],
            "empty": [labels.get((table.variable, c.category), c.category) for c in table.cells if c.respondents == 0],
            "total": {"respondents": table.total.respondents, "sum": table.total.sums.get(measure), "average": table.total.average(measure)},
        })
    total = data.tables[0].total if data.tables else None
    rows = []
    for i, m in enumerate(selectors.MEASURES):
        average = total.average(m) if total else None
        rows.append(MeasureRow(code=m, label=selectors.measure_label(m), average=average,
                               width=round(charts.BAR_MAX * (average or 0) / 100), y=i * charts.ROW))
    context.update({"data": data, "tables": tables, "measure_rows": rows, "chart_height": len(rows) * charts.ROW,
                    "chart_width": charts.WIDTH, "bar_x": charts.BAR_X, "bar_max": charts.BAR_MAX, "trend": selectors.trend(snapshots=snapshots)})
    return context


def _snapshot_or_404(quarter: str):
    if not QUARTER.match(quarter):
        raise Http404
    snapshot = selectors.snapshot_by_quarter(quarter)
    if snapshot is None:
        raise Http404
    return snapshot


def _licensed(http: HttpResponse) -> HttpResponse:
    http["Link"] = f'<{bm.LICENSE_URL}>; rel="license"'
    return http


@require_GET
def barometer_csv(request: HttpRequest, quarter: str) -> HttpResponse:
    snapshot = _snapshot_or_404(quarter)
    key = f"diagnostic:barometer-csv:{get_language()}:{snapshot.pk}:{snapshot.computed_at.timestamp():.0f}"
    text = cache.get(key)
    if text is None:
        text = bm.to_csv(selectors.snapshot_barometer(snapshot), selectors.category_labels())
        cache.set(key, text, BAROMETER_CACHE_SECONDS)
    http = HttpResponse(text, content_type="text/csv; charset=utf-8")
    http["Content-Disposition"] = f'attachment; filename="barometre-numerique-{snapshot.quarter}.csv"'
    return _licensed(http)


@require_GET
def barometer_json(request: HttpRequest, quarter: str) -> HttpResponse:
    snapshot = _snapshot_or_404(quarter)
    data = bm.to_json(
        selectors.snapshot_barometer(snapshot), selectors.category_labels(),
        meta={"first_day": snapshot.starts_on.isoformat(), "last_day": snapshot.ends_on.isoformat(),
              "computed_at": snapshot.computed_at.isoformat(), "source": settings.PORTAL_BASE_URL + reverse("diagnostic:barometer")},
    )
    http = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    http["Content-Disposition"] = f'inline; filename="barometre-numerique-{snapshot.quarter}.json"'
    return _licensed(http)


# --- Staff: preview as a respondent ------------------------------------------------------------------


@require_GET
def preview(request: HttpRequest, version_id: int) -> HttpResponse:
    if not rules.can_preview(request.user):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    spec = selectors.version_spec_by_id(version_id)
    if spec is None:
        raise Http404
    return render(
        request,
        "diagnostic/preview.html",
        {
            "spec": spec,
            "context_form": ContextForm(),
            "step_forms": [(d, StepForm(dimension=d)) for d in spec.dimensions],
        },
    )
