"""Periodic jobs (idempotent): deadlines, reminders, past trips, purge of sensitive data."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from expeditions import catalogue_cache
from expeditions.models import Expedition, Registration
from expeditions.selectors import with_availability
from expeditions.services.core import (
    MY_SPACE,
    S,
    _expire_due_offers,
    _fill_places,
    recipient,
)
from portal.locking import lock_row
from portal.notifications.services import notify

# --- Periodic jobs (idempotent) ---------------------------------------------------------------------------


def expeditions_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Act on deadlines: expire due offers (and pass places on), warn of offers expiring within 24 h,
    remind confirmed participants 7 days and 1 day before departure (once each), move ended trips to past."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = {"expired": 0, "offered": 0, "warned": 0, "reminded": 0, "past": 0}
    due_expeditions = set(
        Registration.objects.filter(status=S.OFFERED, offer_expires_at__lt=now).values_list("expedition_id", flat=True)
    )
    # Free places with people waiting (a capacity raised by an import, say) are offered too.
    waiting_with_room = set(
        with_availability(
            Expedition.objects.filter(
                status__in=[Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED], starts_on__gt=today
            ),
            now=now,
        )
        .filter(waiting_count__gt=0, places_taken__lt=F("capacity"))
        .values_list("pk", flat=True)
    )
    for expedition_id in sorted(due_expeditions | waiting_with_room):
        with transaction.atomic():
            expedition = lock_row(Expedition, expedition_id)
            result["expired"] += _expire_due_offers(expedition, now=now)
            result["offered"] += _fill_places(expedition, now=now)
    with transaction.atomic():
        expiring = Registration.objects.select_related("user", "expedition").filter(
            status=S.OFFERED, offer_expires_at__gte=now, offer_expires_at__lte=now + timedelta(hours=24)
        )
        for registration in expiring:
            sent = notify(
                kind="expeditions.offer_expiring",
                **recipient(registration),
                context={"registration": registration, "expedition": registration.expedition},
                link=MY_SPACE,
                dedup_key=f"expeditions.offer_expiring:{registration.pk}",
            )
            result["warned"] += sent is not None
        upcoming = Registration.objects.select_related("user", "expedition").filter(
            status=S.CONFIRMED,
            expedition__status__in=[Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED],
            expedition__starts_on__gte=today,
            expedition__starts_on__lte=today + timedelta(days=7),
        )
        for registration in upcoming:
            days_left = (registration.expedition.starts_on - today).days
            which = 1 if days_left <= 1 else 7
            sent = notify(
                kind="expeditions.reminder",
                **recipient(registration),
                context={"registration": registration, "expedition": registration.expedition, "days_left": days_left},
                link=MY_SPACE,
                dedup_key=f"expeditions.reminder{which}:{registration.pk}",
            )
            result["reminded"] += sent is not None
        result["past"] = Expedition.objects.filter(
            status__in=[Expedition.Status.PUBLISHED, Expedition.Status.REGISTRATION_CLOSED], ends_on__lt=today
        ).update(status=Expedition.Status.PAST, updated_at=now)
        if result["past"]:
            catalogue_cache.changed()
    return result


def expeditions_purge_sensitive_data(*, now: datetime | None = None) -> int:
    """Erase passport names and dietary needs ``purge_after_days`` after each trip's return."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Registration.objects.filter(sensitive_data_purged_at__isnull=True).select_related("expedition")
    ids = [
        r.pk
        for r in candidates.only("pk", "expedition__ends_on", "expedition__purge_after_days").filter(expedition__ends_on__lt=today)
        if r.expedition.ends_on + timedelta(days=r.expedition.purge_after_days) < today
    ]
    return Registration.objects.filter(pk__in=ids).update(
        passport_name="", dietary_needs="", dietary_consent=False, sensitive_data_purged_at=now
    )
