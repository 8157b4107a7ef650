"""Reads of summary reports, always through the user's scope (docs/spec/domain.md#who-sees-what).

A report is about whole cohorts, so it is all or nothing: the roles that read reports (the QA
lead, senior leaders) see every one; nobody else sees any, and a report they ask for is a 404.
"""

from django.shortcuts import get_object_or_404

from practice_review.core.permissions import Permission, has_permission
from practice_review.reports.models import SummaryReport


def reports_visible_to(user):
    if has_permission(user, Permission.VIEW_REPORTS):
        return SummaryReport.objects.all()
    return SummaryReport.objects.none()


def get_report_for_user(user, report_id):
    return get_object_or_404(reports_visible_to(user), pk=report_id)
