from django.urls import path

from practice_review.alerts import views

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("<int:alert_id>/acknowledge/", views.acknowledge, name="alert_acknowledge"),
    path("<int:alert_id>/close/", views.close, name="alert_close"),
    path("raise/<int:review_id>/", views.raise_alert, name="alert_raise"),
]
