from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/invitations/", views.organisation_invite, name="invite"),
    path("<int:pk>/invitations/<int:invitation_pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
