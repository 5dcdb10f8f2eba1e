"""Inside the language prefix: /open-data/ and /en/open-data/."""

from django.urls import path

from api import opendata

app_name = "opendata"

urlpatterns = [path("", opendata.page, name="index")]
