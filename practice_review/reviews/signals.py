"""`reviews_changed`: which cohorts' reviews a write touched, sent inside the writing
transaction by every way a review is written (`Review.save` and `delete`, and the
`ReviewQuerySet`'s `update`, `bulk_create`, `bulk_update` and `delete`).

Higher apps keep what they store about a cohort's reviews up to date from it without the
reviews app knowing them: the reports app stores each cohort's trend counts
(docs/adr/0008-stored-trend-counts.md) and connects in its `AppConfig.ready()`.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

# Sent with `cohorts`, a set of cohort ids, before the writing transaction commits.
reviews_changed = Signal()

_collecting: ContextVar[set | None] = ContextVar("reviews_changed_collecting", default=None)


def cohorts_changed(cohorts: Iterable[int | None]) -> None:
    """Say that the reviews of `cohorts` were written; inside `one_signal()`, say it once at
    its end instead."""
    cohorts = {cohort for cohort in cohorts if cohort is not None}
    if not cohorts:
        return
    collecting = _collecting.get()
    if collecting is not None:
        collecting.update(cohorts)
        return
    reviews_changed.send(sender=None, cohorts=cohorts)


@contextmanager
def one_signal() -> Iterator[None]:
    """Collect the cohorts of every write in the block and send `reviews_changed` once at its
    end: bulk_update writes in batches, each through update(), and the stored counts need
    computing once, not once a batch. The block should be in the writing transaction."""
    if _collecting.get() is not None:
        yield
        return
    cohorts: set[int] = set()
    token = _collecting.set(cohorts)
    try:
        yield
    finally:
        _collecting.reset(token)
    cohorts_changed(cohorts)
