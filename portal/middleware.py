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
