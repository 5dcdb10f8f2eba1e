from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("The 19 measures")

    def ready(self) -> None:
        from measures import selectors, services
        from measures.dashboard import home_context
        from portal import dashboard, personal_data
        from portal.notifications.kinds import NotificationKind, register_kind

        register_kind(
            NotificationKind(
                code=services.UPDATE_KIND,
                label=_("News of a measure I follow"),
                optional=True,
                template="measures/emails/update",
            )
        )
        register_kind(
            NotificationKind(
                code=services.DIGEST_KIND,
                label=_("Weekly digest of the measures I follow"),
                optional=True,
                template="measures/emails/digest",
            )
        )
        personal_data.register(
            "measures", export=services.personal_data_export, erase=services.personal_data_erase, order=50
        )
        personal_data.describe(
            "measures", position=40, title=_("The 19 measures"),
            holds=_("The measures you support and follow, and how often you want their news."),
            purpose=_("To count the supporters of each measure and to send you the updates you asked for."),
            retention=_("As long as you support or follow a measure; deleted with your account."),
        )
        dashboard.register_section(
            "measures",
            title=_("The 19 measures"),
            template="measures/_me_section.html",
            context=lambda request: selectors.measures_of_user(user=request.user),
            order=40,
        )
        # portal.page_cache: what the measures' cached pages show (supports are counted there too:
        # their services call page_cache.changed, withdrawing being a QuerySet.update)
        from measures.models import Measure, MeasureUpdate, Milestone, Origin, RelatedLink, Support, UpdateLink
        from portal import page_cache

        page_cache.changes_with("measures", Measure, MeasureUpdate, UpdateLink, Milestone, RelatedLink, Origin, Support)
        dashboard.register_home_block("measures", template="measures/_home_block.html", context=home_context, order=40,
                                      cached_in=("measures",))
