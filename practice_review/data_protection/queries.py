"""Reads for the data protection pages: one child, found only by those who may manage data
protection (everyone else gets a 404, as for any record out of scope)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from practice_review.core.permissions import Permission, has_permission
from practice_review.reviews.queries import children_visible_to, reviews_visible_to


def may_manage_data_protection(user):
    return has_permission(user, Permission.MANAGE_DATA_PROTECTION)


def get_child_for_data_protection(user, child_id):
    if not may_manage_data_protection(user):
        raise Http404
    return get_object_or_404(children_visible_to(user), pk=child_id)


def find_child_by_case_ref(user, case_ref):
    """The child with this case reference (trimmed, exact), or None."""
    if not may_manage_data_protection(user):
        raise Http404
    case_ref = case_ref.strip()
    if not case_ref:
        return None
    return children_visible_to(user).filter(case_ref=case_ref).first()


def reviews_of_child(user, child):
    return (
        reviews_visible_to(user)
        .filter(child=child)
        .select_related("cohort", "reviewer")
        .order_by("-review_date", "-id")
    )
