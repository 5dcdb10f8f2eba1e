from modeltranslation.translator import TranslationOptions, register

from expeditions.models import Destination, Expedition, ProgrammeItem, Tag


@register(Destination)
class DestinationTranslation(TranslationOptions):
    fields = ("country", "summary")


@register(Expedition)
class ExpeditionTranslation(TranslationOptions):
    fields = ("title", "summary", "practical_info", "price_includes")


@register(ProgrammeItem)
class ProgrammeItemTranslation(TranslationOptions):
    fields = ("title",)


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)
