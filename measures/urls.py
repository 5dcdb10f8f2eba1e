from django.urls import path

from measures import feeds, views

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed.atom", feeds.MeasureUpdatesFeed(), name="feed"),
    path("<int:number>/", views.detail, name="detail"),
    path("<int:number>/feed.atom", feeds.MeasureUpdatesFeed(), name="measure_feed"),
    path("<int:number>/support/", views.support, name="support"),
    path("<int:number>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:number>/follow/", views.follow, name="follow"),
    path("<int:number>/unfollow/", views.unfollow, name="unfollow"),
]
