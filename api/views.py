"""The read-only public API (thin views: parameters → the API's selectors → serializers).

Every answer: the language chosen by ``?lang=``/``Accept-Language`` (``Content-Language``),
``ETag`` and ``Last-Modified`` with 304 for a conditional GET, the client's rate limit, CORS for
GET/HEAD/OPTIONS (settings ``CORS_*``), errors as ``{"detail", "errors"}``.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api import serializers as out
from api.conditional import cached, conditional
from api.languages import DEFAULT, SUPPORTED, choose_language
from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, next_link, paginate
from api.schema import HEADERS, responses
from measures.models import MeasureStatus
from mooc.models import CourseLanguage, Topic
from mooc.selectors import EFFORT_BUCKETS

# --- Query parameters --------------------------------------------------------------------------------


class CommonQuery(serializers.Serializer):
    lang = serializers.ChoiceField(choices=SUPPORTED, required=False, help_text="Language of the texts (default: Accept-Language, then fr).")


class DemoQuery(CommonQuery):
    include_demo = serializers.BooleanField(required=False, default=False,
                                            help_text="1: include the demo content (where demo data is loaded).")


class PageQuery(serializers.Serializer):
    cursor = serializers.CharField(required=False, max_length=400, help_text="From the `next` link of the previous page.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE)


class MeasureQuery(CommonQuery, PageQuery):
    origin = serializers.SlugField(required=False, max_length=40, help_text="Origin code (workshop city or Paris group).")
    status = serializers.ChoiceField(choices=MeasureStatus.values, required=False)


class ExpeditionQuery(DemoQuery, PageQuery):
    archive = serializers.BooleanField(required=False, default=False, help_text="1: past trips, newest first.")
    destination = serializers.SlugField(required=False, max_length=80)
    month = serializers.RegexField(r"^[1-9]\d{3}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM: trips leaving that month.")
    audience = serializers.SlugField(required=False, max_length=40, help_text="Audience code: trips open to it.")
    places_left = serializers.BooleanField(required=False, default=False, help_text="1: only trips one can still join.")


class EditionQuery(DemoQuery, PageQuery):
    results_published = serializers.BooleanField(required=False, allow_null=True, default=None,
                                                 help_text="1: editions whose results are out; 0: the others.")


class CourseQuery(DemoQuery, PageQuery):
    topic = serializers.ChoiceField(choices=Topic.values, required=False)
    course_language = serializers.ChoiceField(choices=CourseLanguage.values, required=False)
    effort = serializers.ChoiceField(choices=list(EFFORT_BUCKETS), required=False,
                                     help_text="short (≤ 5 h), medium (6–15 h) or long (16 h or more).")


class QuarterQuery(CommonQuery, PageQuery):
    pass


# --- Base views --------------------------------------------------------------------------------------


class PublicView(APIView):
    """GET only; the language is chosen before anything else so that refusals speak it too."""

    http_method_names = ["get", "head", "options"]
    query_class = CommonQuery

    def dispatch(self, request, *args, **kwargs):
        """DRF's dispatch, with one step more: after the language and the rate limit, a GET whose
        answer is in the short shared cache (``api.conditional``) is answered from it."""
        previous = translation.get_language()
        self.args, self.kwargs = args, kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        try:
            try:
                self.initial(request, *args, **kwargs)
                response = cached(request, self.language, self.keeps_answers()) if request.method in ("GET", "HEAD") else None
                if response is None:
                    method = request.method.lower()
                    handler = getattr(self, method, self.http_method_not_allowed) if method in self.http_method_names \
                        else self.http_method_not_allowed
                    response = handler(request, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - DRF's own handling, as in APIView.dispatch
                response = self.handle_exception(exc)
            self.response = self.finalize_response(request, response, *args, **kwargs)
            return self.response
        finally:
            translation.activate(previous or DEFAULT)

    def keeps_answers(self) -> bool:
        """Whether this answer may be kept a few seconds (``api.conditional``): never what is live."""
        return True

    def initial(self, request, *args, **kwargs):
        self.language = DEFAULT
        translation.activate(DEFAULT)
        self.language = choose_language(request)
        translation.activate(self.language)
        super().initial(request, *args, **kwargs)

    def query(self, request) -> dict:
        # A plain dict, not the QueryDict: an empty value (?status=) is refused like any other bad
        # value instead of being taken for an absent parameter.
        params = self.query_class(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        return params.validated_data

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        language = getattr(self, "language", DEFAULT)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        if not response.has_header("ETag") and request.method in ("GET", "HEAD") and response.status_code == 200:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # now, in the answer's language (lazy texts)
            return conditional(request, response, language, self.keeps_answers())
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        return response


class ListView(PublicView):
    serializer_class: type[serializers.Serializer]

    def rows(self, params: dict):
        raise NotImplementedError

    def ordering(self, params: dict) -> list[str]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        params = self.query(request)
        rows, cursor = paginate(self.rows(params), ordering=self.ordering(params), cursor=params.get("cursor"),
                                page_size=params["page_size"])
        data = self.serializer_class(rows, many=True, context={"request": request}).data
        return Response({"language": self.language, "next": next_link(request, cursor), "results": data})


def page_of(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of a list's page for ``item``."""
    return type(f"{item.__name__}Page", (serializers.Serializer,), {
        "language": serializers.ChoiceField(choices=SUPPORTED, help_text="Language of the texts."),
        "next": serializers.URLField(allow_null=True, help_text="The next page; null on the last one."),
        "results": item(many=True),
        "__module__": __name__,
    })


def _not_found():
    return NotFound(_("No such public object."))


# --- Measures ----------------------------------------------------------------------------------------


class MeasureList(ListView):
    query_class = MeasureQuery
    serializer_class = out.Measure

    @extend_schema(operation_id="measures_list", summary="The 19 measures", tags=["measures"],
                   parameters=[MeasureQuery, *HEADERS], responses=responses(page_of(out.Measure), not_found=False))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, params):
        return selectors.measure_list(origin=params.get("origin", ""), status=params.get("status", ""))

    def ordering(self, params):
        return ["number"]


NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="1 to 19.")
SLUG_PARAM = OpenApiParameter("slug", str, OpenApiParameter.PATH)


class MeasureDetail(PublicView):
    @extend_schema(operation_id="measures_retrieve", summary="A measure with its milestones and dated timeline",
                   tags=["measures"], parameters=[NUMBER, CommonQuery, *HEADERS], responses=responses(out.MeasureDetail))
    def get(self, request, number: str):
        self.query(request)
        measure = selectors.measure_detail(number=int(number)) if number.isdigit() and len(number) <= 2 else None
        if measure is None:
            raise _not_found()
        return Response(out.MeasureDetail(measure, context={"request": request}).data)


# --- Expeditions -------------------------------------------------------------------------------------


class ExpeditionList(ListView):
    def keeps_answers(self) -> bool:
        return False  # places left and a trip's status are live

    query_class = ExpeditionQuery
    serializer_class = out.Expedition

    @extend_schema(operation_id="expeditions_list", summary="Learning expeditions: trips to come (or the archive)",
                   tags=["expeditions"], parameters=[ExpeditionQuery, *HEADERS],
                   responses=responses(page_of(out.Expedition), not_found=False))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, params):
        month = None
        if params.get("month"):
            from datetime import date

            year, number = params["month"].split("-")
            month = date(int(year), int(number), 1)
        return selectors.expedition_list(
            include_demo=params["include_demo"], archive=params["archive"], destination=params.get("destination", ""),
            month=month, audience=params.get("audience", ""), places_left=params["places_left"],
        )

    def ordering(self, params):
        return selectors.expedition_ordering(archive=params["archive"])


class ExpeditionDetail(PublicView):
    def keeps_answers(self) -> bool:
        return False  # places left and a trip's status are live

    query_class = DemoQuery

    @extend_schema(operation_id="expeditions_retrieve", summary="A trip with its programme and partners",
                   tags=["expeditions"], parameters=[SLUG_PARAM, DemoQuery, *HEADERS],
                   responses=responses(out.ExpeditionDetail))
    def get(self, request, slug: str):
        params = self.query(request)
        expedition = selectors.expedition_detail(slug=slug, include_demo=params["include_demo"])
        if expedition is None:
            raise _not_found()
        return Response(out.ExpeditionDetail(expedition, context={"request": request}).data)


# --- Contest -----------------------------------------------------------------------------------------


class EditionList(ListView):
    query_class = EditionQuery
    serializer_class = out.ContestEdition

    @extend_schema(operation_id="contest_editions_list", summary="Contest editions with their themes and published laureates",
                   tags=["contest"], parameters=[EditionQuery, *HEADERS],
                   responses=responses(page_of(out.ContestEdition), not_found=False))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, params):
        return selectors.edition_list(include_demo=params["include_demo"], results_published=params["results_published"])

    def ordering(self, params):
        return ["-opens_at", "-pk"]


class EditionDetail(PublicView):
    query_class = DemoQuery

    @extend_schema(operation_id="contest_editions_retrieve", summary="A contest edition", tags=["contest"],
                   parameters=[SLUG_PARAM, DemoQuery, *HEADERS], responses=responses(out.ContestEditionDetail))
    def get(self, request, slug: str):
        params = self.query(request)
        edition = selectors.edition_detail(slug=slug, include_demo=params["include_demo"])
        if edition is None:
            raise _not_found()
        return Response(out.ContestEditionDetail(edition, context={"request": request}).data)


# --- MOOC --------------------------------------------------------------------------------------------


class CourseList(ListView):
    query_class = CourseQuery
    serializer_class = out.Course

    @extend_schema(operation_id="courses_list", summary="MOOC courses with their modules and runs", tags=["mooc"],
                   parameters=[CourseQuery, *HEADERS], responses=responses(page_of(out.Course), not_found=False))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, params):
        return selectors.course_list(include_demo=params["include_demo"], topic=params.get("topic", ""),
                                     language=params.get("course_language", ""), effort=params.get("effort", ""))

    def ordering(self, params):
        return ["slug"]


class CourseDetail(PublicView):
    query_class = DemoQuery

    @extend_schema(operation_id="courses_retrieve", summary="A MOOC course", tags=["mooc"],
                   parameters=[SLUG_PARAM, DemoQuery, *HEADERS], responses=responses(out.Course))
    def get(self, request, slug: str):
        params = self.query(request)
        course = selectors.course_detail(slug=slug, include_demo=params["include_demo"])
        if course is None:
            raise _not_found()
        return Response(out.Course(course, context={"request": request}).data)


# --- Barometer ---------------------------------------------------------------------------------------


class QuarterList(ListView):
    query_class = QuarterQuery
    serializer_class = out.Quarter

    @extend_schema(operation_id="barometer_quarters_list", summary="The barometer's frozen quarters", tags=["barometer"],
                   parameters=[QuarterQuery, *HEADERS], responses=responses(page_of(out.Quarter), not_found=False))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, params):
        return selectors.quarter_list()

    def ordering(self, params):
        return ["-starts_on", "-pk"]


class QuarterDetail(PublicView):
    @extend_schema(operation_id="barometer_quarters_retrieve", summary="A quarter's one-way tables (small counts suppressed)",
                   tags=["barometer"], parameters=[OpenApiParameter("quarter", str, OpenApiParameter.PATH,
                                                                     description="e.g. 2026-Q1"), CommonQuery, *HEADERS],
                   responses=responses(out.QuarterDetail))
    def get(self, request, quarter: str):
        self.query(request)
        snapshot = selectors.quarter_detail(quarter=quarter)
        if snapshot is None:
            raise _not_found()
        return Response(out.QuarterDetail(snapshot, context={"request": request}).data)
