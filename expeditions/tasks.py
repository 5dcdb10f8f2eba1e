"""Thin Celery tasks: each calls one service."""

from celery import shared_task

from expeditions import services


@shared_task(name="expeditions.tasks.sweep", ignore_result=True)
def sweep() -> dict:
    return services.expeditions_sweep()


@shared_task(name="expeditions.tasks.purge_sensitive_data", ignore_result=True)
def purge_sensitive_data() -> int:
    return services.expeditions_purge_sensitive_data()


@shared_task(name="expeditions.tasks.remind_group_members", ignore_result=True)
def remind_group_members() -> int:
    return services.group_details_reminders_send()
