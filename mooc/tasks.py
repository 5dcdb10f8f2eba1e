"""Thin Celery tasks: the periodic MOOC jobs (idempotent, listed in settings.PERIODIC_JOBS)."""

from celery import shared_task

from mooc import services


@shared_task
def notify_run_starts() -> int:
    return services.run_start_notify()


@shared_task
def remind_inactive_learners() -> int:
    return services.inactivity_remind()
