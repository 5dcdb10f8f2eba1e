"""Billing's card in Mon espace (one query)."""

from billing import selectors


def me_section_context(request) -> dict:
    return {"documents": list(selectors.documents_of_user(user=request.user)[:50])}
