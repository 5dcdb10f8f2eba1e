"""Thin Celery tasks of the diagnostic."""

from celery import shared_task

from diagnostic import services


@shared_task(name="diagnostic.tasks.snapshot_closed_quarters", ignore_result=True)
def snapshot_closed_quarters() -> list[str]:
    """Idempotent: freezes the closed quarters that have no barometer snapshot yet."""
    return [snapshot.quarter for snapshot in services.snapshot_closed_quarters()]
