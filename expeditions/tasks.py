"""Thin Celery tasks: each calls one service."""

from celery import shared_task

from expeditions import services


@shared_task(name="expeditions.tasks.sweep", ignore_result=True)
def sweep() -> dict:
    return services.expeditions_sweep()


@shared_task(name="expeditions.tasks.purge_sensitive_data", ignore_result=True)
def purge_sensitive_data() -> int:
    return services.expeditions_purge_sensitive_data()
