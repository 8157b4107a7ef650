from django.urls import path

from practice_review.accounts import session_views, views

urlpatterns = [
    path("approvals/", views.account_approvals, name="account_approvals"),
    path("approvals/<int:change_id>/", views.account_approval, name="account_approval"),
    path("session/", session_views.session_status, name="session_status"),
    path("session/extend/", session_views.session_extend, name="session_extend"),
]
