from django.db import models
from django.utils.translation import gettext_lazy as _


class Destination(models.Model):
    """A digital ecosystem abroad that learning expeditions visit (seed 000)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = models.CharField(_("country"), max_length=120)
    country_code = models.CharField(_("ISO country code"), max_length=2)
    summary = models.TextField(_("summary"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "country"]
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")

    def __str__(self) -> str:
        return self.country
