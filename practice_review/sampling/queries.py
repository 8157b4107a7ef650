"""Reads for drawing a cohort: the current extract and the reviews, as the draw's plain inputs
(sampling/draw.py). A few queries whatever the extract's size, never one per child."""

from django.db.models import Max

from practice_review.core import vocabulary as v
from practice_review.reviews.models import Review
from practice_review.sampling.draw import LastReview, OpenCase
from practice_review.sampling.models import CaseloadExtract

NO_TEAM = "no team"


def current_extract():
    return CaseloadExtract.objects.current()


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
        for entry in draw.extract.entries.filter(child__case_ref__in=refs).select_related("child")
    }
    return [entries[ref] for ref in refs if ref in entries]
