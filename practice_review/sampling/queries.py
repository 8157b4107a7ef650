"""Reads of the caseload extract, always through the person's scope (docs/architecture.md): the
pages guard who may call them.

Coverage is read in a fixed number of queries, whatever the size of the extract: the extract,
its cases, each child's latest review, each worker's latest review, and the names.
"""

from django.db.models import Max
from django.utils import timezone

from practice_review.accounts.models import StaffMember, Team
from practice_review.core.dates import add_months
from practice_review.reviews.queries import reviews_visible_to
from practice_review.sampling import coverage as rules
from practice_review.sampling.models import CaseloadExtract


def current_extract():
    """The extract cohorts are drawn from and coverage is read against; None before the first."""
    return CaseloadExtract.objects.current()


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
