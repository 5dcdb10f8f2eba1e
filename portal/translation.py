"""Content staff write exists in French and English (django-modeltranslation, French fallback)."""

from modeltranslation.translator import TranslationOptions, register

from portal.models import Audience, Partner, Region


@register(Audience)
class AudienceTranslation(TranslationOptions):
    fields = ("name",)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "description")
