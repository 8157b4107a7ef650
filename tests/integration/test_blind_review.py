"""A second reviewer grades blind: until both have graded, they see the child's details and their
own work, never the first reviewer's write-up (docs/spec/domain.md#dual-review).

A submitted review carries the first reviewer's write-up, each piece with a marker of its own:
standards comments, strengths and areas for development, a conversation, the reasons for the
grades, a recommendation, an alert's concern, and what follows from them (a practitioner's
reflection, a reason in the timeline). The second reviewer opens every page, list, export and
document that could show them, and finds none of the markers; once they have recorded their
grades, the same pages show them. Their own alert they see throughout.
"""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from practice_review.accounts.models import StaffMember, User
from practice_review.alerts.actions import raise_alert
from practice_review.core.audit_templates import read_yaml
from practice_review.core.vocabulary import THEME_KEYS, Role
from practice_review.reviews import actions, dual_review
from practice_review.reviews.answers import with_standard_values
from practice_review.reviews.models import Conversation, Review, ReviewEvent, ThemeFinding
from practice_review.reviews.queries import reviews_blind_to, reviews_visible_to
from practice_review.reviews.template_actions import load_template
from practice_review.tracker.models import Recommendation
from tests.conftest import PASSWORD, regrade
from tests.integration.test_need_to_know import text_of
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db

WRITE_UP = {
    "standards comment": "MK-STANDARD-COMMENT",
    "strengths": "MK-STRENGTHS",
    "areas for development": "MK-DEVELOPMENT",
    "conversation": "MK-CONVERSATION",
    "practice reasons": "MK-PRACTICE-REASONS",
    "outcome reasons": "MK-OUTCOME-REASONS",
    "recommendation": "MK-RECOMMENDATION",
    "alert's concern": "MK-FIRST-CONCERN",
    "reflection": "MK-REFLECTION",
    "timeline reason": "MK-TIMELINE-REASON",
}
OWN_CONCERN = "MK-MY-OWN-CONCERN"
# Where each piece of the write-up shows once both have graded (the page shows the alerts'
# references; their concern is on the alert's own page).
ON_THE_REVIEW_PAGE = set(WRITE_UP.values()) - {"MK-FIRST-CONCERN"}
IN_THE_DOCUMENT = ON_THE_REVIEW_PAGE - {"MK-TIMELINE-REASON"}
EXPLANATION = (
    "You are the second reviewer: you will see the first reviewer's findings once you have "
    "recorded your grades."
)


@pytest.fixture
def blind(cast):
    """The Independent Associate's submitted review of a child, written up in full, which the
    Head of Safeguarding and QA (reviewer_internal) is to grade blind."""
    first = cast["reviewer_independent"]
    review = Review.objects.filter(reviewer=first.staff_member_id).first()
    regrade(
        Review.objects.filter(pk=review.pk),
        status="submitted",
        answers=with_standard_values(
            review.answers, ["basic_details"], {"basic_details_comment": "MK-STANDARD-COMMENT"}
        ),
        practice_rationale="MK-PRACTICE-REASONS",
        outcome_rationale="MK-OUTCOME-REASONS",
        second_reviewer=None,
        second_practice_grade=None,
        second_outcome_grade=None,
        moderated_practice_grade=None,
        moderated_outcome_grade=None,
    )
    review.refresh_from_db()
    ThemeFinding.objects.update_or_create(
        review=review,
        theme=THEME_KEYS[0],
        defaults={"strengths": "MK-STRENGTHS", "development": "MK-DEVELOPMENT"},
    )
    Conversation.objects.create(review=review, held_with="child_or_family",
                                held_on=datetime.date(2025, 1, 10), method="in_person",
                                their_words="MK-CONVERSATION")  # fmt: skip
    # Owned by the second reviewer, who still may not see it before grading: it is the first
    # reviewer's write-up.
    recommendation = Recommendation.objects.create(
        level="child", review=review, action="MK-RECOMMENDATION",
        owner=cast["reviewer_internal"].staff_member, created_by=first,
        due_date=datetime.date(2027, 1, 1), success_measure="A plan.",
    )  # fmt: skip
    ReviewEvent.objects.create(review=review, from_status="in_progress", to_status="submitted",
                               by=first, reason="MK-TIMELINE-REASON")  # fmt: skip
    actions.record_response(review=review, by=cast["practitioner"], text="MK-REFLECTION")
    first_alert = raise_alert(review=review, concern="MK-FIRST-CONCERN", severity="high",
                              must_act=review.supervisor, by=first)  # fmt: skip
    second = cast["reviewer_internal"].staff_member
    actions.assign_second_reviewer(review=review, by=cast["qa_lead"], second_reviewer=second)
    # The second reviewer may raise an alert of their own on the case they are reading.
    own_alert = raise_alert(review=review, concern=OWN_CONCERN, severity="high",
                            must_act=review.supervisor, by=cast["reviewer_internal"])  # fmt: skip
    return {
        "review": review,
        "recommendation": recommendation,
        "first_alert": first_alert,
        "own_alert": own_alert,
    }


def sign_in(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def every_page(world):
    """Every page, list, export and document that shows (or could show) something of the review
    to a reviewer: the review, its documents, its alerts, its recommendations and the lists they
    are on, the cohort, the form's pages, the second grades page and the audit trail."""
    review = world["review"]
    on_review = {"review_id": review.pk}
    return [
        reverse("home"),
        reverse("my_reviews"),
        reverse("review_detail", kwargs=on_review),
        reverse("second_grades", kwargs=on_review),
        reverse("review_document", kwargs={**on_review, "format": "docx"}),
        reverse("cohort_detail", args=[review.cohort_id]),
        reverse("alert_list"),
        reverse("alert_raise", kwargs=on_review),
        *(reverse("alert_detail", args=[alert.pk]) for alert in review.alerts.all()),
        reverse("tracker_list"),
        reverse("tracker_detail", args=[world["recommendation"].pk]),
        reverse("tracker_export", args=["csv"]),
        reverse("tracker_export", args=["xlsx"]),
        reverse("review_tasks", kwargs=on_review),
        reverse("review_conversations", kwargs=on_review),
        reverse("review_recommendations", kwargs=on_review),
        reverse("review_section", kwargs={**on_review, "section": "standards"}),
        reverse("audit_log"),
        reverse("audit_log_export"),
    ]


def shown(client, url):
    response = client.get(url)
    assert response.status_code < 500, url
    return text_of(response) if response.status_code == 200 else ""


def markers_in_text(text):
    return {marker for marker in WRITE_UP.values() if marker in text}


def markers_in(client, url):
    return sorted(markers_in_text(shown(client, url)))


def record_second_grades(client, review):
    response = client.post(
        reverse("second_grades", args=[review.pk]),
        {"practice_grade": "good", "outcome_grade": "good", "rationale": "My own reasons."},
    )
    assert response.status_code == 302


def test_the_second_reviewer_sees_none_of_the_first_reviewers_write_up_until_both_graded(
    client, cast, blind
):
    review, first_alert = blind["review"], blind["first_alert"]
    sign_in(client, cast["reviewer_internal"])
    leaks = [f"{marker} at {url}" for url in every_page(blind)
             for marker in markers_in(client, url)]  # fmt: skip
    assert leaks == []

    page = shown(client, reverse("review_detail", args=[review.pk]))
    assert EXPLANATION in " ".join(page.split())
    assert review.child.initials in page and "Social worker" in page  # the case facts
    assert blind["own_alert"].reference in page and first_alert.reference not in page
    assert OWN_CONCERN in shown(client, reverse("alert_detail", args=[blind["own_alert"].pk]))

    record_second_grades(client, review)
    page = shown(client, reverse("review_detail", args=[review.pk]))
    assert markers_in_text(page) >= ON_THE_REVIEW_PAGE
    assert EXPLANATION not in " ".join(page.split())
    assert first_alert.reference in page
    document = shown(client, reverse("review_document", args=[review.pk, "docx"]))
    assert markers_in_text(document) >= IN_THE_DOCUMENT
    assert "MK-FIRST-CONCERN" in shown(client, reverse("alert_detail", args=[first_alert.pk]))
    assert first_alert.reference in shown(client, reverse("alert_list"))
    for url in (reverse("tracker_list"), reverse("tracker_export", args=["csv"]),
                reverse("tracker_detail", args=[blind["recommendation"].pk])):  # fmt: skip
        assert "MK-RECOMMENDATION" in shown(client, url), url


def test_having_graded_the_second_reviewer_waits_for_the_first_to_submit(client, cast, blind):
    review = blind["review"]
    Review.objects.filter(pk=review.pk).update(status="in_progress")
    sign_in(client, cast["reviewer_internal"])
    record_second_grades(client, review)
    page = " ".join(shown(client, reverse("review_detail", args=[review.pk])).split())
    assert markers_in_text(page) == set()
    assert "you will see the first reviewer's findings once they have submitted the review" in (
        page
    )
    assert "My own reasons." in page  # their own work


def test_a_qa_lead_who_is_the_second_reviewer_sees_the_whole_review(client, cast, blind):
    review = blind["review"]
    staff = StaffMember.objects.create(name="QA Reviewer")
    lead = User.objects.create_user(
        "qa.lead.reviewing", password=PASSWORD, role=Role.QA_LEAD, staff_member=staff
    )
    Review.objects.filter(pk=review.pk).update(second_reviewer=lead.staff_member)
    sign_in(client, lead)
    page = shown(client, reverse("review_detail", args=[review.pk]))
    assert markers_in_text(page) >= ON_THE_REVIEW_PAGE
    assert "MK-PRACTICE-REASONS" in shown(
        client, reverse("review_document", args=[review.pk, "docx"])
    )


def test_the_pages_and_the_lists_apply_one_rule(cast, blind):
    """dual_review.write_up_hidden_from (a page about one review) and reviews_blind_to (every
    list, figure and export) agree, for every person and every review they can see."""
    Review.objects.filter(pk=blind["review"].pk).update(status="in_progress")  # one of each
    for user in cast.values():
        blind_ids = set(reviews_blind_to(user).values_list("pk", flat=True))
        for review in reviews_visible_to(user):
            assert dual_review.write_up_hidden_from(user, review) == (review.pk in blind_ids), (
                user.username,
                review.pk,
            )
    assert blind["review"].pk in set(reviews_blind_to(cast["reviewer_internal"]).values_list(
        "pk", flat=True))  # fmt: skip


@pytest.mark.pdf
def test_the_pdf_of_the_review_waits_for_both_grades_too(client, cast, blind):
    review = blind["review"]
    url = reverse("review_document", args=[review.pk, "pdf"])
    sign_in(client, cast["reviewer_internal"])
    assert client.get(url).status_code == 404
    record_second_grades(client, review)
    response = client.get(url)
    text = read_pdf(response.content).words
    assert "MK-PRACTICE-REASONS" in text and "MK-CONVERSATION" in text


NEGLECT = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"


def test_the_answers_to_a_templates_questions_wait_for_both_grades_too(client, cast, blind):
    """A review on a template with questions: the first reviewer's answers to them are part of
    the write-up the second reviewer grades without."""
    review = blind["review"]
    neglect = load_template(by=cast["qa_lead"], definition=read_yaml(NEGLECT.read_text()))
    answers = {**review.answers, "questions": {"neglect_level": "not_identified"},
               "texts": {"one_thing_to_change": "MK-QUESTION-ANSWER"}}  # fmt: skip
    Review.objects.filter(pk=review.pk).update(template=neglect.template, answers=answers)
    chosen = "Neglect was not identified by the professionals involved"
    sign_in(client, cast["reviewer_internal"])
    for url in every_page(blind):
        page = shown(client, url)
        assert "MK-QUESTION-ANSWER" not in page and chosen not in page, url
    record_second_grades(client, review)
    for url in (reverse("review_detail", args=[review.pk]),
                reverse("review_document", args=[review.pk, "docx"])):  # fmt: skip
        page = shown(client, url)
        assert "MK-QUESTION-ANSWER" in page and chosen in page, url
