"""Thin Celery tasks: each calls one service (periodic jobs listed in settings.PERIODIC_JOBS)."""

from celery import shared_task

from contests import services


@shared_task(name="contests.tasks.deadline_sweep", ignore_result=True)
def deadline_sweep() -> int:
    return services.deadline_sweep()


@shared_task(name="contests.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return services.draft_reminders_send() + services.review_reminders_send()


@shared_task(name="contests.tasks.purge_old_invitations", ignore_result=True)
def purge_old_invitations() -> int:
    return services.company_invitations_purge()
