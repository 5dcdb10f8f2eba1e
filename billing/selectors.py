"""Every non-trivial read of billing."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from billing.models import Document


def documents_of_user(*, user) -> QuerySet[Document]:
    """What a person downloads in Mon espace: documents issued to them or to the buyer they are the contact of."""
    return (Document.objects.filter(Q(user=user) | Q(contact=user))
            .select_related("expedition", "corrects").order_by("-issued_at", "-pk"))


def document_for_download(*, pk: int) -> Document | None:
    return Document.objects.select_related("expedition", "corrects").filter(pk=pk).first()
