from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from contests.models import Theme


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position"]
