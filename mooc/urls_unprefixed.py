"""Mounted at /mooc/ outside the language prefix: the public certificate verification page
(printed as a QR code on the PDF, so its address never depends on a language)."""

from django.urls import path

from mooc import views

app_name = "mooc_public"

urlpatterns = [
    path("certificates/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
