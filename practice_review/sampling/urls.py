from django.urls import path

from practice_review.sampling import views

urlpatterns = [
    path("draw/", views.sample_draw, name="sample_draw"),
]
