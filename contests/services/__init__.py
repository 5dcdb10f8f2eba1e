"""Every write of the contest, one function per use case (the docstring says the rule).

- :mod:`.submissions` — drafts, edits, attachments, the one state-transition door, deadlines;
- :mod:`.companies` — companies, and colleagues invited to act for them (invite, accept, decline, revoke, purge);
- :mod:`.jury` — invitations, conflicts, assignments, reviews;
- :mod:`.editions` — deliberation, the two-step publication of results (prepare, then release or cancel), archive;
- :mod:`.personal` — erasing a person (account deletion).
"""

from contests.services.companies import (
    company_create,
    company_invitation_accept,
    company_invitation_create,
    company_invitation_decline,
    company_invitation_revoke,
    company_invitations_purge,
    company_member_add_by_staff,
    company_update,
)
from contests.services.editions import (
    edition_archive,
    edition_start_deliberation,
    results_cancel,
    results_prepare,
    results_release,
)
from contests.services.jury import (
    assignment_create,
    assignment_remove,
    assignments_auto_balance,
    conflict_add_by_staff,
    conflict_declare,
    conflict_label,
    conflict_recuse,
    conflicts_close,
    juror_accept,
    juror_add,
    juror_invite,
    review_reminders_send,
    review_save,
)
from contests.services.personal import contest_data_erase, invitations_erase
from contests.services.submissions import (
    DECISION_STATES,
    TRANSITIONS,
    TransitionError,
    attachment_add,
    attachment_delete,
    deadline_sweep,
    draft_reminders_send,
    snapshot,
    submission_create_draft,
    submission_decide,
    submission_submit,
    submission_transition,
    submission_update,
    submission_withdraw,
)

# Fields only these services write (portal.ownership): read-only in the admin (or, in an admin
# form or inline, saved by calling the service: ``service_routed_fields``), never imported.
SERVICE_OWNED_FIELDS = {
    "contests.Edition": {"deliberation_started_at", "published_at", "archived_at"},
    "contests.Submission": {
        "edition", "company", "created_by", "state", "submitted_at", "rank", "prize", "feedback", "anonymised_at",
    },
    "contests.Juror": {"edition", "email", "user", "invited_at", "accepted_at", "conflicts_declared_at"},
    "contests.Conflict": {"juror", "company", "via_project", "submission"},
    "contests.Assignment": {"juror", "submission"},
    "contests.Review": {"assignment", "submitted_at", "comment"},
    "contests.ResultsPublication": {
        "edition", "status", "not_retained_for_remaining", "themes_without_laureate", "decisions", "prepared_by",
        "prepared_at", "released_by", "released_at", "cancelled_by", "cancelled_at",
    },
}

__all__ = [
    "DECISION_STATES",
    "SERVICE_OWNED_FIELDS",
    "TRANSITIONS",
    "TransitionError",
    "assignment_create",
    "assignment_remove",
    "assignments_auto_balance",
    "attachment_add",
    "attachment_delete",
    "company_create",
    "company_invitation_accept",
    "company_invitation_create",
    "company_invitation_decline",
    "company_invitation_revoke",
    "company_invitations_purge",
    "company_member_add_by_staff",
    "company_update",
    "conflict_add_by_staff",
    "conflict_declare",
    "conflict_label",
    "conflict_recuse",
    "conflicts_close",
    "contest_data_erase",
    "deadline_sweep",
    "draft_reminders_send",
    "edition_archive",
    "edition_start_deliberation",
    "invitations_erase",
    "juror_accept",
    "juror_add",
    "juror_invite",
    "results_cancel",
    "results_prepare",
    "results_release",
    "review_reminders_send",
    "review_save",
    "snapshot",
    "submission_create_draft",
    "submission_decide",
    "submission_submit",
    "submission_transition",
    "submission_update",
    "submission_withdraw",
]
