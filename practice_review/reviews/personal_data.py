"""The personal data in this app's records, for the audit trail, the purge and the subject
access export (core/personal_data.py). Called from ReviewsConfig.ready()."""

from practice_review.core.personal_data import register
from practice_review.reviews.answers import without_words
from practice_review.reviews.models import (
    Child,
    Conversation,
    Review,
    ReviewEvent,
    ReviewResponse,
    ThemeFinding,
)

# Who a child is: on the child's record, and as each review saw them (the review's snapshot).
CHARACTERISTICS = (
    "gender",
    "ethnicity",
    "religion",
    "first_language",
    "interpreter_needed",
    "uasc",
)


def register_personal_data():
    register(
        Child,
        name="child",
        reaches_review=None,
        identifying=("case_ref", "initials", "date_of_birth", *CHARACTERISTICS),
        # A purged child keeps a row and its gender, so "distinct children" and the cohort's
        # gender table still count them (ADR 0005).
        counted=("gender",),
        words=("legal_hold_reason",),
        description="The child's record: case reference, initials, gender, date of birth, "
        "ethnicity, religion, first language, interpreter, UASC, and any legal hold.",
    )
    register(
        Review,
        name="reviews",
        reaches_review="",
        identifying=(
            *CHARACTERISTICS,
            "age_years",
            "age_as_written",
            "legal_status",
            "case_start_date",
        ),  # fmt: skip
        # What the figures and the report's tables count stays after the purge.
        counted=("gender", "ethnicity", "uasc", "age_years", "legal_status"),
        words=(
            "practice_outcome_reason",
            "moderation_reason",
            "second_rationale",
            "conflict_reason",
        ),
        not_personal=("section_versions",),
        # The standards' results and the grades stay (the figures count them); the comments
        # and the reasons for the grades go.
        documents={"answers": without_words},
        description="Every review of the child's case file: the child's details as they were "
        "at the review, the practice standards (result, comment, put right during the "
        "review), the grades and the reasons for them, moderation and second-reviewer grades, "
        "who reviewed and when. Staff are given as ids: see staff.json.",
    )
    register(
        ThemeFinding,
        name="findings",
        reaches_review="review",
        words=("strengths", "development"),
        not_personal=("theme",),  # a key of the review's template's themes
        description="Strengths and areas for development under each theme of the review's "
        "audit template, for each review; learning topics are ids, see learning_topics.json.",
    )
    register(
        Conversation,
        name="conversations",
        reaches_review="review",
        words=("their_words",),
        description="Conversations the reviewer held with the practitioner, manager, child or "
        "family, in the person's own words.",
    )
    register(
        ReviewEvent,
        name="review_events",
        reaches_review="review",
        words=("reason",),
        description="Each change of a review's status (assigned, submitted, final, "
        "reopened), who made it, when and why.",
    )
    register(
        ReviewResponse,
        name="responses",
        reaches_review="review",
        words=("text",),
        description="Responses and reflections written by the practitioner or manager.",
    )
