from django.urls import path

from expeditions import views

app_name = "expeditions"

urlpatterns = [
    path("", views.index, name="index"),
]
