"""The personal data in moderation's records (core/personal_data.py). Called from
ModerationConfig.ready()."""

from practice_review.core.personal_data import register
from practice_review.moderation.models import AgendaReview, MeetingRecommendation


def register_personal_data():
    register(
        AgendaReview,
        name="moderation_decisions",
        reaches_review="review",
        words=("reason",),
        # Why it was on the agenda (keys such as "gap"), and the grades as they were and as
        # agreed ({axis: grade key}): workflow values, kept like a review's grades.
        not_personal=("reasons", "original_grades", "agreed_grades"),
        description="What moderation meetings decided about the reviews' grades.",
    )
    register(
        MeetingRecommendation,
        name="meeting_recommendations",
        reaches_review="recommendation__review",
        description="Which moderation meeting raised each of those recommendations.",
    )
