"""Every write of the contest, one function per use case (the docstring says the rule).

- :mod:`.submissions` — drafts, edits, attachments, the one state-transition door, deadlines;
- :mod:`.companies` — companies, and colleagues invited to act for them (invite, accept, decline, revoke, purge);
- :mod:`.jury` — invitations, conflicts, assignments, reviews;
- :mod:`.editions` — deliberation, publication, archive;
- :mod:`.personal` — erasing a person (account deletion).
"""

from contests.services.companies import (
    company_create,
    company_invitation_accept,
    company_invitation_create,
    company_invitation_decline,
    company_invitation_revoke,
    company_invitations_purge,
    company_update,
)
from contests.services.editions import edition_archive, edition_publish, edition_start_deliberation
from contests.services.jury import (
    assignment_create,
    assignments_auto_balance,
    conflict_add_by_staff,
    conflict_declare,
    conflict_label,
    conflict_recuse,
    conflicts_close,
    juror_accept,
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

__all__ = [
    "DECISION_STATES", "TRANSITIONS", "TransitionError", "assignment_create", "assignments_auto_balance",
    "attachment_add", "attachment_delete", "company_create", "company_invitation_accept",
    "company_invitation_create", "company_invitation_decline", "company_invitation_revoke", "company_invitations_purge",
    "company_update", "conflict_add_by_staff", "conflict_declare", "conflict_label", "conflict_recuse", "conflicts_close",
    "deadline_sweep", "draft_reminders_send", "edition_archive", "edition_publish",
    "edition_start_deliberation", "juror_accept", "juror_invite", "review_reminders_send", "review_save",
    "snapshot", "submission_create_draft", "submission_decide", "submission_submit", "submission_transition",
    "submission_update", "submission_withdraw", "contest_data_erase", "invitations_erase",
]
