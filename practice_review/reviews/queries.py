"""Reads of case data, always through the user's scope (docs/spec/domain.md#who-sees-what).

Every view, count and export starts from these, so out-of-scope records simply do not exist
for the user (a 404, never a 403 that confirms a record is there).
"""

from collections import defaultdict

from django.db.models import Count, IntegerField, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from practice_review.core.permissions import Permission, has_permission
from practice_review.core.vocabulary import (
    COMPLETED_STATES,
    EDITABLE_STATES,
    STAFF_ROLE_KEYS,
    Role,
)
from practice_review.reviews import dual_review
from practice_review.reviews.answers import grade_values, question_values, standard_values
from practice_review.reviews.models import AuditTemplate, Child, Cohort, Framework, Review
from practice_review.reviews.review_sections import SECTION_FIELDS


def frameworks():
    """The council's legal or practice frameworks (core/vocabulary.py FrameworkTerms), in their
    order, active or not: the one list the import, the review form, the figures, the reports
    and the figure check take. Reference data, not case data: no scope."""
    return tuple(framework.terms for framework in Framework.objects.in_order())


def published_templates():
    """The audit templates a cohort or an import may use: every published version, the built-in
    one first (made again if a database lost it). Reference data, not case data: no scope."""
    built_in = AuditTemplate.objects.built_in()
    return [built_in, *AuditTemplate.objects.published().exclude(pk=built_in.pk)]


def published_template(template_id):
    """A published template by its id, or None."""
    return AuditTemplate.objects.published().filter(pk=template_id).first()


def latest_published_template(key):
    """The latest published version of the template `key`, or None."""
    return AuditTemplate.objects.published().filter(key=key).order_by("-version").first()


def templates_with_use():
    """Every template version, by key and then version, each with how many cohorts and reviews
    use it (`cohort_count`, `review_count`), in one query however many there are. Reference
    data: whoever manages templates sees them all."""

    def count(model):
        used = (
            model.objects.filter(template=OuterRef("pk"))
            .order_by()
            .values("template")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(used, output_field=IntegerField()), Value(0))

    return AuditTemplate.objects.annotate(
        cohort_count=count(Cohort), review_count=count(Review)
    ).order_by("key", "version")


def get_template(template_id):
    return get_object_or_404(AuditTemplate, pk=template_id)


def get_draft_template(template_id):
    """A draft to change; a published version is never changed, so its edit pages are not
    found (docs/audit-templates.md#managing-templates-in-the-browser)."""
    return get_object_or_404(AuditTemplate, pk=template_id, published_at__isnull=True)


def template_in_use(template):
    return template.cohorts.exists() or template.reviews.exists()


def template_versions(versions):
    """The core AuditTemplates of the (key, version) pairs `versions`, in their order, in one
    query; a pair no stored version has is left out."""
    versions = list(versions)
    if not versions:
        return ()
    wanted = Q()
    for key, version in versions:
        wanted |= Q(key=key, version=version)
    found = {(row.key, row.version): row.template for row in AuditTemplate.objects.filter(wanted)}
    return tuple(found[pair] for pair in versions if pair in found)


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


class ReviewClosed(Http404):
    """The person may see this review, but it is no longer a draft: nobody may change it.

    The pages of the form catch it (form_views.review_form_page) and send the person to the
    review's page, saying since when: the back button and a tab left open after submission
    land there, not on "Page not found". It is a 404 too, so a page that forgot to catch it
    still answers as it did before, telling nothing.
    """

    def __init__(self, review):
        submitted = submitted_on(review)
        when = f" on {submitted:%-d %B %Y}" if submitted else ""
        self.review = review
        self.message = f"Submitted{when}: it can no longer be changed."
        super().__init__(self.message)


def submitted_on(review):
    """The day the review last left the reviewer's hands (submitted, or imported as final);
    None if its timeline does not say."""
    event = (
        review.events.filter(to_status__in=COMPLETED_STATES)
        .exclude(from_status__in=COMPLETED_STATES)
        .order_by("-at", "-id")
        .first()
    )
    return timezone.localdate(event.at) if event else None


def get_review_to_edit(user, review_id):
    """The review, for a page of the review form: the one place that decides who may change
    a review. Out of scope is a 404; in scope but no longer a draft is ReviewClosed (a draft
    is only ever its reviewer's to change, so nobody may change a closed one)."""
    review = get_review_for_user(user, review_id)
    if review.status not in EDITABLE_STATES:
        raise ReviewClosed(review)
    if not can_edit_review(user, review):
        raise Http404
    return review


def _theme_values(review):
    """The findings under each of the themes of the review's template."""
    findings = {finding.theme: finding for finding in review.findings.all()}
    values = {}
    for theme in (theme.key for theme in review.themes):
        finding = findings.get(theme)
        values[f"strengths_{theme}"] = finding.strengths if finding else ""
        values[f"development_{theme}"] = finding.development if finding else ""
        values[f"topics_{theme}"] = sorted(t.pk for t in finding.topics.all()) if finding else []
        values[f"before_window_{theme}"] = finding.before_window if finding else False
    return values


def section_values(review, section):
    """What is saved now for a section of the form, as {field: value}."""
    if section == "themes":
        return _theme_values(review)
    if section == "standards":
        return standard_values(review.answers, review.standard_keys)
    if section == "questions":
        return question_values(review.answers, review.question_kinds)
    values = {name: getattr(review, name) for name in SECTION_FIELDS[section]}
    if section == "grades":
        values = grade_values(review.answers, review.axis_keys) | values
    return values


def review_answers(review):
    """The review as plain data for review_sections.missing() and status()."""
    answers = {
        name: getattr(review, name)
        for section, fields in SECTION_FIELDS.items()
        if section != "standards"
        for name in fields
    }
    # The standards and questions are the review's template's, as it asks them.
    answers |= standard_values(review.answers, review.standard_keys)
    answers |= grade_values(review.answers, review.axis_keys)
    answers["asks"] = review.asks
    answers["questions"] = question_values(review.answers, review.question_kinds)
    answers["findings"] = {
        finding.theme: (finding.strengths, finding.development) for finding in review.findings.all()
    }
    answers["conversations"] = review.conversations.count()
    answers["recommendations"] = review.recommendations.count()
    answers["earliest_recommendation_due"] = review.recommendations.aggregate(
        earliest=Min("due_date")
    )["earliest"]
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


def _blind(user):
    """As a query, the reviews whose first write-up `user` may not see yet: the dual reviews
    they grade blind as second reviewer (dual_review.write_up_hidden_from, for one review)."""
    staff = user.staff_member_id if user.is_authenticated else None
    if staff is None or user.role in dual_review.SEE_BOTH_AT_ANY_TIME:
        return Q(pk__in=[])
    return (
        Q(second_reviewer=staff)
        & ~Q(reviewer=staff)
        & (~Q(status__in=COMPLETED_STATES) | Q(second_graded_at__isnull=True))
    )


def reviews_blind_to(user, reviews=None):
    """The reviews in `user`'s scope whose first reviewer's write-up they may not see yet: its
    alerts and recommendations are left out of their lists and exports too."""
    return reviews_visible_to(user, reviews).filter(_blind(user))


def graded_reviews_visible_to(user, reviews=None):
    """The reviews whose grades `user` may see: as `reviews_visible_to`, less the dual reviews
    they are grading blind as second reviewer (dual_review.py), so no figure gives the first
    reviewer's grades away."""
    return reviews_visible_to(user, reviews).exclude(_blind(user))


def second_reviews_to_grade(user):
    """Dual reviews waiting for this reviewer's own grades as second reviewer."""
    if user.role != Role.REVIEWER or user.staff_member_id is None:
        return Review.objects.none()
    return (
        reviews_visible_to(user)
        .filter(second_reviewer=user.staff_member_id)
        .filter(second_graded_at__isnull=True)
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
