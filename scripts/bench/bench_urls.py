"""The portal's URLs plus the benchmark's floor view (base.html through the same middleware)."""

from django.shortcuts import render
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def floor(request):
    return render(request, "base.html")


urlpatterns = [path("bench-floor/", floor), *portal_urlpatterns]
