"""Keeping the cached fixed part of the detail page honest when reference data changes."""

from __future__ import annotations

from django.utils import timezone

from expeditions import catalogue_cache
from expeditions.models import Expedition


def expeditions_touch(*, destination_id: int | None = None, partner_id: int | None = None,
                      audience_id: int | None = None, tag_id: int | None = None,
                      expedition_ids: list[int] | None = None) -> int:
    """Bump ``updated_at`` of the trips showing a renamed destination, partner, audience or tag
    (the API shows tags) (or whose partners/audiences/tags changed), so that every cache key built on it changes at once,
    in every process. ``updated_at`` only: the place counters are never touched here."""
    qs = Expedition.objects.all()
    if destination_id is not None:
        qs = qs.filter(destination_id=destination_id)
    elif partner_id is not None:
        qs = qs.filter(partners__id=partner_id)
    elif audience_id is not None:
        qs = qs.filter(audiences__id=audience_id)
    elif tag_id is not None:
        qs = qs.filter(tags__id=tag_id)
    elif expedition_ids is not None:
        qs = qs.filter(pk__in=expedition_ids)
    else:
        return 0
    catalogue_cache.changed()
    return Expedition.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(updated_at=timezone.now())
