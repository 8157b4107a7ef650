from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from practice_review.core import views as core_views
from practice_review.reviews import views as review_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/sign_in.html",
            authentication_form=core_views.SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("cohorts/<int:cohort_id>/", review_views.cohort_detail, name="cohort_detail"),
    path("reviews/<int:review_id>/", review_views.review_detail, name="review_detail"),
    path("import/", review_views.import_reviews, name="import_reviews"),
    path("alerts/", include("practice_review.reviews.alert_urls")),
    path("admin/", admin.site.urls),
]
