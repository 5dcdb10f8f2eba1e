from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from portal.models import Profile
from portal.notifications.kinds import NotificationKind, register_kind


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="portal.profile_for_user")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


# allauth's e-mails are transactional: they answer something the person just did.
for _code, _label in [
    ("account.email_confirmation", _("E-mail address confirmation")),
    ("account.email_confirmation_signup", _("E-mail address confirmation")),
    ("account.password_reset_key", _("Password reset")),
    ("account.unknown_account", _("Password reset for an unknown account")),
    ("account.account_already_exists", _("Sign-up with an existing address")),
    ("account.password_changed", _("Password changed")),
    ("account.password_set", _("Password set")),
    ("account.email_changed", _("E-mail address changed")),
    ("account.email_confirm", _("E-mail address confirmed")),
    ("account.email_deleted", _("E-mail address removed")),
    ("account.login_code", _("Sign-in code")),
]:
    register_kind(NotificationKind(code=_code, label=_label, optional=False))
