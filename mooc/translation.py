"""Course content exists in French and English (django-modeltranslation, French fallback).

History (django-simple-history) of translated models is registered here, after their
translation fields exist, so the history keeps title_fr/title_en too (simple-history docs).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from mooc.models import Choice, Course, CourseRun, Lesson, Module, Question


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "summary", "cover_alt")


@register(CourseRun)
class CourseRunTranslation(TranslationOptions):
    fields = ("label",)


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Lesson)
class LessonTranslation(TranslationOptions):
    fields = ("title", "body", "transcript", "body_html", "transcript_html")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "feedback")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text",)


for _model in (Course, CourseRun, Module, Lesson, Question):
    simple_history.register(_model, app="mooc")
