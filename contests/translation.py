from modeltranslation.translator import TranslationOptions, register

from contests.models import Criterion, Edition, EditionTheme, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Edition)
class EditionTranslation(TranslationOptions):
    fields = ("title", "summary", "rules")


@register(EditionTheme)
class EditionThemeTranslation(TranslationOptions):
    fields = ("description", "prize")


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")
