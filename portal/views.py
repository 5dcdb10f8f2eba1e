from __future__ import annotations

import json
import sys

from django import db
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from portal import dashboard, health, page_cache, personal_data
from portal.apps import PARTNERS_NAMESPACE
from portal.forms import AccountDeleteForm, NotificationPreferencesForm, ProfileForm
from portal.models import Notification, NotificationPreference, Partner
from portal.notifications import services as notification_services
from portal.services import profile_for, profile_update, user_language_set

HOME_TODO_LIMIT = 3


def home(request: HttpRequest) -> HttpResponse:
    """The programme alive: each app's block (next trips, the contest's phase, the courses, the
    measures' progress), their key figures, the partners; a logged-in visitor's next steps."""
    blocks = dashboard.home_blocks(request)
    todos = dashboard.todo_items(request) if request.user.is_authenticated else []
    return render(request, "portal/home.html", {
        "blocks": blocks,
        "figures": [b.data["figure"] for b in blocks if b.data.get("figure")],
        "todos": todos[:HOME_TODO_LIMIT],
        "more_todos": len(todos) > HOME_TODO_LIMIT,
        "partners_html": page_cache.fragment(PARTNERS_NAMESPACE, ("home-partners",), lambda: render_to_string(
            "portal/_home_partners.html", {"partners": list(Partner.objects.order_by("name"))})),
    })


def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/legal.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@staff_member_required
def styleguide(request: HttpRequest) -> HttpResponse:
    """The design system's components, as the pages use them (staff only)."""
    from portal.forms import StyleguideForm

    form = StyleguideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()  # shows the error summary and the errors as a real form would
    return render(request, "portal/styleguide.html", {"form": form})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("favicon.ico"), permanent=True)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also saves the choice on the account (notifications)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response


def privacy(request: HttpRequest) -> HttpResponse:
    """What each part of the portal keeps, why and for how long: written from the personal-data
    registry (an app that registers data without describing it makes this page fail its test)."""
    return render(request, "portal/privacy.html", {"notices": [notice for _key, notice in personal_data.notices()]})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db = health.database_ok()
    broker = health.broker_status()
    healthy = db and broker in ("ok", "eager")
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "database": "ok" if db else "down", "broker": broker},
        status=200 if healthy else 503,
    )


# --- Errors ---------------------------------------------------------------------------------------


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that cannot be reached (connection refused, cut, timed out) is a
    503 with its own page and a Retry-After, whatever raised it (a view, a middleware loading the
    session); anything else is Django's 500. Called while the exception is being handled."""
    if isinstance(sys.exc_info()[1], (db.OperationalError, db.InterfaceError)):
        return service_unavailable(request)
    return defaults.server_error(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    # A bare render: context processors would ask the database (the unread notifications count).
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response


def _safe_next(request: HttpRequest, default: str) -> str:
    """``next`` when it is a path on this site (``/…``), else ``default``: never another host, and
    never a bare word, which ``redirect()`` would try as a view name (a 500 after saving)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return target
    return default


# --- Mon espace ----------------------------------------------------------------------------


@login_required
def me_dashboard(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    sections = [
        {"key": s.key, "title": s.title, "template": s.template, "context": s.context(request)}
        for s in dashboard.sections()
    ]
    latest = Notification.objects.in_inbox_of(request.user).order_by("-created_at", "-id")[:5]
    return render(
        request,
        "me/dashboard.html",
        {"profile": profile, "sections": sections, "latest_notifications": latest,
         "todos": dashboard.todo_items(request)},
    )


@login_required
def me_profile(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile_update(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            organisation=data["organisation"],
            job_title=data["job_title"],
            audience=data["audience"],
            region=data["region"],
            company_size=data["company_size"],
            sector=data["sector"],
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect(_safe_next(request, "me:dashboard"))
    return render(request, "me/profile.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def me_notifications(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.in_inbox_of(request.user).order_by("-created_at", "-id")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "me/notifications.html", {"page": page})


@login_required
def me_notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.in_inbox_of(request.user), pk=pk)
    notification_services.notification_mark_read(user=request.user, notification_id=notification.pk)
    if request.method == "POST" or not notification.link:
        return render(request, "me/notification_detail.html", {"notification": notification})
    return redirect(notification.link)


@login_required
@require_POST
def me_notifications_read_all(request: HttpRequest) -> HttpResponse:
    notification_services.notification_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("me:notifications")


@login_required
def me_preferences(request: HttpRequest) -> HttpResponse:
    enabled = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "email_enabled"))
    form = NotificationPreferencesForm(request.POST if request.method == "POST" else None, enabled=enabled)
    if request.method == "POST" and form.is_valid():
        for kind, value in form.cleaned_data.items():
            notification_services.preference_set(user=request.user, kind=kind, email_enabled=value)
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect("me:preferences")
    return render(request, "me/preferences.html", {"form": form})


@login_required
def me_data(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = personal_data.user_data_export(request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="medef-numerique-mes-donnees-{stamp}.json"'
        return response
    return render(request, "me/data.html", {"entries": personal_data.entries()})


@login_required
@require_http_methods(["GET", "POST"])
def me_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        personal_data.user_account_delete(user)  # all or nothing: stay logged in if it fails
        logout(request)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("home")
    return render(request, "me/delete.html", {"form": form})


# --- Unsubscribe (one click, RFC 8058) ------------------------------------------------------


@csrf_exempt  # the signed token is the credential; mail clients POST without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "portal/unsubscribe.html", {"token": token, "done": False})
    result = notification_services.unsubscribe_by_token(token)
    if result is None:
        return render(request, "portal/unsubscribe.html", {"invalid": True}, status=400)
    _user, kind = result
    return render(request, "portal/unsubscribe.html", {"done": True, "kind": kind})
