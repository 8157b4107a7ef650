"""The figures' shape (docs/spec/interchange.md#report-figures), from counts, without a database."""

from practice_review.core.audit_templates import built_in
from practice_review.core.vocabulary import BUILT_IN_KEYS
from practice_review.reports.figures import _aggregates, asked, figures_from_counts

BUILT_IN = asked([built_in()])


def counts(**given):
    """Every count the figures take, 0 unless given (the database gives them all at once)."""
    return (
        dict.fromkeys(_aggregates(BUILT_IN_KEYS, BUILT_IN), 0)
        | {"asked": BUILT_IN, "template_reviews": [0]}
        | {"legal_status": dict.fromkeys(BUILT_IN_KEYS, 0)}
        | {"first_review": None, "last_review": None, "alerts": 0}
        | {"pairs": {"practice": {}, "outcome": {}}, "recommendations_made": 0}
        | {"recommendations_overdue": 0}
        | given
    )


def test_recommendations_made_and_overdue_are_their_own_block():
    figures = figures_from_counts(
        "A cohort", counts(reviews=10, recommendations_made=9, recommendations_overdue=2)
    )
    assert figures["recommendations"] == {"made": 9, "overdue": 2}
    # An extra key: the brief's keys keep their places and meanings.
    assert list(figures)[:14] == [
        "schema", "cohort", "reviewers", "practice", "outcome", "both_outstanding",
        "practice_good_or_better_outcome_not", "gender", "age", "legal_status",
        "practice_standards", "alerts", "agreement", "comparison",
    ]  # fmt: skip


def test_a_cohort_with_no_recommendations_made_has_none_overdue():
    figures = figures_from_counts("Empty", counts())
    assert figures["recommendations"] == {"made": 0, "overdue": 0}
