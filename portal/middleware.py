import re

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

# What a staff member without a second factor may still reach: setting one up (allauth's
# pages, with the reauthentication they ask for), logging out, the language switcher, the
# health probe and one-click unsubscribe links. Everything else, in any language.
_MFA_EXEMPT = re.compile(r"^/(?:en/)?accounts/|^/i18n/|^/healthz$|^/(?:en/)?unsubscribe/|^/static/")


class StaffMFARequiredMiddleware:
    """In production, staff (and superusers) use the portal only once a second factor (TOTP) is set up.

    Not only ``/admin/``: staff also act in front-end pages (contest deliberation, measure
    updates, MOOC drafts), so every path outside ``_MFA_EXEMPT`` is guarded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.PORTAL_STAFF_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and (user.is_staff or user.is_superuser)
            and not _MFA_EXEMPT.match(request.path_info)
            and not is_mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every page served to a logged-in person is theirs (Mon espace, the data download, the header
    with their name): ``Cache-Control: private, no-store`` keeps it out of shared and browser caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def body_limit_for(path: str) -> tuple[str, int]:
    """(kind, bytes) of the largest request body a path accepts: the first of
    ``settings.PORTAL_REQUEST_BODY_LIMITS`` whose pattern matches (the last one matches all)."""
    for kind, pattern, limit in _compiled_limits():
        if pattern.match(path):
            return kind, limit
    raise LookupError(path)


_COMPILED: list = []


def _compiled_limits():
    if not _COMPILED or _COMPILED[0][0] is not settings.PORTAL_REQUEST_BODY_LIMITS:
        _COMPILED[:] = [(settings.PORTAL_REQUEST_BODY_LIMITS, [
            (kind, re.compile(pattern), limit) for kind, pattern, limit in settings.PORTAL_REQUEST_BODY_LIMITS
        ])]
    return _COMPILED[0][1]


class RequestBodyLimitMiddleware:
    """Refuse a request whose announced body is larger than its kind of view accepts (forms small,
    uploads by their kind's limit, staff imports and videos larger), with 413 and before a byte of
    it is read: CSRF, sessions and the form parser would otherwise read it all first. The proxy
    (deploy/Caddyfile) holds the same limits, and also cuts bodies sent without a length."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            kind, limit = body_limit_for(request.path_info)
            if length > limit:
                return _too_large(request, kind, limit)
        return self.get_response(request)


def _too_large(request, kind: str, limit: int):
    from django.shortcuts import render

    # No "Connection: close" (a hop-by-hop header WSGI forbids): gunicorn's sync workers close
    # every connection anyway, and the proxy never forwards a body above these limits.
    return render(request, "413.html", {"limit_mb": max(1, limit // (1024 * 1024)), "kind": kind}, status=413)
