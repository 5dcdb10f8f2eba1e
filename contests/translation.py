from modeltranslation.translator import TranslationOptions, register

from contests.models import Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")
