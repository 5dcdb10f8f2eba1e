from modeltranslation.translator import TranslationOptions, register

from expeditions.models import Destination


@register(Destination)
class DestinationTranslation(TranslationOptions):
    fields = ("country", "summary")
