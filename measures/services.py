"""Every write of the measures app: supports, follows, progress, publishing updates, digests.

One door each:
- a support goes through :func:`measure_support` (one active row per person and measure,
  idempotent, serialised per person by a row lock; the database's conditional unique
  constraint is the last line);
- a measure's status and progress change only through :func:`measure_update_publish`
  (or :func:`measure_progress_recompute` for milestone mode), which records who did it
  and notifies each immediate follower once; weekly followers get
  :func:`measure_digest_send_weekly`, a periodic idempotent job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import (
    Follow,
    FollowFrequency,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    Milestone,
    ProgressMode,
    Support,
)
from portal import page_cache
from portal.locking import lock_row, lock_rows, race_window
from portal.notifications.services import notify, route

UPDATE_KIND = "measures.update"
DIGEST_KIND = "measures.digest"


# Fields only these services write (portal.ownership): read-only in the admin, never imported.
SERVICE_OWNED_FIELDS = {
    "measures.Measure": {"status", "progress"},
    "measures.MeasureUpdate": {"status_before", "progress_before", "published_at", "published_by"},
    "measures.Support": {"measure", "user", "active", "created_at", "withdrawn_at"},
    "measures.Follow": {"measure", "user", "frequency", "created_at"},
}


# --- Supports and follows ---------------------------------------------------------------


def measure_support(*, measure: Measure, user) -> Support:
    """Support a measure: at most one active support per person and measure.

    Idempotent (supporting twice returns the active row), and supporting after a withdrawal
    reactivates the same row. The person's row is locked first, so two concurrent requests
    of the same person run one after the other instead of racing on the unique constraint.
    """
    with transaction.atomic():
        lock_rows(get_user_model().objects.filter(pk=user.pk)).values_list("pk", flat=True).first()
        existing = Support.objects.filter(measure=measure, user=user).order_by("-active", "-pk").first()
        race_window("measures.support_read")
        if existing is not None and existing.active:
            return existing
        now = timezone.now()
        if existing is not None:
            existing.active = True
            existing.created_at = now
            existing.withdrawn_at = None
            existing.save(update_fields=["active", "created_at", "withdrawn_at"])
            return existing
        return Support.objects.create(measure=measure, user=user, active=True, created_at=now)


def measure_support_withdraw(*, measure: Measure, user) -> bool:
    """Withdraw one's support (the row stays, inactive). Idempotent: False when there was none."""
    withdrawn = Support.objects.filter(measure=measure, user=user, active=True).update(active=False, withdrawn_at=timezone.now())
    if withdrawn:
        page_cache.changed("measures")  # the supporters' count (an update sends no signal)
    return bool(withdrawn)


def measure_follow(*, measure: Measure, user, frequency: str = FollowFrequency.IMMEDIATE) -> Follow:
    """Follow a measure (or change how often one hears about it). One follow per person and measure."""
    if frequency not in FollowFrequency.values:
        raise ValidationError(_("Unknown frequency."))
    follow, _created = Follow.objects.update_or_create(measure=measure, user=user, defaults={"frequency": frequency})
    return follow


def measure_unfollow(*, measure: Measure, user) -> bool:
    """Stop following a measure. Idempotent."""
    deleted, _details = Follow.objects.filter(measure=measure, user=user).delete()
    return bool(deleted)


# --- Progress rules ---------------------------------------------------------------------


def milestone_weights_error(*, mode: str, weights: Iterable[int]) -> str | None:
    """In milestone mode the milestones' weights must add up to exactly 100 %."""
    if mode != ProgressMode.MILESTONES:
        return None
    total = sum(int(w or 0) for w in weights)
    if total != 100:
        return str(
            _("In milestone mode the milestones' weights must add up to 100 %% (they add up to %(total)s %%).")
            % {"total": total}
        )
    return None


def milestone_progress(*, measure: Measure) -> int:
    """Progress in milestone mode: the sum of the weights of the milestones that are done."""
    done = Milestone.objects.filter(measure=measure, done=True).aggregate(total=Sum("weight"))["total"] or 0
    return max(0, min(100, done))


def measure_progress_recompute(*, measure: Measure) -> int:
    """In milestone mode, set the measure's progress from its milestones (after staff edit them)."""
    with transaction.atomic():
        locked = lock_row(Measure, measure.pk)
        if locked.progress_mode != ProgressMode.MILESTONES:
            return locked.progress
        progress = milestone_progress(measure=locked)
        if progress != locked.progress:
            locked.progress = progress
            locked.save(update_fields=["progress", "updated_at"])
        measure.progress = progress
        return progress


# --- Publishing updates -----------------------------------------------------------------


def measure_update_publish(*, update: MeasureUpdate, by) -> MeasureUpdate:
    """Publish an update of a measure's timeline: the one door that changes status/progress.

    Atomically: lock the measure, check the progress (0–100; computed, never given, in
    milestone mode), apply the new status/progress, record before/after and who published
    it, then notify each immediate follower once (deduplicated per update and person).
    Publishing an update that is already saved changes nothing and notifies nobody twice.
    """
    if update.pk is not None and MeasureUpdate.objects.filter(pk=update.pk).exists():
        measure_update_notify_followers(update=update)
        return update
    with transaction.atomic():
        measure = lock_row(Measure, update.measure_id)
        if update.progress_after is not None:
            if not 0 <= update.progress_after <= 100:
                raise ValidationError({"progress_after": _("Progress is a percentage between 0 and 100.")})
            if measure.progress_mode == ProgressMode.MILESTONES:
                raise ValidationError(
                    {"progress_after": _("This measure's progress is computed from its milestones: leave it empty.")}
                )
        if update.status_after and update.status_after not in MeasureStatus.values:
            raise ValidationError({"status_after": _("Unknown status.")})
        update.status_before = measure.status
        update.progress_before = measure.progress
        if not update.status_after:
            update.status_after = measure.status
        if measure.progress_mode == ProgressMode.MILESTONES:
            update.progress_after = milestone_progress(measure=measure)
        elif update.progress_after is None:
            update.progress_after = measure.progress
        measure.status = update.status_after
        measure.progress = update.progress_after
        measure.save(update_fields=["status", "progress", "updated_at"])
        update.measure = measure
        update.published_by = by if getattr(by, "pk", None) else None
        update.published_at = timezone.now()
        update.save()
        measure_update_notify_followers(update=update)
    return update


def measure_update_notify_followers(*, update: MeasureUpdate) -> int:
    """Queue one "measures.update" notification per immediate follower (dedup per update and person)."""
    measure = update.measure
    follows = (
        Follow.objects.filter(measure=measure, frequency=FollowFrequency.IMMEDIATE, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    queued = 0
    for follow in follows:
        row = notify(
            kind=UPDATE_KIND,
            user=follow.user,
            context={"measure": measure, "update": update},
            link=measure,
            dedup_key=f"measures.update:{update.pk}:{follow.user_id}",
        )
        queued += int(row is not None)
    return queued


# --- Weekly digest ------------------------------------------------------------------------


def digest_week_window(now: datetime) -> tuple[datetime, datetime, str]:
    """The last full week (Monday 00:00 to Monday 00:00, Paris time) before ``now`` and its ISO label."""
    local = timezone.localtime(now)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    start = monday - timedelta(days=7)
    year, week, _weekday = start.isocalendar()
    return start, monday, f"{year}-W{week:02d}"


def measure_digest_send_weekly(*, now: datetime | None = None) -> int:
    """Send each weekly follower one digest of last week's updates of the measures he or she follows.

    Periodic and idempotent: the dedup key (person, ISO week) makes a second run a no-op.
    People with nothing new that week get nothing.
    """
    start, end, label = digest_week_window(now or timezone.now())
    updates = list(
        MeasureUpdate.objects.filter(published_at__gte=start, published_at__lt=end)
        .select_related("measure")
        .order_by("measure__number", "published_at", "pk")
    )
    if not updates:
        return 0
    per_measure: dict[int, list[MeasureUpdate]] = defaultdict(list)
    for update in updates:
        per_measure[update.measure_id].append(update)
    follows = (
        Follow.objects.filter(frequency=FollowFrequency.WEEKLY, measure_id__in=per_measure, user__is_active=True)
        .select_related("user", "measure")
        .order_by("user_id", "measure__number")
    )
    per_user: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
    for follow in follows:
        entry = per_user.setdefault(follow.user_id, (follow.user, []))
        entry[1].append({"measure": follow.measure, "updates": per_measure[follow.measure_id]})
    sent = 0
    for user, items in per_user.values():
        with transaction.atomic():
            row = notify(
                kind=DIGEST_KIND,
                user=user,
                context={"items": items, "week": label, "week_start": start, "week_end": end - timedelta(days=1)},
                link=route("measures:index"),
                dedup_key=f"measures.digest:{user.pk}:{label}",
            )
        sent += int(row is not None)
    return sent


# --- Personal data --------------------------------------------------------------------------


def personal_data_export(user) -> dict[str, Any]:
    return {
        "supports": [
            {"measure": s.measure.number, "active": s.active, "supported_on": s.created_at, "withdrawn_on": s.withdrawn_at}
            for s in Support.objects.filter(user=user).select_related("measure").order_by("measure__number")
        ],
        "follows": [
            {"measure": f.measure.number, "frequency": f.frequency, "followed_on": f.created_at}
            for f in Follow.objects.filter(user=user).select_related("measure").order_by("measure__number")
        ],
    }


def personal_data_erase(user) -> None:
    """Supports and follows are only about the person: they go (the supporters count drops)."""
    Support.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
