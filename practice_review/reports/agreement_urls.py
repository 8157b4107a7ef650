from django.urls import path

from practice_review.reports import agreement_views

urlpatterns = [
    path("", agreement_views.agreement, name="agreement"),
]
