from django.urls import path

from practice_review.accounts import views

urlpatterns = [
    path("approvals/", views.account_approvals, name="account_approvals"),
    path("approvals/<int:change_id>/", views.account_approval, name="account_approval"),
]
