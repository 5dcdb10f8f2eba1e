"""Course content exists in French and English (django-modeltranslation, French fallback)."""

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
    fields = ("title", "body", "transcript")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "feedback")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text",)
