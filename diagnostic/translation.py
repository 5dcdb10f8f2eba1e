"""Staff-written content of the diagnostic exists in French and English (French fallback)."""

from modeltranslation.translator import TranslationOptions, register

from diagnostic.models import Band, Dimension, Expert, Option, PathItem, Question, Questionnaire, RecommendationRule


@register(Questionnaire)
class QuestionnaireTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "hint")


@register(Option)
class OptionTranslation(TranslationOptions):
    fields = ("label",)


@register(Band)
class BandTranslation(TranslationOptions):
    fields = ("meaning",)


@register(RecommendationRule)
class RecommendationRuleTranslation(TranslationOptions):
    fields = ("title", "text")


@register(PathItem)
class PathItemTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Expert)
class ExpertTranslation(TranslationOptions):
    fields = ("speciality",)
