from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticConfig(AppConfig):
    name = "diagnostic"
    verbose_name = _("Digital-maturity diagnostic")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from diagnostic import dashboard as diagnostic_dashboard
        from diagnostic import selectors, services, views
        from portal import dashboard, links, personal_data

        personal_data.register(
            "diagnostic", export=services.personal_data_export, erase=services.personal_data_erase, order=60
        )
        personal_data.describe(
            "diagnostic", position=50, title=_("The digital-maturity diagnostic"),
            holds=_("Your answers, your results (scores per dimension, band, path) and your requests to be contacted "
                    "by an expert, with your consent. Without an account, your answers stay in your browser session."),
            purpose=_("To show you where your company stands and what to do next, and, if you ask, to put you in touch "
                      "with a referenced expert of your region (who then sees your result)."),
            retention=_("As long as your account exists; erased with it. The barometer's quarters already published keep "
                        "only anonymous counts and sums in which nobody can be recognised: your anonymous contribution "
                        "stays in them."),
        )
        dashboard.register_section(
            "diagnostic",
            title=_("My digital-maturity diagnostic"),
            template="diagnostic/_me_section.html",
            context=selectors.me_context,
            order=5,
        )
        dashboard.register_home_block("diagnostic", template="diagnostic/_home_cta.html",
                                      context=diagnostic_dashboard.home_context, order=5)
        dashboard.register_todo("diagnostic", items=diagnostic_dashboard.todo_items, order=50)
        links.register_resolver("diagnostic.barometer", views.barometer_link)
        user_logged_in.connect(_attach_session_answers, dispatch_uid="diagnostic.attach_session_answers")


def _attach_session_answers(sender, request, user, **kwargs) -> None:
    """Answers given before logging in (or signing up: the first log-in follows the e-mail
    check) become the account's. A draft that cannot be attached never blocks the log-in."""
    import logging

    from diagnostic.services import SESSION_KEY, response_attach_from_session

    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    try:
        response_attach_from_session(user=user, session=session)
    except Exception:  # noqa: BLE001 — logged; the person logs in all the same
        logging.getLogger(__name__).exception("diagnostic: session answers could not be attached")
        session.pop(SESSION_KEY, None)
