from modeltranslation.translator import TranslationOptions, register

from expeditions.models import Destination, Expedition, ProgrammeItem, Tag


@register(Destination)
class DestinationTranslation(TranslationOptions):
    fields = ("country", "summary")


@register(Expedition)
class ExpeditionTranslation(TranslationOptions):
    fields = ("title", "city", "summary", "practical_info", "price_includes")


@register(ProgrammeItem)
class ProgrammeItemTranslation(TranslationOptions):
    fields = ("title", "host_organisation")


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)
