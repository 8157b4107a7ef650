from django.urls import path

from practice_review.sampling import views

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/import/", views.caseload_import, name="caseload_import"),
    path("caseload/import/confirm/", views.caseload_import_confirm, name="caseload_import_confirm"),
    path("caseload/import/cancel/", views.caseload_import_cancel, name="caseload_import_cancel"),
    path("draw/", views.sample_draw, name="sample_draw"),
]
