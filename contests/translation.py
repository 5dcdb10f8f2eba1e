"""Staff-written texts in French and English (French fallback).

The edition's history is registered here, after its translation fields exist, so that each
historical row keeps both languages.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from contests.models import Criterion, Edition, EditionTheme, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("description",)  # and the name, as every ReferenceData


@register(Edition)
class EditionTranslation(TranslationOptions):
    fields = ("title", "summary", "rules", "rules_html")


@register(EditionTheme)
class EditionThemeTranslation(TranslationOptions):
    fields = ("description", "prize")


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")


register_history(Edition, app="contests")
