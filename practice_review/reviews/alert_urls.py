from django.urls import path

from practice_review.reviews import alert_views

urlpatterns = [
    path("", alert_views.alert_list, name="alert_list"),
    path("<int:alert_id>/", alert_views.alert_detail, name="alert_detail"),
    path("<int:alert_id>/acknowledge/", alert_views.acknowledge, name="alert_acknowledge"),
    path("<int:alert_id>/close/", alert_views.close, name="alert_close"),
    path("raise/<int:review_id>/", alert_views.raise_alert, name="alert_raise"),
]
