from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Connected-object contest")

    def ready(self) -> None:
        from portal import dashboard, personal_data
        from portal.notifications.kinds import NotificationKind, register_kind

        from . import dashboard as contest_dashboard
        from . import personal_data as contest_data

        for code, label, optional in [
            ("submission_received", _("Contest: receipt of a submitted project"), False),
            ("submission_withdrawn", _("Contest: project withdrawn"), False),
            ("submission_under_review", _("Contest: project under review"), True),
            ("draft_reminder", _("Contest: reminder of an unsubmitted draft"), True),
            ("jury_invitation", _("Contest: invitation to the jury"), False),
            ("company_invitation", _("Contest: invitation to act for a company"), False),
            ("review_reminder", _("Contest: reminder of reviews to finish"), True),
            ("result_laureate", _("Contest: you are a laureate"), False),
            ("result_not_retained", _("Contest: project not retained"), False),
        ]:
            register_kind(NotificationKind(code=f"contests.{code}", label=label, optional=optional, template=f"contests/emails/{code}"))
        personal_data.register("contests", export=contest_data.export, erase=contest_data.erase, order=40)
        # Before the account (order 0), which deletes the verified addresses invitations are matched on.
        personal_data.register(
            "contest_invitations", export=contest_data.export_invitations, erase=contest_data.erase_invitations, order=-1
        )
        dashboard.register_section(
            "contests", title=_("Connected-object contest"), template="contests/_me_section.html",
            context=contest_data.dashboard_context, order=40,
        )
        dashboard.register_todo("contests", items=contest_dashboard.todo_items, order=20)
        dashboard.register_home_block("contests", template="contests/_home_block.html",
                                      context=contest_dashboard.home_context, order=20)
