from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from expeditions.models import Destination


@admin.register(Destination)
class DestinationAdmin(TranslationAdmin):
    list_display = ["country", "country_code", "position"]
    search_fields = ["country", "slug"]
