"""Mounted at /mooc/ outside the language prefix: the public certificate verification page
(printed as a QR code on the PDF, so its address never depends on a language), and what the
Open Badges credentials point to: the issuer, each course's achievement, the status lists."""

from django.urls import path

from mooc import views

app_name = "mooc_public"

urlpatterns = [
    path("certificates/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("achievements/<slug:slug>/", views.achievement, name="achievement"),
    path("credentials/issuer.json", views.credential_issuer, name="issuer"),
    path("credentials/status/<int:number>", views.credential_status_list, name="status_list"),
]
