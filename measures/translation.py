"""Staff-written content of the measures exists in French and English (French fallback).

History (django-simple-history) is registered here, after the translation fields exist, so
that each historical row keeps both languages (a model-level HistoricalRecords would be
built before modeltranslation adds name_fr/name_en and break on save).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from measures.models import Measure, MeasureUpdate, Milestone, Origin, RelatedLink, UpdateLink


@register(Origin)
class OriginTranslation(TranslationOptions):
    fields = ("theme",)  # and the name, as every ReferenceData


@register(Measure)
class MeasureTranslation(TranslationOptions):
    fields = ("short_title", "full_text", "responsible_organisations")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


@register(MeasureUpdate)
class MeasureUpdateTranslation(TranslationOptions):
    fields = ("title", "text")


@register(UpdateLink)
class UpdateLinkTranslation(TranslationOptions):
    fields = ("label",)


@register(RelatedLink)
class RelatedLinkTranslation(TranslationOptions):
    fields = ("label",)


for _model in (Origin, Measure, Milestone, MeasureUpdate, UpdateLink, RelatedLink):
    register_history(_model, app="measures")
