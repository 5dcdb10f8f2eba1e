"""The admin's history of a record: to read, never to write back.

django-simple-history's "revert" page saves a past version of the whole row through the admin,
around every service: a registration confirmed again while its place is offered to someone else,
a project's decision undone after publication. ``HistoryAdmin`` keeps the history pages (who
changed what, when, and what it said) and refuses the revert — the services' own actions are the
way back.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
