from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect


class StaffMFARequiredMiddleware:
    """In production, staff reach the admin only once a second factor (TOTP) is set up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.PORTAL_STAFF_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith("/admin/")
            and not is_mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
