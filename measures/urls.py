from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:number>/", views.detail, name="detail"),
    path("<int:number>/support/", views.support, name="support"),
    path("<int:number>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:number>/follow/", views.follow, name="follow"),
    path("<int:number>/unfollow/", views.unfollow, name="unfollow"),
]
