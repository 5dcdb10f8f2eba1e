"""Content staff write exists in French and English (django-modeltranslation, French fallback)."""

from modeltranslation.translator import TranslationOptions, register, translator

from portal.models import Audience, Partner, ReferenceData, Region


@register(ReferenceData)
class ReferenceDataTranslation(TranslationOptions):
    """Every reference table built on ReferenceData inherits its translated name (modeltranslation
    carries fields of an abstract model to the tables registered after it)."""

    fields = ("name",)


translator.register([Audience, Region])


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "description")
