from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoocConfig(AppConfig):
    name = "mooc"
    verbose_name = _("MOOC")
