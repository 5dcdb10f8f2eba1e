from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from portal.notifications.kinds import NotificationKind, register_kind

        register_kind(NotificationKind(code="organisations.invitation", label=_("Invitation to act for an organisation"),
                                       optional=False, template="organisations/emails/invitation"))
