from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("quote/<slug:slug>/", views.quote_request, name="quote_request"),
    path("documents/<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
]
