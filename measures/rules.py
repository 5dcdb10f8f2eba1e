"""Who may do what with the measures (one place; views and templates ask here)."""

from __future__ import annotations

import rules


@rules.predicate
def can_participate(user) -> bool:
    """Supporting and following need an active account."""
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def can_publish_update(user) -> bool:
    """Publishing an update is staff work: the admin's "add measure update" permission."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("measures.add_measureupdate"))
