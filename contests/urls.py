from django.urls import path

from contests import feeds, views

app_name = "contests"

urlpatterns = [
    path("", views.index, name="index"),
    path("archive/", views.archive, name="archive"),
    path("feed.atom", feeds.ContestResultsFeed(), name="feed"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", views.company_edit, name="company_edit"),
    path("companies/<int:pk>/invitations/", views.company_invite, name="company_invite"),
    path("companies/<int:pk>/invitations/<int:invitation_pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("companies/invitations/<str:token>/", views.invitation, name="invitation"),
    path("projects/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("projects/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("projects/<int:pk>/submit/", views.submission_submit, name="submission_submit"),
    path("projects/<int:pk>/withdraw/", views.submission_withdraw, name="submission_withdraw"),
    path("projects/<int:pk>/files/", views.attachment_upload, name="attachment_upload"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("jury/accept/<str:token>/", views.jury_accept, name="jury_accept"),
    path("<slug:slug>/", views.edition_detail, name="edition_detail"),
    path("<slug:slug>/laureates/", views.laureates, name="laureates"),
    path("<slug:slug>/new/<int:company_pk>/", views.submission_create, name="submission_create"),
    path("<slug:slug>/jury/", views.jury, name="jury"),
    path("<slug:slug>/jury/conflicts/", views.jury_conflicts, name="jury_conflicts"),
    path("<slug:slug>/jury/conflicts/close/", views.jury_conflicts_close, name="jury_conflicts_close"),
    path("<slug:slug>/jury/pack.csv", views.jury_pack, name="jury_pack"),
    path("<slug:slug>/jury/<int:submission_id>/recuse/", views.jury_recuse, name="jury_recuse"),
    path("<slug:slug>/jury/<int:submission_id>/", views.jury_review, name="jury_review"),
    path("<slug:slug>/ranking/", views.ranking, name="ranking"),
    path("<slug:slug>/ranking/<int:pk>/decide/", views.decide, name="decide"),
    path("<slug:slug>/deliberation/", views.deliberation_start, name="deliberation_start"),
    path("<slug:slug>/publication/", views.publication_prepare, name="publication_prepare"),
    path("<slug:slug>/publication/<int:pk>/", views.publication_detail, name="publication_detail"),
    path("<slug:slug>/publication/<int:pk>/emails/<int:notification_pk>/", views.publication_email, name="publication_email"),
    path("<slug:slug>/publication/<int:pk>/release/", views.publication_release, name="publication_release"),
    path("<slug:slug>/publication/<int:pk>/cancel/", views.publication_cancel, name="publication_cancel"),
    path("<slug:slug>/ranking/<str:action>/", views.edition_action, name="edition_action"),
]
