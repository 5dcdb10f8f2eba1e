"""Thin Celery tasks of the measures app."""

from celery import shared_task

from measures import services


@shared_task(name="measures.tasks.send_weekly_digests", ignore_result=True)
def send_weekly_digests() -> int:
    return services.measure_digest_send_weekly()
