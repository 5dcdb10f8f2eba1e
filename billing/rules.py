"""Who may see what in billing (one place; views and templates ask here)."""

from __future__ import annotations

import rules


@rules.predicate
def can_download_document(user, document) -> bool:
    """The participant (or the quote's requester) and the buyer's contact; staff with the
    "view billing document" permission. Anybody else gets a 404."""
    if not user.is_authenticated:
        return False
    if user.pk in (document.user_id, document.contact_id):
        return True
    return bool(user.is_staff and user.has_perm("billing.view_document"))


@rules.predicate
def can_ask_quote(user, expedition) -> bool:
    """A logged-in person, for a paid trip (the service says why otherwise)."""
    return bool(user.is_authenticated and expedition.is_paid)
