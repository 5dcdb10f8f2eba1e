from django.urls import path

from diagnostic import views

app_name = "diagnostic"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("step/<int:number>/", views.step, name="step"),
    path("result/<uuid:public_id>/", views.result, name="result"),
    path("result/<uuid:public_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("result/<uuid:public_id>/contact/", views.contact, name="contact"),
    path("barometer/", views.barometer, name="barometer"),
    path("barometer/<str:quarter>.csv", views.barometer_csv, name="barometer_csv"),
    path("barometer/<str:quarter>.json", views.barometer_json, name="barometer_json"),
    path("preview/<int:version_id>/", views.preview, name="preview"),
]
