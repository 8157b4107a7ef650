"""The top floor's pages: the home page (what to do next) and the accessibility statement."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import Error, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from practice_review.alerts.queries import home_alerts
from practice_review.core.permissions import Permission, has_permission
from practice_review.core.text import describe_duration
from practice_review.core.vocabulary import ReviewStatus, Role
from practice_review.reports.figures import grade_summaries_by_cohort
from practice_review.reports.models import SummaryReport
from practice_review.reports.presenters import CohortSummary
from practice_review.reviews.queries import (
    cohorts_visible_to,
    graded_reviews_visible_to,
    reviews_assigned_to,
    reviews_awaiting_response,
    reviews_visible_to,
    second_reviews_to_grade,
)

logger = logging.getLogger(__name__)


def home(request):
    """What this person needs to do next, then the cohorts they may see with their figures."""
    user = request.user
    cohorts = cohorts_visible_to(user)
    summaries = grade_summaries_by_cohort(graded_reviews_visible_to(user))
    my_reviews = list(reviews_assigned_to(user)) if user.role == Role.REVIEWER else None
    context = {
        "cohorts": [
            CohortSummary(cohort, summaries.get(cohort.id))
            for cohort in cohorts.select_related("template")
        ],
        "can_import": has_permission(user, Permission.IMPORT_REVIEWS),
        "can_manage_cohorts": has_permission(user, Permission.MANAGE_COHORTS),
        "my_reviews": my_reviews,
        "second_reviews": second_reviews_to_grade(user),
        "overdue_count": sum(review.is_overdue for review in my_reviews or []),
        "to_respond": reviews_awaiting_response(user),
        "home_alerts": home_alerts(user),
        "awaiting_sign_off": (
            reviews_visible_to(user)
            .filter(status=ReviewStatus.SUBMITTED)
            .select_related("child", "cohort")
            if has_permission(user, Permission.SIGN_OFF_REVIEWS)
            else []
        ),
        "can_view_reports": has_permission(user, Permission.VIEW_REPORTS),
        "latest_reports": (
            SummaryReport.objects.prefetch_related("versions")[:3]
            if has_permission(user, Permission.VIEW_REPORTS)
            else []
        ),
    }
    return render(request, "site/home.html", context)


@login_not_required
def accessibility(request):
    time_limits = {
        "idle": describe_duration(settings.SESSION_IDLE_TIMEOUT),
        "absolute": describe_duration(settings.SESSION_ABSOLUTE_TIMEOUT),
        "warning": describe_duration(settings.SESSION_WARNING_BEFORE),
    }
    return render(request, "site/accessibility.html", {"time_limits": time_limits})


@login_not_required
@never_cache
@require_safe
def health(request):
    """For load balancers and monitoring: 200 `ok` when the database answers a trivial query,
    503 when it does not. Public (no sign-in, no second factor: accounts/middleware.py), reachable
    over plain HTTP (settings.SECURE_REDIRECT_EXEMPT), with no personal data, no session or
    cookie, and not in the audit trail (audit/pages.py)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:
        logger.warning("Health check: the database did not answer (%s)", type(error).__name__)
        return HttpResponse("unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
