"""Writes of the notification outbox: queue, claim, deliver, sweep, read, preferences.

Guarantees (PostgreSQL):
- A notification is a row written in the caller's transaction: if the caller rolls back,
  nothing is sent; if it commits, the row exists whatever happens to the broker.
- After commit, a Celery task is published with a bounded retry; if the broker is down the
  request still answers and the periodic sweep delivers the row later.
- A worker (or the sweep) *claims* a row with ``select_for_update(skip_locked=True)``,
  moving it pending → sending under a lease; only the claimer sends. So concurrent workers
  and the sweeper never send the same row twice.
- At-least-once only after a crash between the SMTP server's acceptance and the status
  write: the lease expires and the sweep sends again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.locking import lock_rows
from portal.models import Notification, NotificationPreference, User

from .kinds import NotificationKind, get_kind

logger = logging.getLogger(__name__)

# Delay before attempt n+1 after n failed attempts (the sweep runs every minute).
RETRY_BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6)]
UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"


# --- Queueing -----------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    """An absolute link for an e-mail: workers have no request, so PORTAL_BASE_URL is used."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL + path


@dataclass(frozen=True)
class Route:
    """A page of the portal named by its URL pattern: :func:`notify` reverses it in the
    recipient's language (French at /…, English under /en/…). Build one with :func:`route`."""

    name: str
    args: tuple[Any, ...] = ()
    fragment: str = ""

    def path(self, language: str) -> str:
        with translation.override(language):
            url = reverse(self.name, args=self.args)
        return f"{url}#{self.fragment}" if self.fragment else url


def route(name: str, *args: Any, fragment: str = "") -> Route:
    """``route("contests:submission_detail", pk)``, ``route("me:dashboard", fragment="me-expeditions")``."""
    return Route(name, args, fragment)


class SupportsAbsoluteUrl(Protocol):
    def get_absolute_url(self) -> str: ...


Link = str | Route | SupportsAbsoluteUrl


def link_path(link: Link, language: str) -> str:
    """The link of a notification in ``language``: a :class:`Route` or a model's
    ``get_absolute_url()`` is reversed in it; a string (a path or an absolute URL) is kept as given."""
    if isinstance(link, Route):
        return link.path(language)
    if isinstance(link, str):
        return link
    with translation.override(language):
        return link.get_absolute_url()


def unsubscribe_token(*, user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user: User, kind: str, language: str | None = None) -> str:
    """The one-click link, in the recipient's language (English under /en/)."""
    unsubscribe = route("notifications:unsubscribe", unsubscribe_token(user=user, kind=kind))
    return absolute_url(unsubscribe.path(language or translation.get_language() or settings.LANGUAGE_CODE))


def email_enabled_for(*, user: User | None, kind: NotificationKind) -> bool:
    """Deactivated accounts get no e-mail at all; opted-out optional kinds go to the inbox only."""
    if user is not None and not user.is_active:
        return False
    if user is None or not kind.optional:
        return True
    return not NotificationPreference.objects.filter(user=user, kind=kind.code, email_enabled=False).exists()


def _render(kind: NotificationKind, context: dict[str, Any]) -> tuple[str, str, str]:
    prefix = kind.template_prefix
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    body_text = render_to_string(f"{prefix}_body.txt", context).strip()
    try:
        body_html = render_to_string(f"{prefix}_body.html", context).strip()
    except TemplateDoesNotExist:
        body_html = ""
    return subject, body_text, body_html


def notify(
    *,
    kind: str,
    user: User | None = None,
    recipient_email: str | None = None,
    context: dict[str, Any] | None = None,
    language: str | None = None,
    link: Link = "",
    dedup_key: str | None = None,
    hold_in_batch: str = "",
) -> Notification | None:
    """Render a registered kind in the recipient's language and queue it.

    Call it inside the transaction that makes the notification true. ``link`` (the page the
    e-mail and the inbox point to) is best given as ``route(url_name, *args, fragment=...)``
    or a model instance: it is then reversed in the recipient's language, like the text.
    Returns ``None`` when ``dedup_key`` says it was already queued (reminders, say, that must
    go out once). With ``hold_in_batch`` the row is *held*: nobody sees it (no e-mail, no
    inbox) until :func:`notification_batch_release` frees the batch or
    :func:`notification_batch_discard` deletes it.
    """
    definition = get_kind(kind)
    email = recipient_email or (user.email if user else None)
    if not email:
        raise ValueError("A notification needs a user or a recipient e-mail address.")
    language = language or (user.language if user else None) or translation.get_language() or settings.LANGUAGE_CODE
    link = link_path(link, language) if link else ""
    ctx: dict[str, Any] = {"user": user, "base_url": settings.PORTAL_BASE_URL, "link_url": absolute_url(link) if link else ""}
    ctx.update(context or {})
    headers: dict[str, str] = {}
    if definition.optional and user is not None:
        url = unsubscribe_url(user=user, kind=kind, language=language)
        ctx["unsubscribe_url"] = url
        headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    with translation.override(language):
        subject, body_text, body_html = _render(definition, ctx)
    return notification_queue(
        kind=kind,
        user=user,
        recipient_email=email,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        link=link,
        headers=headers,
        dedup_key=dedup_key,
        emailed=email_enabled_for(user=user, kind=definition),
        hold_in_batch=hold_in_batch,
    )


def notification_queue(
    *,
    kind: str,
    recipient_email: str,
    subject: str,
    body_text: str,
    language: str,
    user: User | None = None,
    body_html: str = "",
    link: str = "",
    headers: dict[str, str] | None = None,
    dedup_key: str | None = None,
    emailed: bool = True,
    hold_in_batch: str = "",
) -> Notification | None:
    """Write the outbox row (in the caller's transaction) and publish its delivery on commit
    (a held row is published when its batch is released)."""
    if hold_in_batch:
        state = Notification.State.HELD
    else:
        state = Notification.State.PENDING if emailed else Notification.State.SUPPRESSED
    row = Notification(
        kind=kind,
        user=user,
        recipient_email=recipient_email,
        language=language,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        link=link,
        headers=headers or {},
        dedup_key=dedup_key,
        state=state,
        batch=hold_in_batch,
    )
    if dedup_key:
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return None
    else:
        row.save()
    if state == Notification.State.PENDING:
        _publish_on_commit([row.pk])
    return row


def _publish_on_commit(notification_ids: list[int]) -> None:
    def publish() -> None:  # a closure, not functools.partial: robust mode logs __qualname__
        for notification_id in notification_ids:
            enqueue_delivery(notification_id)

    if notification_ids:
        transaction.on_commit(publish, robust=True)


def notification_batch_release(*, batch: str) -> int:
    """Free every held row of a batch, in the caller's transaction: each becomes pending (or
    suppressed if the person has since opted out of that optional kind, or lost the account's
    activity), dated now so that the inbox shows it as new, and is published on commit."""
    if not batch:
        raise ValueError("A batch name is required.")
    now = timezone.now()
    rows = list(lock_rows(
        Notification.objects.select_related("user").filter(batch=batch, state=Notification.State.HELD).order_by("pk"),
        of=("self",),
    ))
    to_publish = []
    for row in rows:
        emailed = email_enabled_for(user=row.user, kind=get_kind(row.kind))
        row.state = Notification.State.PENDING if emailed else Notification.State.SUPPRESSED
        row.created_at = row.next_attempt_at = now
        row.save(update_fields=["state", "created_at", "next_attempt_at"])
        if emailed:
            to_publish.append(row.pk)
    _publish_on_commit(to_publish)
    return len(rows)


def notification_batch_discard(*, batch: str) -> int:
    """Delete every held row of a batch (their ``dedup_key`` go with them, so the same
    notifications can be prepared again). Rows already released are never touched."""
    if not batch:
        raise ValueError("A batch name is required.")
    deleted, _ = Notification.objects.filter(batch=batch, state=Notification.State.HELD).delete()
    return deleted


def notifications_held(*, batch: str):
    """The held rows of a batch, for staff to read before they are released."""
    return Notification.objects.filter(batch=batch, state=Notification.State.HELD).order_by("recipient_email", "pk")


def enqueue_delivery(notification_id: int) -> None:
    """Publish the delivery task, retrying briefly; never raise, never hang the request.

    If the broker stays unreachable the row stays pending and the sweep delivers it.
    """
    from portal.tasks import deliver_notification

    try:
        deliver_notification.apply_async(
            (notification_id,),
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.5},
        )
    except Exception:  # broker down: the sweep will deliver it
        logger.warning("Could not publish delivery of notification %s; the sweep will retry.", notification_id, exc_info=True)


# --- Delivery -----------------------------------------------------------------------------


def _due_filter(now) -> Q:
    pending_due = Q(state=Notification.State.PENDING, next_attempt_at__lte=now)
    lease_expired = Q(state=Notification.State.SENDING, lease_expires_at__lt=now)
    return pending_due | lease_expired


def notification_claim(notification_id: int) -> Notification | None:
    """Move one due row to *sending* under a lease; ``None`` if another worker has it or it is not due."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(_due_filter(now), pk=notification_id)
            .first()
        )
        if row is None:
            return None
        if row.state == Notification.State.SENDING and row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            # Its last attempt's worker died (or hung) past the lease, again and again: stop
            # there and let staff see it, rather than retry a poison message forever.
            row.state = Notification.State.FAILED
            row.lease_expires_at = None
            row.last_error = f"The worker was lost during attempt {row.attempts} (lease expired)."
            row.save(update_fields=["state", "lease_expires_at", "last_error"])
            logger.error("Notification %s failed for good: %s", row.pk, row.last_error)
            return None
        row.state = Notification.State.SENDING
        row.attempts += 1
        row.lease_expires_at = now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
        row.save(update_fields=["state", "attempts", "lease_expires_at"])
    return row


def _email_message(row: Notification, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient_email],
        headers={**row.headers, "Content-Language": row.language},
        connection=connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def notification_deliver(notification_id: int) -> bool:
    """Claim, send and record one notification. Returns True when this call sent it."""
    row = notification_claim(notification_id)
    if row is None:
        return False
    # The status writes below are fenced by the claim: only while the row is still *this*
    # claim (same attempt number). A worker that stalled past its lease, while the sweep's new
    # claim is sending, must not put the row back to pending (it would be sent again) nor
    # mark it failed.
    ours = Notification.objects.filter(pk=row.pk, state=Notification.State.SENDING, attempts=row.attempts)
    try:
        _email_message(row, get_connection(fail_silently=False)).send()
    except Exception as exc:  # SMTP refused, timeout, DNS...: retry with backoff, then fail
        now = timezone.now()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            ours.update(state=Notification.State.FAILED, last_error=error, lease_expires_at=None)
            logger.error("Notification %s failed for good: %s", row.pk, error)
        else:
            delay = RETRY_BACKOFF[min(row.attempts - 1, len(RETRY_BACKOFF) - 1)]
            ours.update(
                state=Notification.State.PENDING, last_error=error, next_attempt_at=now + delay, lease_expires_at=None
            )
            logger.warning("Notification %s attempt %s failed: %s", row.pk, row.attempts, error)
        return False
    ours.update(state=Notification.State.SENT, sent_at=timezone.now(), lease_expires_at=None, last_error="")
    return True


def notification_sweep(*, limit: int = 500) -> int:
    """Deliver rows the broker never carried, rows due for a retry and rows whose lease expired."""
    now = timezone.now()
    due_ids = list(
        Notification.objects.filter(_due_filter(now)).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for notification_id in due_ids if notification_deliver(notification_id))


def notification_retry_failed(*, notification_ids: list[int]) -> int:
    """Staff action: give failed rows a new round of attempts."""
    return Notification.objects.filter(pk__in=notification_ids, state=Notification.State.FAILED).update(
        state=Notification.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )


def notification_purge_old(*, days: int | None = None) -> int:
    """Personal data is kept only as long as needed: delivered notifications go after a year."""
    days = days or settings.PORTAL_NOTIFICATION_RETENTION_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Notification.objects.filter(
        created_at__lt=cutoff, state__in=[Notification.State.SENT, Notification.State.SUPPRESSED, Notification.State.FAILED]
    ).delete()
    return deleted


# --- Inbox and preferences ------------------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    qs = Notification.objects.in_inbox_of(user).filter(read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def preference_set(*, user: User, kind: str, email_enabled: bool) -> None:
    definition = get_kind(kind)
    if not definition.optional:
        raise ValueError(f"{kind} is transactional: it cannot be turned off.")
    NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email_enabled": email_enabled})


def unsubscribe_by_token(token: str) -> tuple[User, NotificationKind] | None:
    """Resolve a one-click unsubscribe token and turn that kind's e-mails off."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=data["u"])
        definition = get_kind(data["k"])
    except (signing.BadSignature, User.DoesNotExist, LookupError, KeyError, TypeError):
        return None
    if definition.optional:
        preference_set(user=user, kind=definition.code, email_enabled=False)
    return user, definition
