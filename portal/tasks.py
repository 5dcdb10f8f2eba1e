"""Thin Celery tasks of the shared kernel: each calls one service with primitive ids."""

from celery import shared_task

from portal.notifications import services


@shared_task(name="portal.tasks.deliver_notification", ignore_result=True)
def deliver_notification(notification_id: int) -> bool:
    return services.notification_deliver(notification_id)


@shared_task(name="portal.tasks.sweep_notifications", ignore_result=True)
def sweep_notifications() -> int:
    return services.notification_sweep()


@shared_task(name="portal.tasks.purge_unverified_accounts", ignore_result=True)
def purge_unverified_accounts() -> int:
    from portal.services import accounts_unverified_purge

    return accounts_unverified_purge()


@shared_task(name="portal.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> None:
    from portal.services import sessions_clear_expired

    sessions_clear_expired()


@shared_task(name="portal.tasks.purge_old_notifications", ignore_result=True)
def purge_old_notifications() -> int:
    return services.notification_purge_old()
