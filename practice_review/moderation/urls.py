from django.urls import path

from practice_review.moderation import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("recurring/", views.recurring, name="recurring_findings"),
    path("recurring/raise/", views.raise_for_finding, name="raise_for_finding"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/reviews/<int:item_id>/", views.decide, name="meeting_decide"),
    path("<int:meeting_id>/learning/", views.add_learning_point, name="meeting_learning"),
    path(
        "<int:meeting_id>/recommendations/",
        views.raise_recommendation,
        name="meeting_recommendation",
    ),
    path("<int:meeting_id>/close/", views.close_meeting, name="meeting_close"),
]
