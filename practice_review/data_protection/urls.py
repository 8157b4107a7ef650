from django.urls import path

from practice_review.data_protection import views

urlpatterns = [
    path("", views.child_search, name="child_search"),
    path("<int:child_id>/", views.child_detail, name="child_detail"),
    path("<int:child_id>/legal-hold/", views.child_legal_hold, name="child_legal_hold"),
    path("<int:child_id>/subject-access/", views.child_subject_access, name="child_subject_access"),
]
