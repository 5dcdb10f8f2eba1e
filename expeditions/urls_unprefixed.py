"""Mounted by portal/urls.py at /expeditions/ outside the language prefix: calendar clients
subscribe to one stable URL whatever the interface language."""

from django.urls import path

from expeditions import views

app_name = "expeditions_public"

urlpatterns = [
    path("feed/<str:token>.ics", views.personal_feed, name="feed"),
]
