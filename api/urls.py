"""Mounted at /api/v1/ outside the language prefix (the version is in the path)."""

from django.urls import path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularJSONAPIView

from api import opendata, views

app_name = "api"

urlpatterns = [
    # The schema changes only with a deployment: generated once an hour per language, not per request.
    path("openapi.json", cache_page(3600, key_prefix="api-schema")(SpectacularJSONAPIView.as_view()), name="schema"),
    path("docs/", opendata.docs, name="docs"),
    path("catalog.jsonld", opendata.Catalog.as_view(), name="catalog"),
    path("datasets/<str:key>.csv", opendata.DatasetCSV.as_view(), name="dataset-csv"),
    path("measures/", views.MeasureList.as_view(), name="measure-list"),
    path("measures/<str:number>/", views.MeasureDetail.as_view(), name="measure-detail"),
    path("expeditions/", views.ExpeditionList.as_view(), name="expedition-list"),
    path("expeditions/<str:slug>/", views.ExpeditionDetail.as_view(), name="expedition-detail"),
    path("contest-editions/", views.EditionList.as_view(), name="edition-list"),
    path("contest-editions/<str:slug>/", views.EditionDetail.as_view(), name="edition-detail"),
    path("courses/", views.CourseList.as_view(), name="course-list"),
    path("courses/<str:slug>/", views.CourseDetail.as_view(), name="course-detail"),
    path("barometer/quarters/", views.QuarterList.as_view(), name="barometer-list"),
    path("barometer/quarters/<str:quarter>/", views.QuarterDetail.as_view(), name="barometer-detail"),
]
