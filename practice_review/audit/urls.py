from django.urls import path

from practice_review.audit import views

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("export.csv", views.audit_log_export, name="audit_log_export"),
]
