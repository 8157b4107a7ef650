"""Reads of the caseload extract, always through the person's scope (docs/architecture.md): the
pages guard who may call them. Coverage and the draw's inputs are each read in a fixed number
of queries, whatever the size of the extract, never one per child.
"""

from django.db.models import Max
from django.utils import timezone

from practice_review.accounts.models import StaffMember, Team
from practice_review.core import vocabulary as v
from practice_review.core.dates import add_months
from practice_review.reviews.models import Review
from practice_review.reviews.queries import reviews_visible_to
from practice_review.sampling import coverage as rules
from practice_review.sampling.draw import LastReview, OpenCase, old_extract_warning
from practice_review.sampling.models import CaseloadExtract


def current_extract():
    """The extract cohorts are drawn from and coverage is read against; None before the first."""
    return CaseloadExtract.objects.current()


def old_extract_warning_for(extract, as_of):
    """The warning for a draw as of `as_of` from `extract` when it is old (draw.py), or ""."""
    if extract is None:
        return ""
    return old_extract_warning(timezone.localdate(extract.imported_at), as_of)


def _latest_by(reviews, field):
    # Only reviews with a review date given count (Review.given_review_date); any status.
    grouped = (
        reviews.filter(review_date_confirmed=True)
        .values(field)
        .annotate(latest=Max("review_date"))
        .order_by()
    )
    return {row[field]: row["latest"] for row in grouped}


def coverage_for(user, extract, today=None):
    """Who in `extract` has been reviewed (sampling/coverage.py), counting only the reviews
    `user` may see."""
    since = add_months(today or timezone.localdate(), -12)
    entries = extract.entries.order_by()
    cases = [
        rules.Case(child, team, worker)
        for child, team, worker in entries.values_list("child", "team", "social_worker")
    ]
    reviews = reviews_visible_to(user)
    by_child = _latest_by(reviews.filter(child__in=entries.values("child")), "child")
    by_worker = _latest_by(
        reviews.filter(social_worker__in=entries.values("social_worker")), "social_worker"
    )
    teams = Team.objects.filter(pk__in=entries.values("team"))
    workers = StaffMember.objects.filter(pk__in=entries.values("social_worker"))
    return rules.coverage(
        cases,
        since=since,
        last_review_of_child=by_child,
        last_review_as_worker=by_worker,
        team_names={team.pk: str(team) for team in teams},
        worker_names={worker.pk: str(worker) for worker in workers},
    )


def extracts():
    """Every caseload extract imported, latest (the current one) first, with who imported it.
    An extract holds no case data itself (a file name, a date, a count): the QA lead's list."""
    return CaseloadExtract.objects.select_related("imported_by").order_by("-imported_at", "-id")


NO_TEAM = "no team"


def open_cases(extract, *, leave_out_cohort=None):
    """(the extract's children as OpenCase, {social worker: date of their latest review}).

    Every review counts, in any cohort, done or not: a review not done yet counts on its due
    date (the review date stands in for it until the reviewer gives the real one), so a child
    already waiting in another cohort is not drawn twice. A redraw leaves out the reviews of
    the cohort being redrawn (`leave_out_cohort`), or it would exclude its own children."""
    entries = list(
        extract.entries.values_list(
            "child_id", "child__case_ref", "legal_status", "team__name", "social_worker_id"
        )
    )
    reviews = Review.objects.filter(child__caseload_entries__extract=extract)
    workers = Review.objects.filter(social_worker__isnull=False)
    if leave_out_cohort is not None:
        reviews = reviews.exclude(cohort=leave_out_cohort)
        workers = workers.exclude(cohort=leave_out_cohort)
    latest: dict[int, LastReview] = {}
    for child_id, day, confirmed in reviews.values_list(
        "child_id", "review_date", "review_date_confirmed"
    ).order_by("child_id", "review_date", "review_date_confirmed"):
        # In date order, so the last one seen is the latest (a done review before a pending
        # one on the same day).
        latest[child_id] = LastReview(day, pending=not confirmed)
    worker_ids = {worker for *_, worker in entries if worker}
    workers_last = {
        str(worker): day
        for worker, day in workers.filter(social_worker_id__in=worker_ids)
        .values("social_worker_id")
        .annotate(latest=Max("review_date"))
        .values_list("social_worker_id", "latest")
    }
    cases = [
        OpenCase(
            case_ref=case_ref,
            legal_status=legal_status,
            team=team or NO_TEAM,
            social_worker=str(worker) if worker else "",
            last_review=latest.get(child_id),
        )
        for child_id, case_ref, legal_status, team, worker in entries
    ]
    return cases, workers_last


def started_reviews(cohort):
    """Reviews in `cohort` a reviewer has begun (beyond assigned): a draw is fixed after one."""
    return cohort.reviews.exclude(status=v.ReviewStatus.ASSIGNED)


def children_to_add(cohort):
    """The draw's children not yet added to `cohort`, in the draw's order, each as its entry
    in the extract drawn from (with the child, their worker and supervisor, to prefill the
    form that adds them)."""
    draw = getattr(cohort, "draw", None)
    if draw is None:
        return []
    added = set(cohort.reviews.values_list("child__case_ref", flat=True))
    refs = [row["case_ref"] for row in draw.result["sample"] if row["case_ref"] not in added]
    entries = {
        entry.child.case_ref: entry
        for entry in draw.extract.entries.filter(child__case_ref__in=refs).select_related(
            "child", "social_worker", "supervisor"
        )
    }
    return [entries[ref] for ref in refs if ref in entries]
