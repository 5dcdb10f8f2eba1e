from django.urls import path

from mooc import views

app_name = "mooc"

urlpatterns = [
    path("", views.index, name="index"),
]
