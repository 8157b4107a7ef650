"""Alerts and recommendations moved out of the reviews app into apps of their own
(docs/architecture.md). A council's database made before the move must keep every row, every
history row and every link: the migrations move Django's idea of the models and rename the
tables, never copying a row. Proved both ways on a real database."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from practice_review.alerts.actions import raise_alert
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
