from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"unread_notifications": unread, "embedded_mode": settings.CELERY_TASK_ALWAYS_EAGER,
            "portal_contact_email": settings.PORTAL_CONTACT_EMAIL}
