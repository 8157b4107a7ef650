from django.contrib import admin
from django.urls import include, path

from practice_review.accounts import sign_in_views, single_sign_on, two_factor_views
from practice_review.reports import case_views
from practice_review.reviews import cohort_views, dual_views, form_views
from practice_review.reviews import views as review_views
from practice_review.site import views as site_views
from practice_review.tracker import views as tracker_views

urlpatterns = [
    path("", site_views.home, name="home"),
    # The addresses registered with the provider come from single_sign_on, as these do.
    path(single_sign_on.SIGN_IN_PATH[1:], sign_in_views.SignInView.as_view(), name="login"),
    path("sign-in/council/", sign_in_views.council_sign_in, name="council_sign_in"),
    path(
        single_sign_on.CALLBACK_PATH[1:],
        sign_in_views.council_sign_in_callback,
        name="council_sign_in_callback",
    ),
    path(
        "sign-in/council/refused/",
        sign_in_views.council_sign_in_refused,
        name="council_sign_in_refused",
    ),
    path("sign-out/", sign_in_views.sign_out, name="logout"),
    path("account/two-factor/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/set-up/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path(
        "account/two-factor/recovery-codes/",
        two_factor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accessibility/", site_views.accessibility, name="accessibility"),
    path("health/", site_views.health, name="health"),
    path("cohorts/new/", cohort_views.cohort_create, name="cohort_create"),
    path("cohorts/<int:cohort_id>/", case_views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:cohort_id>/add/", cohort_views.cohort_add_case, name="cohort_add_case"),
    path("my-reviews/", cohort_views.my_reviews, name="my_reviews"),
    path("reviews/<int:review_id>/", review_views.review_detail, name="review_detail"),
    path(
        "reviews/<int:review_id>/document.<slug:format>",
        case_views.review_document,
        name="review_document",
    ),
    path("reviews/<int:review_id>/form/", form_views.review_tasks, name="review_tasks"),
    path(
        "reviews/<int:review_id>/form/conversations/",
        form_views.review_conversations,
        name="review_conversations",
    ),
    path(
        "reviews/<int:review_id>/form/recommendations/",
        tracker_views.review_recommendations,
        name="review_recommendations",
    ),
    # Before the general removal below, which takes conversations only.
    path(
        "reviews/<int:review_id>/form/recommendations/<int:item_id>/remove/",
        tracker_views.review_remove_recommendation,
        name="review_remove_recommendation",
    ),
    path(
        "reviews/<int:review_id>/form/<slug:kind>/<int:item_id>/remove/",
        form_views.review_remove_item,
        name="review_remove_item",
    ),
    path(
        "reviews/<int:review_id>/form/<slug:section>/",
        form_views.review_section,
        name="review_section",
    ),
    path("reviews/<int:review_id>/submit/", form_views.review_submit, name="review_submit"),
    path("reviews/<int:review_id>/reassign/", cohort_views.review_reassign, name="review_reassign"),
    path(
        "reviews/<int:review_id>/second-reviewer/",
        dual_views.second_reviewer,
        name="review_second_reviewer",
    ),
    path("reviews/<int:review_id>/second-grades/", dual_views.second_grades, name="second_grades"),
    path("reviews/<int:review_id>/sign-off/", form_views.review_sign_off, name="review_sign_off"),
    path("reviews/<int:review_id>/reopen/", form_views.review_reopen, name="review_reopen"),
    path("reviews/<int:review_id>/respond/", form_views.review_respond, name="review_respond"),
    path("import/", review_views.import_reviews, name="import_reviews"),
    path("import/confirm/", review_views.import_confirm, name="import_confirm"),
    path("import/cancel/", review_views.import_cancel, name="import_cancel"),
    path("audit-templates/", include("practice_review.reviews.template_urls")),
    path("alerts/", include("practice_review.alerts.urls")),
    path("sampling/", include("practice_review.sampling.urls")),
    path("reports/", include("practice_review.reports.urls")),
    path("moderation/", include("practice_review.moderation.urls")),
    path("agreement/", include("practice_review.reports.agreement_urls")),
    path("coverage/", include("practice_review.sampling.coverage_urls")),
    path("recommendations/", include("practice_review.tracker.urls")),
    path("children/", include("practice_review.data_protection.urls")),
    path("audit/", include("practice_review.audit.urls")),
    path("accounts/", include("practice_review.accounts.urls")),
    path("admin/", admin.site.urls),
]

# Generic GOV.UK error pages with the request id (core/errors.py), never a traceback.
handler400 = "practice_review.core.errors.bad_request"
handler403 = "practice_review.core.errors.permission_denied"
handler404 = "practice_review.core.errors.page_not_found"
handler500 = "practice_review.core.errors.server_error"
