from django.conf import settings

from portal.models import Notification


def portal(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.in_inbox_of(user).filter(read_at__isnull=True).count()
    return {"unread_notifications": unread, "embedded_mode": settings.CELERY_TASK_ALWAYS_EAGER,
            "portal_contact_email": settings.PORTAL_CONTACT_EMAIL}
