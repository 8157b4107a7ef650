"""Roles as data: what each role may do (domain.md's table of who sees what).

What a person may *see* is decided by the scoped queries (`Review.objects.visible_to`); this
table decides what they may *do*. One function answers: `has_permission(user, permission)`.
"""

from enum import Enum


class Permission(Enum):
    IMPORT_REVIEWS = "import_reviews"
    MANAGE_COHORTS = "manage_cohorts"
    SIGN_OFF_REVIEWS = "sign_off_reviews"
    VIEW_ALL_CASES = "view_all_cases"
    VIEW_CASES = "view_cases"
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_REFERENCE_DATA = "manage_reference_data"
    VIEW_ALERTS = "view_alerts"
    RAISE_ALERTS = "raise_alerts"
    ACT_ON_ALERTS = "act_on_alerts"
    VIEW_REPORTS = "view_reports"
    WRITE_REPORTS = "write_reports"
    MODERATE = "moderate"  # run moderation meetings and record their decisions
    VIEW_MODERATION = "view_moderation"
    VIEW_AGREEMENT = "view_agreement"  # agreement between reviewers, across all reviews
    MANAGE_RECOMMENDATIONS = "manage_recommendations"  # every recommendation, sign-offs
    VIEW_ALL_RECOMMENDATIONS = "view_all_recommendations"
    # Legal holds, the subject access export of one child (docs/data-protection.md).
    MANAGE_DATA_PROTECTION = "manage_data_protection"
    VIEW_AUDIT = "view_audit"  # search the audit trail: who viewed and changed what


ROLE_PERMISSIONS = {
    "qa_lead": {
        Permission.IMPORT_REVIEWS,
        Permission.MANAGE_COHORTS,
        Permission.SIGN_OFF_REVIEWS,
        Permission.VIEW_ALL_CASES,
        Permission.VIEW_CASES,
        Permission.MANAGE_REFERENCE_DATA,
        Permission.VIEW_ALERTS,
        Permission.RAISE_ALERTS,
        Permission.ACT_ON_ALERTS,
        Permission.VIEW_REPORTS,
        Permission.WRITE_REPORTS,
        Permission.MODERATE,
        Permission.VIEW_MODERATION,
        Permission.VIEW_AGREEMENT,
        Permission.MANAGE_RECOMMENDATIONS,
        Permission.VIEW_ALL_RECOMMENDATIONS,
        Permission.MANAGE_DATA_PROTECTION,
        Permission.VIEW_AUDIT,
    },
    "senior_leader": {
        Permission.VIEW_ALL_CASES,
        Permission.VIEW_CASES,
        Permission.VIEW_ALERTS,
        Permission.ACT_ON_ALERTS,
        Permission.VIEW_REPORTS,
        Permission.VIEW_MODERATION,
        Permission.VIEW_AGREEMENT,
        Permission.VIEW_ALL_RECOMMENDATIONS,
    },
    "reviewer": {Permission.VIEW_CASES, Permission.VIEW_ALERTS, Permission.RAISE_ALERTS},
    "practitioner": {Permission.VIEW_CASES},
    "manager": {Permission.VIEW_CASES, Permission.VIEW_ALERTS, Permission.ACT_ON_ALERTS},
    "admin": {
        Permission.MANAGE_ACCOUNTS,
        Permission.MANAGE_REFERENCE_DATA,
        Permission.VIEW_AUDIT,
    },
}


def has_permission(user, permission):
    if not user.is_authenticated or not user.is_active:
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, set())
