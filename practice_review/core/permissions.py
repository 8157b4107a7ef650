"""Roles as data: what each role may do (docs/spec/domain.md#permissions).

What a person may *see* is decided by the scoped queries (each app's `queries.py`); this
table decides what they may *do*. One function answers, `has_permission(user, permission)`, and
one decorator guards a view with it, `@requires(Permission.X)`.
"""

from enum import Enum
from functools import wraps

from django.http import Http404

from practice_review.core.vocabulary import Role


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
    # The second person of the two-person rule for account changes (docs/security.md).
    APPROVE_ACCOUNT_CHANGES = "approve_account_changes"
    # Create, edit and publish audit templates: what every review on them asks
    # (docs/audit-templates.md#managing-templates-in-the-browser).
    MANAGE_TEMPLATES = "manage_templates"
    # Import the caseload extract and draw cohorts from it (docs/sampling.md).
    MANAGE_CASELOAD = "manage_caseload"


ROLE_PERMISSIONS = {
    Role.QA_LEAD: {
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
        Permission.APPROVE_ACCOUNT_CHANGES,
        Permission.MANAGE_TEMPLATES,
        Permission.MANAGE_CASELOAD,
    },
    Role.SENIOR_LEADER: {
        Permission.VIEW_ALL_CASES,
        Permission.VIEW_CASES,
        Permission.VIEW_ALERTS,
        Permission.ACT_ON_ALERTS,
        Permission.VIEW_REPORTS,
        Permission.VIEW_MODERATION,
        Permission.VIEW_AGREEMENT,
        Permission.VIEW_ALL_RECOMMENDATIONS,
    },
    Role.REVIEWER: {Permission.VIEW_CASES, Permission.VIEW_ALERTS, Permission.RAISE_ALERTS},
    Role.PRACTITIONER: {Permission.VIEW_CASES},
    Role.MANAGER: {Permission.VIEW_CASES, Permission.VIEW_ALERTS, Permission.ACT_ON_ALERTS},
    Role.ADMIN: {
        Permission.MANAGE_ACCOUNTS,
        Permission.MANAGE_REFERENCE_DATA,
        Permission.VIEW_AUDIT,
    },
}


# What a superuser may do whatever their role. Not everything: a superuser sees children's
# records only through a role with case access, like anyone else. They are the other approver
# of account changes, for a council whose only QA lead is the person a change is about.
SUPERUSER_PERMISSIONS = {Permission.APPROVE_ACCOUNT_CHANGES}


def has_permission(user, permission):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser and permission in SUPERUSER_PERMISSIONS:
        return True
    return permission in ROLE_PERMISSIONS.get(user.role, set())


def requires(*permissions):
    """A view only people with every one of `permissions` may open. Anyone else gets a 404, not
    a 403, so a page never confirms to the wrong person that it exists
    (docs/spec/domain.md#out-of-scope-is-not-found)."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not all(has_permission(request.user, permission) for permission in permissions):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded

    return decorator
