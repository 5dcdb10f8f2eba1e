from django.urls import path

from mooc import views

app_name = "mooc"

urlpatterns = [
    path("", views.index, name="index"),
    path("progress/<int:enrollment_id>/", views.enrollment_progress, name="progress"),
    path("my-certificates/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("my-certificates/<int:pk>/open-badge.jwt", views.certificate_credential, name="certificate_credential"),
    path("preview/<int:pk>/", views.preview_course, name="preview"),
    # The verification page under /en/ too (the QR code's address, /mooc/certificates/…, is
    # outside the prefix and follows the visitor's language; French is the same address).
    path("certificates/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("<slug:slug>/", views.course_detail, name="course_detail"),
    path("<slug:slug>/cover/", views.course_cover, name="course_cover"),
    path("<slug:slug>/runs/<int:run_id>/enroll/", views.enroll, name="enroll"),
    path("<slug:slug>/runs/<int:run_id>/unenroll/", views.unenroll, name="unenroll"),
    path("<slug:slug>/runs/<int:run_id>/learn/", views.learn, name="learn"),
    path("<slug:slug>/runs/<int:run_id>/certificate/", views.certificate_request, name="certificate_request"),
    path("<slug:slug>/runs/<int:run_id>/lessons/<int:lesson_id>/", views.lesson_detail, name="lesson"),
    path("<slug:slug>/runs/<int:run_id>/lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("<slug:slug>/runs/<int:run_id>/lessons/<int:lesson_id>/quiz/", views.quiz_submit, name="quiz_submit"),
    path("<slug:slug>/runs/<int:run_id>/lessons/<int:lesson_id>/video/", views.lesson_file, {"kind": "video"}, name="lesson_video"),
    path("<slug:slug>/runs/<int:run_id>/lessons/<int:lesson_id>/resource/", views.lesson_file, {"kind": "resource"}, name="lesson_resource"),
]
