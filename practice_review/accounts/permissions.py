"""Roles as data: what each role may do (domain.md's table of who sees what).

What a person may *see* is decided by the scoped queries (`Review.objects.visible_to`); this
table decides what they may *do*. One function answers: `has_permission(user, permission)`.
"""

from enum import Enum


class Permission(Enum):
    IMPORT_REVIEWS = "import_reviews"
    VIEW_ALL_CASES = "view_all_cases"
    VIEW_CASES = "view_cases"
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_REFERENCE_DATA = "manage_reference_data"


ROLE_PERMISSIONS = {
    "qa_lead": {
        Permission.IMPORT_REVIEWS,
        Permission.VIEW_ALL_CASES,
        Permission.VIEW_CASES,
        Permission.MANAGE_REFERENCE_DATA,
    },
    "senior_leader": {Permission.VIEW_ALL_CASES, Permission.VIEW_CASES},
    "reviewer": {Permission.VIEW_CASES},
    "practitioner": {Permission.VIEW_CASES},
    "manager": {Permission.VIEW_CASES},
    "admin": {Permission.MANAGE_ACCOUNTS, Permission.MANAGE_REFERENCE_DATA},
}


def has_permission(user, permission):
    if not user.is_authenticated or not user.is_active:
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, set())
