from django.urls import path

from practice_review.tracker import views

urlpatterns = [
    path("", views.tracker_list, name="tracker_list"),
    path("export.<slug:file_type>", views.tracker_export, name="tracker_export"),
    path("<int:recommendation_id>/", views.tracker_detail, name="tracker_detail"),
    path("<int:recommendation_id>/update/", views.add_update, name="tracker_add_update"),
    path("<int:recommendation_id>/status/", views.change_status, name="tracker_change_status"),
    path("<int:recommendation_id>/impact/", views.record_impact, name="tracker_record_impact"),
    path(
        "<int:recommendation_id>/impact/sign-off/",
        views.sign_off_impact,
        name="tracker_sign_off_impact",
    ),
]
