"""Reads of case data, always through the user's scope (docs/spec/domain.md#who-sees-what).

Every view, count and export starts from these, so out-of-scope records simply do not exist
for the user (a 404, never a 403 that confirms a record is there).
"""

from collections import defaultdict

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from practice_review.core.permissions import Permission, has_permission
from practice_review.core.vocabulary import (
    COMPLETED_STATES,
    EDITABLE_STATES,
    STAFF_ROLE_KEYS,
    Role,
)
from practice_review.reviews.models import Child, Cohort, Review
from practice_review.reviews.review_sections import SECTION_FIELDS


def reviews_visible_to(user, reviews=None):
    reviews = Review.objects.all() if reviews is None else reviews
    if not user.is_authenticated or not user.is_active:
        return reviews.none()
    if has_permission(user, Permission.VIEW_ALL_CASES):
        return reviews
    staff = user.staff_member_id
    if staff is None:
        return reviews.none()
    if user.role == Role.REVIEWER:
        return reviews.filter(Q(reviewer=staff) | Q(second_reviewer=staff))
    if user.role == Role.PRACTITIONER:
        return reviews.filter(status__in=COMPLETED_STATES, social_worker=staff)
    if user.role == Role.MANAGER:
        return reviews.filter(status__in=COMPLETED_STATES, supervisor=staff)
    return reviews.none()


def cohorts_visible_to(user):
    if has_permission(user, Permission.VIEW_ALL_CASES):
        return Cohort.objects.all()
    return Cohort.objects.filter(id__in=reviews_visible_to(user).values("cohort"))


def children_visible_to(user):
    if has_permission(user, Permission.VIEW_ALL_CASES):
        return Child.objects.all()
    return Child.objects.filter(id__in=reviews_visible_to(user).values("child"))


def get_cohort_for_user(user, cohort_id):
    return get_object_or_404(cohorts_visible_to(user), pk=cohort_id)


def get_review_for_user(user, review_id):
    return get_object_or_404(
        reviews_visible_to(user).select_related(
            "cohort", "child", "reviewer", "social_worker", "supervisor", "second_reviewer"
        ),
        pk=review_id,
    )


def find_cohort(name):
    """A cohort by name, case-insensitively after trimming (docs/spec/interchange.md#cohort-names);
    None if absent."""
    return Cohort.objects.filter(name_key=Cohort.key_for(name)).first()


def reviews_assigned_to(user):
    """'My reviews': the reviews a reviewer still has to do, soonest due first."""
    if user.role != Role.REVIEWER or user.staff_member_id is None:
        return Review.objects.none()
    return (
        reviews_visible_to(user)
        .filter(reviewer=user.staff_member_id, status__in=EDITABLE_STATES)
        .select_related("child", "cohort")
        .order_by("due_date", "id")
    )


def can_edit_review(user, review):
    """Only the assigned reviewer fills in the form, and only before it is submitted."""
    return (
        user.role == Role.REVIEWER
        and user.staff_member_id is not None
        and review.reviewer_id == user.staff_member_id
        and review.status in EDITABLE_STATES
    )


def get_review_to_edit(user, review_id):
    review = get_review_for_user(user, review_id)
    if not can_edit_review(user, review):
        raise Http404
    return review


def review_answers(review):
    """The review as plain data for review_sections.missing() and status()."""
    answers = {name: getattr(review, name) for fields in SECTION_FIELDS.values() for name in fields}
    answers["findings"] = {
        finding.theme: (finding.strengths, finding.development) for finding in review.findings.all()
    }
    answers["conversations"] = review.conversations.count()
    answers["recommendations"] = review.recommendations.count()
    answers["saved_sections"] = set(review.section_versions)
    return answers


def reviews_awaiting_response(user):
    """Submitted or final reviews of this practitioner's or manager's cases with no response
    from them yet."""
    if user.role not in (Role.PRACTITIONER, Role.MANAGER):
        return []
    return list(
        reviews_visible_to(user)
        .exclude(responses__by=user)
        .select_related("child")
        .order_by("-review_date")
    )


def graded_reviews_visible_to(user, reviews=None):
    """The reviews whose grades `user` may see: as `reviews_visible_to`, less the dual reviews
    they are grading blind as second reviewer (dual_review.py), so no figure gives the first
    reviewer's grades away."""
    visible = reviews_visible_to(user, reviews)
    staff = user.staff_member_id if user.is_authenticated else None
    if staff is None or user.role != Role.REVIEWER:
        return visible
    blind = (
        Q(second_reviewer=staff)
        & ~Q(reviewer=staff)
        & (
            ~Q(status__in=COMPLETED_STATES)
            | Q(second_practice_grade__isnull=True)
            | Q(second_outcome_grade__isnull=True)
        )
    )
    return visible.exclude(blind)


def second_reviews_to_grade(user):
    """Dual reviews waiting for this reviewer's own grades as second reviewer."""
    if user.role != Role.REVIEWER or user.staff_member_id is None:
        return Review.objects.none()
    return (
        reviews_visible_to(user)
        .filter(second_reviewer=user.staff_member_id)
        .filter(Q(second_practice_grade__isnull=True) | Q(second_outcome_grade__isnull=True))
        .select_related("child", "cohort")
        .order_by("due_date", "id")
    )


def can_respond(user, review):
    """The practitioner and manager named on a submitted or final review respond to it."""
    return (
        review.status in COMPLETED_STATES
        and user.staff_member_id is not None
        and (
            (user.role == Role.PRACTITIONER and review.social_worker_id == user.staff_member_id)
            or (user.role == Role.MANAGER and review.supervisor_id == user.staff_member_id)
        )
    )


def staff_roles():
    """{staff member id: {role key, ...}}: the parts each member of staff has played on any
    review (social worker, supervisor, reviewer...). A member of staff holds no job title; the
    reviews say what they do.

    Over every review, so only for the lists of people who see every review (the QA lead's
    choices of staff: reviews/forms.py `staff_choice(..., with_roles=True)`). One small
    query per part, whatever the number of reviews.
    """
    roles = defaultdict(set)
    for role in STAFF_ROLE_KEYS:
        named = Review.objects.filter(**{f"{role}__isnull": False})
        for staff_id in named.values_list(role, flat=True).order_by().distinct():
            roles[staff_id].add(role)
    return roles
