"""The measures on the home page: where the 19 stand."""

from django.utils.translation import gettext as _

from measures import selectors


def home_context(request) -> dict | None:
    summary = selectors.measure_summary()
    if not summary.total:
        return None
    return {"summary": summary, "figure": (f"{summary.overall_progress} %", _("overall progress of the 19 measures"))}
