from django.urls import path

from expeditions import feeds, views

app_name = "expeditions"

urlpatterns = [
    path("", views.index, name="index"),
    path("archive/", views.archive, name="archive"),
    path("feed.atom", feeds.NewExpeditionsFeed(), name="feed"),
    path("registrations/<int:registration_id>/cancel/", views.registration_cancel, name="cancel"),
    path("registrations/<int:registration_id>/cancellation-request/", views.registration_request_cancellation,
         name="request_cancellation"),
    path("registrations/<int:registration_id>/accept/", views.offer_accept, name="offer_accept"),
    path("registrations/<int:registration_id>/decline/", views.offer_decline, name="offer_decline"),
    path("registrations/<int:registration_id>/calendar.ics", views.registration_ics, name="registration_ics"),
    path("calendar-feed/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_id>/offer/", views.group_offer, name="group_offer"),
    path("groups/<int:group_id>/places/<int:registration_id>/substitute/", views.group_substitute,
         name="group_substitute"),
    path("groups/<int:group_id>/places/<int:registration_id>/cancel/", views.group_cancel, name="group_cancel"),
    path("group-invitations/<str:token>/", views.group_invitation, name="group_invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/group/", views.group_register, name="group_register"),
    path("<slug:slug>/delegation/", views.delegation, name="delegation"),
]
