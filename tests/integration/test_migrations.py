"""Migrations that move a council's data, proved both ways on a real database.

Alerts and recommendations moved out of the reviews app into apps of their own
(docs/architecture.md): a database made before the move must keep every row, every history row
and every link; the migrations move Django's idea of the models and rename the tables, never
copying a row. The grades moved from columns into each review's answers document (ADR 0007):
every review, history row and moderation decision keeps its grades."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from practice_review.alerts.actions import raise_alert
from practice_review.moderation import actions as moderation_actions
from practice_review.reviews.models import Review
from practice_review.tracker.actions import add_update
from practice_review.tracker.models import Recommendation

# Every app as it stood just before the move.
BEFORE_THE_MOVE = [
    ("reviews", "0007_legal_hold"),
    ("tracker", "0001_initial"),
    ("moderation", "0001_meetings"),
    ("alerts", None),
]


def tables():
    return set(connection.introspection.table_names())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_alert_and_recommendation_with_its_history(cast):
    actor = cast["qa_lead"]
    review = Review.objects.order_by("id").first()
    alert = raise_alert(review=review, concern="A worry", severity="high", must_act=None, by=actor)
    recommendation = Recommendation.objects.create(
        level="child", review=review, action="Update the plan", created_by=actor
    )
    add_update(recommendation=recommendation, text="Started", by=actor)
    permission = Permission.objects.get(codename="view_alert")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE_THE_MOVE)
        assert {"reviews_alert", "reviews_recommendation"} <= tables()
        assert not {"alerts_alert", "tracker_recommendation"} & tables()
        assert old.get_model("reviews", "Alert").objects.get(pk=alert.pk).concern == "A worry"
        old_recommendation = old.get_model("reviews", "Recommendation").objects.get(
            pk=recommendation.pk
        )
        assert old_recommendation.updates.get().text == "Started"
        assert ContentType.objects.get(pk=permission.content_type_id).app_label == "reviews"
    finally:
        new = migrate(latest)
    assert {"alerts_alert", "alerts_historicalalert", "tracker_recommendation"} <= tables()
    assert not {"reviews_alert", "reviews_recommendation"} & tables()
    moved = new.get_model("alerts", "Alert").objects.get(pk=alert.pk)
    assert (moved.concern, moved.review_id) == ("A worry", review.pk)
    assert new.get_model("alerts", "HistoricalAlert").objects.filter(id=alert.pk).exists()
    moved = new.get_model("tracker", "Recommendation").objects.get(pk=recommendation.pk)
    assert (moved.action, moved.review_id, moved.updates.get().text) == (
        "Update the plan",
        review.pk,
        "Started",
    )
    # Permissions given on the moved models stay given, and no content type is left stale.
    ContentType.objects.clear_cache()
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "alerts"
    labels = set(ContentType.objects.values_list("app_label", "model"))
    assert {("alerts", "alert"), ("tracker", "recommendation")} <= labels
    assert not {("reviews", "alert"), ("reviews", "recommendation")} & labels
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []


# Every app as it stood before the grades moved into the answers document (ADR 0007, stage 3).
BEFORE_THE_GRADES_MOVED = [
    ("reviews", "0016_theme_follows_template"),
    ("moderation", "0003_theme_follows_template"),
]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_grades_move_into_the_answers_and_back_with_their_history_and_decisions(cast):
    actor = cast["qa_lead"]
    reviews = list(Review.objects.order_by("id")[:2])
    moderated, dual = reviews
    Review.objects.filter(pk=moderated.pk).update(status="submitted")
    meeting = moderation_actions.plan_meeting(
        by=actor, held_on=datetime.date(2026, 1, 15), attendees="QA lead",
        reviews=[Review.objects.get(pk=moderated.pk)],
    )  # fmt: skip
    item = meeting.agenda.get()
    moderation_actions.moderate(by=actor, item=item, reason="Agreed.",
                                grades={"practice": "good", "outcome": "inadequate"})  # fmt: skip
    grades = Review.objects.get(pk=moderated.pk).answers["grades"]
    history = Review.history.filter(id=moderated.pk).count()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE_THE_GRADES_MOVED)
        row = old.get_model("reviews", "Review").objects.get(pk=moderated.pk)
        assert (row.practice_grade, row.moderated_practice_grade, row.moderated_outcome_grade) == (
            grades["practice"]["grade"], "good", "inadequate",
        )  # fmt: skip
        assert row.practice_rationale == grades["practice"].get("rationale", "")
        assert "grades" not in row.answers
        past = old.get_model("reviews", "HistoricalReview").objects.filter(id=moderated.pk)
        assert past.count() == history and past.latest("history_id").moderated_outcome_grade
        decision = old.get_model("moderation", "AgendaReview").objects.get(pk=item.pk)
        assert (decision.practice_grade, decision.outcome_grade) == ("good", "inadequate")
        # An imported dual review, as files gave them before: second grades, no date recorded.
        old.get_model("reviews", "Review").objects.filter(pk=dual.pk).update(
            second_practice_grade="good", second_outcome_grade="good", second_graded_at=None
        )
    finally:
        new = migrate(latest)
    row = new.get_model("reviews", "Review").objects.get(pk=moderated.pk)
    assert row.answers["grades"] == grades
    assert new.get_model("reviews", "HistoricalReview").objects.filter(id=moderated.pk).count() == (
        history
    )
    decision = new.get_model("moderation", "AgendaReview").objects.get(pk=item.pk)
    assert decision.agreed_grades == {"practice": "good", "outcome": "inadequate"}
    second = new.get_model("reviews", "Review").objects.get(pk=dual.pk)
    assert second.answers["grades"]["outcome"]["second"] == "good"
    assert second.second_graded_at is not None  # the app now knows its second grades are in
