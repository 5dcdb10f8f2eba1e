"""What the API shows of each object: public fields only, named for machines, no logic.

Every object with translated text carries ``fallback_fields``: the fields shown in French because
the requested language has no translation yet (always empty in French). Links to the public
pages are absolute and in the answer's language.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.languages import fallbacks

FALLBACK_HELP = "Fields of this object given in French because the requested language has no translation yet."


class Translated(serializers.Serializer):
    translated_fields: tuple[str, ...] = ()

    fallback_fields = serializers.SerializerMethodField(help_text=FALLBACK_HELP)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_fallback_fields(self, obj) -> list[str]:
        return fallbacks(obj, self.translated_fields)


def page_url(serializer, obj) -> str:
    request = serializer.context["request"]
    return request.build_absolute_uri(obj.get_absolute_url())


# --- Shared references ---------------------------------------------------------------------------


class NamedRef(Translated):
    """A reference table's entry (region, audience, origin, theme, tag): stable code and its name."""

    translated_fields = ("name",)
    code = serializers.CharField()
    name = serializers.CharField()


class SlugNamedRef(Translated):
    translated_fields = ("name",)
    slug = serializers.SlugField()
    name = serializers.CharField()


class Partner(Translated):
    translated_fields = ("name",)
    slug = serializers.SlugField()
    name = serializers.CharField()
    website = serializers.URLField(allow_blank=True)


# --- Measures ------------------------------------------------------------------------------------


class Origin(Translated):
    translated_fields = ("name", "theme")
    code = serializers.CharField()
    name = serializers.CharField()
    theme = serializers.CharField(allow_blank=True)


class Measure(Translated):
    translated_fields = ("short_title", "full_text", "responsible_organisations")
    number = serializers.IntegerField(min_value=1, max_value=19)
    short_title = serializers.CharField()
    full_text = serializers.CharField()
    status = serializers.CharField(help_text="proposed, under_study, committed, in_progress, done or abandoned.")
    status_label = serializers.CharField(source="get_status_display")
    progress = serializers.IntegerField(min_value=0, max_value=100, help_text="Percent.")
    progress_mode = serializers.CharField(help_text="direct, or milestones (computed from weighted milestones).")
    origin = Origin()
    responsible_organisations = serializers.ListField(child=serializers.CharField(), source="organisations")
    supporters = serializers.IntegerField(source="supporters_count", help_text="People who support the measure.")
    last_update_on = serializers.DateField(allow_null=True, help_text="Date of the latest timeline entry.")
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="The measure's public page.")

    def get_url(self, obj) -> str:
        return page_url(self, obj)


class Milestone(Translated):
    translated_fields = ("title",)
    title = serializers.CharField()
    weight = serializers.IntegerField(help_text="Percent of the progress it counts for.")
    done = serializers.BooleanField()


class UpdateLink(Translated):
    translated_fields = ("label",)
    label = serializers.CharField()
    url = serializers.URLField()


class MeasureUpdate(Translated):
    translated_fields = ("title", "text")
    published_on = serializers.DateField()
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    status_before = serializers.CharField(allow_blank=True)
    status_after = serializers.CharField(allow_blank=True, help_text="Empty: the status did not change.")
    progress_before = serializers.IntegerField(allow_null=True)
    progress_after = serializers.IntegerField(allow_null=True, help_text="Null: the progress did not change.")
    links = UpdateLink(many=True)


class MeasureDetail(Measure):
    milestones = Milestone(many=True)
    timeline = MeasureUpdate(many=True, source="updates", help_text="Dated updates, newest first.")


# --- Expeditions ---------------------------------------------------------------------------------


class Destination(Translated):
    translated_fields = ("country",)
    slug = serializers.SlugField()
    country = serializers.CharField()
    country_code = serializers.CharField(help_text="ISO 3166-1 alpha-2.")


class Expedition(Translated):
    translated_fields = ("title", "city", "summary")
    slug = serializers.SlugField()
    title = serializers.CharField()
    destination = Destination()
    city = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    registration_opens_at = serializers.DateTimeField()
    registration_closes_at = serializers.DateTimeField()
    registration_open = serializers.SerializerMethodField(help_text="Whether one can register now.")
    price_cents = serializers.IntegerField(help_text="Price per person in euro cents, excluding VAT (0: free).")
    currency = serializers.SerializerMethodField()
    capacity = serializers.IntegerField()
    places_left = serializers.IntegerField(help_text="Live: places not held by a confirmed, pending or offered registration.")
    waiting_list = serializers.IntegerField(source="waiting_count", help_text="People on the waiting list.")
    status = serializers.CharField(help_text="published, closed (registration closed), cancelled or past.")
    status_label = serializers.CharField(source="get_status_display")
    working_language = serializers.CharField(source="language")
    tags = SlugNamedRef(many=True)
    audiences = NamedRef(many=True, help_text="Who may register (empty: everyone).")
    is_demo = serializers.BooleanField(help_text="Demo content (only with include_demo=1).")
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_registration_open(self, obj) -> bool:
        return obj.registration_is_open()

    def get_currency(self, obj) -> str:
        return "EUR"

    def get_url(self, obj) -> str:
        return page_url(self, obj)


class ProgrammeItem(Translated):
    translated_fields = ("title", "host_organisation")
    day = serializers.DateField()
    start_time = serializers.TimeField(allow_null=True, help_text="Local time of the destination.")
    end_time = serializers.TimeField(allow_null=True)
    title = serializers.CharField()
    host_organisation = serializers.CharField(allow_blank=True)


class ExpeditionDetail(Expedition):
    translated_fields = ("title", "city", "summary", "practical_info", "price_includes")
    time_zone = serializers.CharField()
    practical_info = serializers.CharField(allow_blank=True)
    price_includes = serializers.CharField(allow_blank=True)
    programme = ProgrammeItem(many=True, source="programme_items")
    partners = Partner(many=True)


# --- Contest -------------------------------------------------------------------------------------


class EditionTheme(Translated):
    translated_fields = ("description", "prize")
    slug = serializers.SlugField(source="theme.slug")
    name = serializers.CharField(source="theme.name")
    description = serializers.CharField(allow_blank=True)
    prize = serializers.CharField(allow_blank=True)


class Laureate(serializers.Serializer):
    theme = serializers.SlugField(source="theme.slug")
    rank = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(help_text="The project's title, as its company wrote it.")
    pitch = serializers.CharField(allow_blank=True)
    company = serializers.CharField(source="company.legal_name", help_text="The company's legal name.")
    region = NamedRef(source="company.region")
    prize = serializers.CharField(allow_blank=True)


class ContestEdition(Translated):
    translated_fields = ("title", "summary")
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    phase = serializers.CharField(help_text="upcoming, open, reviewing, deliberation, published or archived.")
    phase_label = serializers.CharField(source="get_phase_display")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    results_on = serializers.DateField(help_text="Announced date of the results.")
    results_published_at = serializers.DateTimeField(source="published_at", allow_null=True)
    themes = EditionTheme(many=True, source="edition_themes")
    # The selector prefetches laureates of editions whose results are published only.
    laureates = Laureate(many=True, source="published_laureates", help_text="Only once the results are published.")
    is_demo = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        request = self.context["request"]
        from django.urls import reverse

        return request.build_absolute_uri(reverse("contests:edition_detail", args=[obj.slug]))


class ContestEditionDetail(ContestEdition):
    translated_fields = ("title", "summary", "rules")
    rules = serializers.CharField(allow_blank=True, help_text="Markdown.")


# --- MOOC ----------------------------------------------------------------------------------------


class Module(Translated):
    translated_fields = ("title", "summary")
    position = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)


class CourseRun(Translated):
    translated_fields = ("label",)
    label = serializers.CharField()
    self_paced = serializers.BooleanField(source="is_self_paced")
    enrollment_start = serializers.DateTimeField(allow_null=True)
    enrollment_end = serializers.DateTimeField(allow_null=True)
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    enrollment_open = serializers.SerializerMethodField()
    is_demo = serializers.BooleanField()

    def get_enrollment_open(self, obj) -> bool:
        return obj.enrollment_is_open()


class Course(Translated):
    translated_fields = ("title", "summary")
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    topic = serializers.CharField()
    topic_label = serializers.CharField(source="get_topic_display")
    course_language = serializers.CharField(source="language", help_text="The language the course is taught in.")
    effort_hours = serializers.IntegerField()
    pass_mark = serializers.IntegerField(help_text="Course grade (percent) needed for the certificate.")
    partners = Partner(many=True)
    modules = Module(many=True)
    runs = CourseRun(many=True)
    is_demo = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return page_url(self, obj)


# --- Barometer -----------------------------------------------------------------------------------


class Quarter(serializers.Serializer):
    quarter = serializers.CharField(help_text="e.g. 2026-Q1")
    first_day = serializers.DateField(source="starts_on")
    last_day = serializers.DateField(source="ends_on")
    published = serializers.BooleanField(help_text="False when fewer respondents than the threshold: no figure.")
    respondents = serializers.SerializerMethodField()
    threshold = serializers.IntegerField(help_text="Smallest number of respondents a published figure covers.")
    computed_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="This quarter's tables in the API.")
    csv_url = serializers.SerializerMethodField()

    def get_respondents(self, obj) -> int | None:
        return obj.respondents if obj.published else None

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(reverse("api:barometer-detail", args=[obj.quarter]))

    def get_csv_url(self, obj) -> str:
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(reverse("diagnostic:barometer_csv", args=[obj.quarter]))


class BarometerCell(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    respondents = serializers.IntegerField(allow_null=True, help_text="Null: suppressed (1–4 respondents, or to protect one).")
    score_sums = serializers.DictField(child=serializers.IntegerField(allow_null=True),
                                       help_text="Per measure (overall and each dimension): sum of scores 0–100; null: suppressed.")


class BarometerTable(serializers.Serializer):
    table = serializers.CharField(help_text="region, sector or size.")
    cells = BarometerCell(many=True)
    total = BarometerCell()


class QuarterDetail(Quarter):
    measures = serializers.ListField(child=serializers.CharField())
    tables = BarometerTable(many=True)
    license = serializers.CharField()
