"""Writes for drawing a cohort: each attributed and all or nothing (docs/sampling.md)."""

from django.db import transaction

from practice_review.core.history import save_as
from practice_review.reviews import actions as review_actions
from practice_review.reviews.actions import NotAllowed
from practice_review.sampling import queries
from practice_review.sampling.draw import draw
from practice_review.sampling.models import CohortDraw

SELECTED_BY = "Stratified random sample from the caseload extract"


def draw_sample(rules, *, extract=None, leave_out_cohort=None):
    """(the extract, the draw) for `rules` from `extract` or the current one. Raises
    SampleRefused (draw.py) or NotAllowed when there is no extract."""
    extract = extract or queries.current_extract()
    if extract is None:
        raise NotAllowed("There is no caseload extract to draw from: import one first")
    cases, workers_last = queries.open_cases(extract, leave_out_cohort=leave_out_cohort)
    return extract, draw(cases, rules, workers_last)


@transaction.atomic
def draw_cohort(*, by, name, rules, template=None):
    """A new cohort, with how it was drawn: the sampled children are not reviews yet; the QA
    lead adds each with a reviewer on the cohort page, as for any cohort."""
    extract, result = draw_sample(rules)
    cohort = review_actions.create_cohort(
        by=by,
        name=name,
        period_start=None,
        period_end=None,
        selected_by=SELECTED_BY,
        selection_reason="mixed",
        template=template,
    )
    record = CohortDraw(cohort=cohort, drawn_by=by)
    _record(record, extract, rules, result, by)
    return cohort


@transaction.atomic
def redraw_cohort(*, by, cohort, rules):
    """Draw `cohort` again, replacing how it was drawn (the old draw stays in its history).
    Refused once a review in it has started: from then on the sample is fixed."""
    record = CohortDraw.objects.select_for_update().filter(cohort=cohort).first()
    if record is None:
        raise NotAllowed(f"{cohort} was not drawn from the caseload extract")
    if queries.started_reviews(cohort).exists():
        raise NotAllowed(
            f"{cohort} cannot be drawn again: a review in it has started, so its sample is fixed"
        )
    extract, result = draw_sample(rules, leave_out_cohort=cohort)
    _record(record, extract, rules, result, by)
    return cohort


def _record(record, extract, rules, result, by):
    record.extract = extract
    record.seed = rules.seed
    record.as_of = rules.as_of
    record.rules = rules.as_json()
    record.result = result
    record.drawn_by = by
    save_as(record, by)
