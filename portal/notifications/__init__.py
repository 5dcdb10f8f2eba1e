"""The portal's one notification door: outbox rows, delivered by Celery, shown in the inbox.

Apps call :func:`portal.notifications.services.notify` (inside their own transaction) with
a kind they registered through :func:`portal.notifications.kinds.register_kind`.
"""
