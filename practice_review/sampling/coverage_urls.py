from django.urls import path

from practice_review.sampling import views

urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("coverage.csv", views.coverage_export, name="coverage_export"),
]
