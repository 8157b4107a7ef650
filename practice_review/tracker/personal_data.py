"""The personal data in recommendations and the tracker's records (core/personal_data.py).
Called from TrackerConfig.ready()."""

from practice_review.core.personal_data import register
from practice_review.tracker.models import (
    ImpactCheck,
    Recommendation,
    RecommendationUpdate,
    ReminderSent,
)


def register_personal_data():
    register(
        Recommendation,
        name="recommendations",
        reaches_review="review",
        words=("action", "success_measure", "status_reason"),
        not_personal=("theme",),  # a key of a template's themes
        description="Recommendations made for the child, with their status.",
    )
    register(
        RecommendationUpdate,
        name="recommendation_updates",
        reaches_review="recommendation__review",
        words=("text",),
        not_personal=("from_status", "to_status"),
        description="Dated progress notes on those recommendations.",
    )
    register(
        ImpactCheck,
        name="impact_checks",
        reaches_review="recommendation__review",
        words=("evidence",),
        description="Whether each completed recommendation made a difference.",
    )
    register(
        ReminderSent,
        name="reminders_sent",
        reaches_review="recommendation__review",
        description="Reminders emailed to a recommendation's owner (dates only).",
    )
