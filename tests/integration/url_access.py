"""The access policy as one table: who may use every URL of the app, on which objects.

Read ACCESS below to learn the policy. Each URL pattern name maps to an `Access` row:

- `who`: PUBLIC (no sign-in), SIGNED_IN (anyone signed in) or the roles that may use it. Anyone
  else gets a 404, never a 403 that would confirm the object is there
  (docs/spec/domain.md#out-of-scope-is-not-found, style.md).
- `object`: the kind of object whose id fills the URL, and so whose scope decides. A person may
  only reach objects in their scope (`reviews_visible_to` and its siblings); out of scope is 404
  whatever their role.
- `only`: for actions, the objects in scope this person may act on (the assigned reviewer, the
  owner...). In scope but not theirs to act on is 404 too.
- `post_only`: the URL takes a POST from a form on another page; a GET is refused (405).

Django admin's URLs are one group (ADMIN): staff only, through the admin's own sign-in; the
admin site registers no case data for the admin role (test_permissions.py proves that).

`unclassified()` lists every named URL pattern the resolver knows that has no row here: a new
view without a row fails test_access_matrix.py, so nobody adds a URL without deciding who may
use it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from practice_review.accounts.models import AccountChangeRequest
from practice_review.accounts.queries import changes_waiting
from practice_review.alerts.models import Alert
from practice_review.alerts.queries import alerts_visible_to
from practice_review.alerts.rules import SENIOR_LEADERS
from practice_review.core.vocabulary import (
    COMPLETED_STATES,
    EDITABLE_STATES,
    AccountChangeStatus,
)
from practice_review.moderation.models import AgendaReview, Meeting
from practice_review.reports.models import PublishedReport, SummaryReport
from practice_review.reviews.models import AuditTemplate, Child, Cohort, Conversation, Review
from practice_review.reviews.queries import (
    children_visible_to,
    cohorts_visible_to,
    graded_reviews_visible_to,
    reviews_visible_to,
)
from practice_review.tracker.models import Recommendation
from practice_review.tracker.queries import recommendations_visible_to

PUBLIC = "public"
SIGNED_IN = "signed in"

QA_LEAD, SENIOR_LEADER, REVIEWER = "qa_lead", "senior_leader", "reviewer"
PRACTITIONER, MANAGER, ADMIN = "practitioner", "manager", "admin"
ROLES = {QA_LEAD, SENIOR_LEADER, REVIEWER, PRACTITIONER, MANAGER, ADMIN}

# Everyone who works with case data (admin manages accounts and sees no case content).
CASE_READERS = frozenset({QA_LEAD, SENIOR_LEADER, REVIEWER, PRACTITIONER, MANAGER})
LEADERS = frozenset({QA_LEAD, SENIOR_LEADER})  # reports, moderation, agreement: read
QA_LEAD_ONLY = frozenset({QA_LEAD})  # cohorts, assignment, sign-off, moderation, reports: write
REVIEWERS = frozenset({REVIEWER})
ALERT_READERS = frozenset({QA_LEAD, SENIOR_LEADER, REVIEWER, MANAGER})
ALERT_ACTORS = frozenset({QA_LEAD, SENIOR_LEADER, MANAGER})  # acknowledge and close
ALERT_RAISERS = frozenset({QA_LEAD, REVIEWER})
RESPONDERS = frozenset({PRACTITIONER, MANAGER})  # reflection and response on their reviews
IMPACT_CHECKERS = frozenset({QA_LEAD, MANAGER})
AUDITORS = frozenset({QA_LEAD, ADMIN})  # the audit trail holds ids and field names, no case text
NONEXISTENT = 999999


@dataclass(frozen=True)
class Kind:
    """A kind of object a URL names: which exist, which a person sees, and the URL's kwargs."""

    name: str
    candidates: Callable  # () -> queryset: every object of this kind in the state the URL wants
    sees: Callable  # (user) -> queryset: the objects of this kind in the person's scope
    kwargs: Callable  # (object) -> the URL's kwargs naming it


def _review_kwargs(review):
    return {"review_id": review.pk}


REVIEW = Kind("review", Review.objects.all, reviews_visible_to, _review_kwargs)
DRAFT_REVIEW = Kind(
    "review not yet submitted",
    lambda: Review.objects.filter(status__in=["assigned", "in_progress"]),
    reviews_visible_to,
    _review_kwargs,
)
SUBMITTED_REVIEW = Kind(
    "submitted review",
    lambda: Review.objects.filter(status="submitted"),
    reviews_visible_to,
    _review_kwargs,
)
COMPLETED_REVIEW = Kind(
    "submitted or final review",
    lambda: Review.objects.filter(status__in=COMPLETED_STATES),
    reviews_visible_to,
    _review_kwargs,
)
REVIEW_WITHOUT_SECOND_GRADES = Kind(
    "review the second reviewer has not graded",
    lambda: Review.objects.filter(second_graded_at__isnull=True),
    reviews_visible_to,
    _review_kwargs,
)
CONVERSATION = Kind(
    "conversation on a review not yet submitted",
    lambda: Conversation.objects.filter(review__status__in=EDITABLE_STATES),
    lambda user: Conversation.objects.filter(review__in=reviews_visible_to(user)),
    lambda item: {"review_id": item.review_id, "kind": "conversations", "item_id": item.pk},
)
CHILD_RECOMMENDATION = Kind(
    "recommendation on a review not yet submitted",
    lambda: Recommendation.objects.filter(review__status__in=EDITABLE_STATES),
    lambda user: Recommendation.objects.filter(review__in=reviews_visible_to(user)),
    lambda item: {"review_id": item.review_id, "item_id": item.pk},
)
CHILD = Kind("child", Child.objects.all, children_visible_to, lambda c: {"child_id": c.pk})
COHORT = Kind(
    "cohort",
    Cohort.objects.all,
    cohorts_visible_to,
    lambda cohort: {"cohort_id": cohort.pk},
)
ALERT = Kind("alert", Alert.objects.all, alerts_visible_to, lambda a: {"alert_id": a.pk})
RECOMMENDATION = Kind(
    "tracked recommendation",
    lambda: recommendations_visible_to_everyone(),
    recommendations_visible_to,
    lambda r: {"recommendation_id": r.pk},
)
IMPACT_TO_RECORD = Kind(
    "completed recommendation whose impact check is not recorded",
    lambda: Recommendation.objects.filter(
        status="completed", impact_check__recorded_at__isnull=True
    ),
    recommendations_visible_to,
    lambda r: {"recommendation_id": r.pk},
)
IMPACT_TO_SIGN_OFF = Kind(
    "impact check recorded, not signed off",
    lambda: Recommendation.objects.filter(
        impact_check__recorded_at__isnull=False, impact_check__signed_off_at__isnull=True
    ),
    recommendations_visible_to,
    lambda r: {"recommendation_id": r.pk},
)


def _meetings_seen(user):
    # Meetings are not scoped by case: those who may read moderation read every meeting.
    from practice_review.core.permissions import Permission, has_permission

    return (
        Meeting.objects.all()
        if has_permission(user, Permission.VIEW_MODERATION)
        else (Meeting.objects.none())
    )


def _reports_seen(user):
    # Reports are not scoped by case either: readers of reports read every report.
    from practice_review.core.permissions import Permission, has_permission

    return (
        SummaryReport.objects.all()
        if has_permission(user, Permission.VIEW_REPORTS)
        else (SummaryReport.objects.none())
    )


OPEN_MEETING = Kind(
    "open moderation meeting",
    lambda: Meeting.objects.filter(closed_at__isnull=True),
    _meetings_seen,
    lambda m: {"meeting_id": m.pk},
)
MEETING = Kind("moderation meeting", Meeting.objects.all, _meetings_seen,
               lambda m: {"meeting_id": m.pk})  # fmt: skip
AGENDA_ITEM = Kind(
    "review on an open meeting's agenda",
    lambda: AgendaReview.objects.filter(meeting__closed_at__isnull=True),
    lambda user: AgendaReview.objects.filter(meeting__in=_meetings_seen(user)),
    lambda item: {"meeting_id": item.meeting_id, "item_id": item.pk},
)
REPORT = Kind("summary report", SummaryReport.objects.all, _reports_seen,
              lambda r: {"report_id": r.pk})  # fmt: skip
PUBLISHED_VERSION = Kind(
    "published version of a report",
    PublishedReport.objects.all,
    lambda user: PublishedReport.objects.filter(report__in=_reports_seen(user)),
    lambda v: {"report_id": v.report_id, "number": v.number},
)


def _templates_seen(user):
    # Templates are reference data, not case data: whoever manages them sees every one.
    from practice_review.core.permissions import Permission, has_permission

    return (
        AuditTemplate.objects.all()
        if has_permission(user, Permission.MANAGE_TEMPLATES)
        else AuditTemplate.objects.none()
    )


TEMPLATE = Kind("audit template version", AuditTemplate.objects.all, _templates_seen,
                lambda t: {"template_id": t.pk})  # fmt: skip
# A draft's pages; a published version's answer 404 (test_template_editing.py proves it).
DRAFT_TEMPLATE = Kind(
    "draft audit template",
    lambda: AuditTemplate.objects.filter(published_at__isnull=True),
    _templates_seen,
    lambda t: {"template_id": t.pk},
)
FIRST_STANDARD = {"part": "standards", "number": 1}


# Superusers approve account changes too; they have no role of their own in this table, and
# tests/integration/test_account_approvals.py proves what they may do.
ACCOUNT_CHANGE = Kind(
    "account change waiting for approval",
    lambda: AccountChangeRequest.objects.filter(status=AccountChangeStatus.WAITING),
    changes_waiting,
    lambda change: {"change_id": change.pk},
)


def recommendations_visible_to_everyone():
    from practice_review.tracker.queries import TRACKED

    return Recommendation.objects.filter(TRACKED).distinct()


# Who may act on which objects in their scope -------------------------------------------------


def _staff(user):
    return user.staff_member_id


def assigned_reviewer(user, reviews):
    """Only the reviewer the review is assigned to writes it."""
    return reviews.filter(reviewer=_staff(user))


def item_of_assigned_reviewer(user, items):
    return items.filter(review__reviewer=_staff(user))


def second_reviewer(user, reviews):
    return reviews.filter(second_reviewer=_staff(user))


def grades_not_hidden(user, reviews):
    """The review's document shows its grades: not to a second reviewer grading blind."""
    return reviews.filter(pk__in=graded_reviews_visible_to(user).values("pk"))


def named_on_review(user, reviews):
    """The practitioner (social worker) or manager (supervisor) recorded on the review."""
    column = "social_worker" if user.role == PRACTITIONER else "supervisor"
    return reviews.filter(**{column: _staff(user)})


def must_act_now(user, alerts):
    """The manager on their reviews' alerts, the QA lead on all, senior leaders once escalated."""
    if user.role == QA_LEAD:
        return alerts
    if user.role == SENIOR_LEADER:
        return alerts.filter(escalation_level__gte=SENIOR_LEADERS)
    return alerts.filter(review__supervisor=_staff(user))


def owner_or_qa_lead(user, recommendations):
    """Updates and status: the QA lead on all; the owner on theirs (senior leaders: service)."""
    if user.role == QA_LEAD:
        return recommendations
    mine = recommendations.filter(owner=_staff(user))
    return mine.filter(level="service") if user.role == SENIOR_LEADER else mine


def not_the_owner(user, recommendations):
    """Nobody checks the impact of their own work."""
    return recommendations.exclude(owner=_staff(user)) if _staff(user) else recommendations


def recorded_by_someone_else(user, recommendations):
    return recommendations.exclude(impact_check__recorded_by=user)


def neither_asked_by_them_nor_about_them(user, changes):
    """The two-person rule: the second person is neither the one who asked nor the one whose
    account it is."""
    return changes.exclude(requested_by=user).exclude(account=user)


@dataclass(frozen=True)
class Access:
    who: object  # PUBLIC, SIGNED_IN or a frozenset of roles
    object: Kind | None = None
    only: Callable | None = None  # (user, queryset in scope) -> those they may act on
    post_only: bool = False
    extra: dict = field(default_factory=dict)  # kwargs that are not ids (a section, a format)


ADMIN_GROUP = "admin: staff only, through Django admin's own sign-in"

ACCESS = {
    # Public: signing in, the accessibility statement and the health check (the allow-list).
    "login": Access(PUBLIC),
    # Signing in with the council's account (accounts/sign_in_views.py): 404 until OIDC_*
    # settings configure a provider (tests/integration/test_council_sign_in.py).
    "council_sign_in": Access(PUBLIC),
    "council_sign_in_callback": Access(PUBLIC),
    "council_sign_in_refused": Access(PUBLIC),
    "accessibility": Access(PUBLIC),
    "health": Access(PUBLIC),
    "logout": Access(SIGNED_IN, post_only=True),
    "home": Access(SIGNED_IN),
    # The second factor: for a person who has given their password (accounts/middleware.py
    # lets a password-only session reach set-up and the code page, and nothing else).
    "two_factor_verify": Access(SIGNED_IN),
    "two_factor_setup": Access(SIGNED_IN),
    "two_factor_recovery_codes": Access(SIGNED_IN),
    # How long the session has left, and "Stay signed in" (accounts/session_views.py): anyone
    # signed in, about their own session only.
    "session_status": Access(SIGNED_IN),
    "session_extend": Access(SIGNED_IN, post_only=True),
    # Cohorts and assignment (the QA lead); cohorts are read by everyone with a review in them.
    "cohort_create": Access(QA_LEAD_ONLY),
    # Drawing a cohort from the caseload extract, or drawing one again (docs/sampling.md).
    "sample_draw": Access(QA_LEAD_ONLY),
    "cohort_detail": Access(CASE_READERS, COHORT),
    "cohort_add_case": Access(QA_LEAD_ONLY, COHORT),
    "my_reviews": Access(REVIEWERS),
    # A review: read by everyone in its scope; written by its reviewer until submitted.
    "review_detail": Access(CASE_READERS, REVIEW),
    "review_document": Access(CASE_READERS, REVIEW, grades_not_hidden, extra={"format": "docx"}),
    "review_tasks": Access(REVIEWERS, DRAFT_REVIEW, assigned_reviewer),
    "review_conversations": Access(REVIEWERS, DRAFT_REVIEW, assigned_reviewer),
    "review_recommendations": Access(REVIEWERS, DRAFT_REVIEW, assigned_reviewer),
    "review_section": Access(
        REVIEWERS, DRAFT_REVIEW, assigned_reviewer, extra={"section": "grades"}
    ),  # fmt: skip
    "review_remove_item": Access(
        REVIEWERS, CONVERSATION, item_of_assigned_reviewer, post_only=True
    ),  # fmt: skip
    "review_remove_recommendation": Access(
        REVIEWERS, CHILD_RECOMMENDATION, item_of_assigned_reviewer, post_only=True
    ),  # fmt: skip
    "review_submit": Access(REVIEWERS, DRAFT_REVIEW, assigned_reviewer),
    "review_reassign": Access(QA_LEAD_ONLY, DRAFT_REVIEW),
    "review_second_reviewer": Access(QA_LEAD_ONLY, REVIEW_WITHOUT_SECOND_GRADES),
    "second_grades": Access(REVIEWERS, REVIEW_WITHOUT_SECOND_GRADES, second_reviewer),
    "review_sign_off": Access(QA_LEAD_ONLY, SUBMITTED_REVIEW, post_only=True),
    "review_reopen": Access(QA_LEAD_ONLY, COMPLETED_REVIEW),
    "review_respond": Access(RESPONDERS, COMPLETED_REVIEW, named_on_review, post_only=True),
    "import_reviews": Access(QA_LEAD_ONLY),
    # The check page's Confirm (the held file is the uploader's alone: test_import_check.py).
    "import_confirm": Access(QA_LEAD_ONLY, post_only=True),
    "import_cancel": Access(QA_LEAD_ONLY),
    # The caseload extract: imported by the QA lead, who alone draws cohorts from it.
    "caseload": Access(QA_LEAD_ONLY),
    "caseload_import": Access(QA_LEAD_ONLY),
    "caseload_import_confirm": Access(QA_LEAD_ONLY, post_only=True),
    "caseload_import_cancel": Access(QA_LEAD_ONLY),
    # Alerts: raised by the reviewer (or QA lead), acted on by whoever must act now.
    "alert_list": Access(ALERT_READERS),
    "alert_detail": Access(ALERT_READERS, ALERT),
    "alert_acknowledge": Access(ALERT_ACTORS, ALERT, must_act_now, post_only=True),
    "alert_close": Access(ALERT_ACTORS, ALERT, must_act_now, post_only=True),
    "alert_raise": Access(ALERT_RAISERS, REVIEW),
    # Summary reports: QA lead writes, senior leaders read.
    "report_list": Access(LEADERS),
    "report_create": Access(QA_LEAD_ONLY),
    "report_detail": Access(LEADERS, REPORT),
    "report_coverage": Access(QA_LEAD_ONLY, REPORT),
    "report_part": Access(QA_LEAD_ONLY, REPORT, extra={"part": "introduction"}),
    "report_part_restore": Access(
        QA_LEAD_ONLY, REPORT, post_only=True, extra={"part": "introduction"}
    ),  # fmt: skip
    "report_preview": Access(LEADERS, REPORT),
    "report_publish": Access(QA_LEAD_ONLY, REPORT, post_only=True),
    "report_draft_file": Access(LEADERS, REPORT, extra={"edition": "full", "format": "html"}),
    "report_figures": Access(LEADERS, REPORT),
    "report_version": Access(LEADERS, PUBLISHED_VERSION),
    "report_version_figures": Access(LEADERS, PUBLISHED_VERSION),
    # Trends (issue 17): every cohort over a date range, its CSV and its charts for slides.
    "trends": Access(LEADERS),
    "trends_csv": Access(LEADERS),
    "trends_chart": Access(LEADERS, extra={"chart": "grades"}),
    "report_version_file": Access(
        LEADERS, PUBLISHED_VERSION, extra={"edition": "wider-circulation", "format": "html"}
    ),  # fmt: skip
    # Moderation: QA lead runs meetings, senior leaders read them.
    "meeting_list": Access(LEADERS),
    "meeting_create": Access(QA_LEAD_ONLY),
    "recurring_findings": Access(LEADERS),
    "raise_for_finding": Access(QA_LEAD_ONLY),
    "meeting_detail": Access(LEADERS, MEETING),
    "meeting_decide": Access(QA_LEAD_ONLY, AGENDA_ITEM),
    "meeting_learning": Access(QA_LEAD_ONLY, OPEN_MEETING, post_only=True),
    "meeting_recommendation": Access(QA_LEAD_ONLY, OPEN_MEETING, post_only=True),
    "meeting_close": Access(QA_LEAD_ONLY, OPEN_MEETING),  # asks first, closes on POST
    "agreement": Access(LEADERS),
    # Coverage: who has been reviewed, by team and social worker (docs/sampling.md#coverage).
    "coverage": Access(LEADERS),
    "coverage_export": Access(LEADERS),
    # The tracker: everyone with case data sees the recommendations in their scope and their own.
    "tracker_list": Access(CASE_READERS),
    "tracker_export": Access(CASE_READERS, extra={"file_type": "csv"}),
    "tracker_detail": Access(CASE_READERS, RECOMMENDATION),
    "tracker_add_update": Access(CASE_READERS, RECOMMENDATION, owner_or_qa_lead, post_only=True),
    "tracker_change_status": Access(
        CASE_READERS, RECOMMENDATION, owner_or_qa_lead, post_only=True
    ),  # fmt: skip
    "tracker_record_impact": Access(
        IMPACT_CHECKERS, IMPACT_TO_RECORD, not_the_owner, post_only=True
    ),  # fmt: skip
    "tracker_sign_off_impact": Access(
        QA_LEAD_ONLY, IMPACT_TO_SIGN_OFF, recorded_by_someone_else, post_only=True
    ),  # fmt: skip
    # Data protection for one child (legal hold, subject access): the QA lead.
    "child_search": Access(QA_LEAD_ONLY),
    "child_detail": Access(QA_LEAD_ONLY, CHILD),
    "child_legal_hold": Access(QA_LEAD_ONLY, CHILD),
    "child_subject_access": Access(QA_LEAD_ONLY, CHILD),  # GET goes back to the child's page
    # The audit trail: who viewed and changed what.
    "audit_log": Access(AUDITORS),
    "audit_log_export": Access(AUDITORS),
    # Audit templates (reference data, no case data): the QA lead makes, changes and publishes
    # them (docs/audit-templates.md#managing-templates-in-the-browser).
    "template_list": Access(QA_LEAD_ONLY),
    "template_create": Access(QA_LEAD_ONLY),
    "template_upload": Access(QA_LEAD_ONLY),
    "template_detail": Access(QA_LEAD_ONLY, TEMPLATE),
    "template_download": Access(QA_LEAD_ONLY, TEMPLATE),
    "template_preview": Access(QA_LEAD_ONLY, TEMPLATE),
    "template_copy": Access(QA_LEAD_ONLY, TEMPLATE),
    "template_new_version": Access(QA_LEAD_ONLY, TEMPLATE, post_only=True),
    "template_details": Access(QA_LEAD_ONLY, DRAFT_TEMPLATE),
    "template_publish": Access(QA_LEAD_ONLY, DRAFT_TEMPLATE, post_only=True),
    "template_delete": Access(QA_LEAD_ONLY, DRAFT_TEMPLATE),  # asks first, deletes on POST
    "template_add_item": Access(QA_LEAD_ONLY, DRAFT_TEMPLATE, extra={"part": "standards"}),
    "template_item": Access(QA_LEAD_ONLY, DRAFT_TEMPLATE, extra=FIRST_STANDARD),
    "template_move_item": Access(
        QA_LEAD_ONLY, DRAFT_TEMPLATE, post_only=True, extra=FIRST_STANDARD
    ),  # fmt: skip
    "template_remove_item": Access(
        QA_LEAD_ONLY, DRAFT_TEMPLATE, post_only=True, extra=FIRST_STANDARD
    ),  # fmt: skip
    # The two-person rule for account changes: the QA lead (and superusers) decide.
    "account_approvals": Access(QA_LEAD_ONLY),
    "account_approval": Access(QA_LEAD_ONLY, ACCOUNT_CHANGE, neither_asked_by_them_nor_about_them),
}


# The URLconf -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "review_detail", or "admin:index" in a namespace
    route: str  # the path as written, for messages
    kwarg_names: tuple = ()
    positional: int = 0  # unnamed groups (django-simple-history's admin URLs have them)


def named_patterns(resolver=None, prefix="", namespace=""):
    """Every pattern in the URLconf, recursing into includes, with its full name and route."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += named_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}(unnamed)"
            pattern = entry.pattern
            names = tuple(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
            positional = pattern.regex.groups - len(pattern.regex.groupindex)
            found.append(Route(name, prefix + str(pattern), names, positional))
    return found


def is_admin(route):
    return route.name.startswith("admin:")


def unclassified():
    """Patterns with no row: every non-admin pattern needs a name and a row in ACCESS."""
    return sorted(
        f"{route.name} ({route.route})"
        for route in named_patterns()
        if not is_admin(route) and route.name not in ACCESS
    )


def stale_rows():
    """Rows for patterns that no longer exist (a renamed view would otherwise keep a row)."""
    names = {route.name for route in named_patterns()}
    return sorted(set(ACCESS) - names)


def may_use(access, role):
    if access.who == PUBLIC or access.who == SIGNED_IN:
        return True
    return role in access.who


def pick(access, user):
    """(object they may act on, in scope but not theirs to act on, out of scope) for `user`,
    each None when the data holds no such object (a QA lead has nothing out of scope)."""
    kind = access.object
    candidates = kind.candidates()
    seen = candidates.filter(pk__in=kind.sees(user).values("pk"))
    acting = access.only(user, seen) if access.only else seen
    return (
        acting.order_by("pk").first(),
        seen.exclude(pk__in=acting.values("pk")).order_by("pk").first(),
        candidates.exclude(pk__in=seen.values("pk")).order_by("pk").first(),
    )


def kwargs_for(access, obj):
    return {**access.extra, **access.object.kwargs(obj)}


def nonexistent_kwargs(access, sample):
    """The kwargs of `sample` with every id replaced by one that names nothing."""
    ids = {name: NONEXISTENT if isinstance(value, int) else value
           for name, value in access.object.kwargs(sample).items()}  # fmt: skip
    return {**access.extra, **ids}
