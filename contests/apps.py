from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Connected-object contest")

    def ready(self) -> None:
        from organisations.signals import member_joined
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
        member_joined.connect(_juror_in_conflict_on_joining, dispatch_uid="contests.juror_conflicts_from_membership")
        personal_data.register("contests", export=contest_data.export, erase=contest_data.erase, order=40)
        # Before the account (order 0), which deletes the verified addresses invitations are matched on.
        personal_data.register(
            "contest_invitations", export=contest_data.export_invitations, erase=contest_data.erase_invitations, order=-1
        )
        personal_data.describe(
            "contests", position=30, title=_("The connected-object contest"),
            holds=_("The companies you act for (legal name, SIRET, size figures), the projects you write (texts, files, "
                    "team list), and as a juror your conflicts of interest and your reviews."),
            purpose=_("To run the contest: check eligibility, have the jury review the projects, publish the results."),
            retention=_("As long as your account exists. When it is deleted, your projects go unless they are laureates "
                        "(kept, without your name, as the contest's public record) or colleagues still work on them; "
                        "reviews stay, anonymised, so that the ranking stays honest."),
        )
        personal_data.describe(
            "contest_invitations", position=31, title=_("Invitations to act for a company"),
            holds=_("The address a colleague was invited at, and who invited."),
            purpose=_("So that nobody joins a company without accepting with that address."),
            retention=lambda: _("%(days)s days after the invitation was accepted, declined, revoked or expired, then "
                                "deleted by a daily job.") % {"days": settings.CONTESTS_INVITATION_RETENTION_DAYS},
        )
        dashboard.register_section(
            "contests", title=_("Connected-object contest"), template="contests/_me_section.html",
            context=contest_data.dashboard_context, order=40,
        )
        dashboard.register_todo("contests", items=contest_dashboard.todo_items, order=20)
        dashboard.register_home_block("contests", template="contests/_home_block.html",
                                      context=contest_dashboard.home_context, order=20)


def _juror_in_conflict_on_joining(sender, *, organisation, user, **kwargs) -> None:
    """A juror who joins a company is in conflict with it from then on (same transaction)."""
    from contests.services.jury import juror_conflicts_from_membership

    juror_conflicts_from_membership(user=user, company=organisation)
