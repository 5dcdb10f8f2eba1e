from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARTNERS_NAMESPACE = "portal.partners"


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import checks, page_cache, personal_data_portal, signals  # noqa: F401  (registrations)
        from .models import Partner

        page_cache.changes_with(PARTNERS_NAMESPACE, Partner)  # the home page's partners
