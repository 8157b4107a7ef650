"""Each cohort's stored trend counts (ADR 0008) are never stale: after every kind of write to
reviews, the trends read from them equal the trends counted live from the reviews."""

import dataclasses
import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from practice_review.core.audit_templates import read_yaml
from practice_review.data_protection.purge import purge_expired
from practice_review.moderation.actions import moderate, plan_meeting
from practice_review.moderation.models import AgendaReview
from practice_review.reports.figures import store_every_trend_count, trends_for, trends_json
from practice_review.reports.models import CohortTrendCounts
from practice_review.reviews.actions import create_cohort
from practice_review.reviews.answers import with_grades
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Child, Cohort, Review
from practice_review.reviews.queries import find_cohort
from practice_review.reviews.template_actions import load_template
from tests.conftest import JULY, SEPTEMBER
from tests.integration.helpers import csv_bytes, seed_rows
from tests.integration.test_template_figures import (
    NEGLECT,
    answers,
    completed_review,
    neglect_cohort,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


def stored_trends(first=None, last=None):
    """Over every review: read from the stored counts."""
    return trends_json(trends_for(Review.objects.all(), first, last, today=TODAY))


def live_trends(first=None, last=None):
    """A filter that keeps every review is not "every review": counted live."""
    reviews = Review.objects.filter(pk__isnull=False)
    return trends_json(trends_for(reviews, first, last, today=TODAY))


def stored_rows():
    return {
        row.cohort_id: (row.first_review, row.templates, row.counts)
        for row in CohortTrendCounts.objects.all()
    }


def assert_stored_is_live():
    stored = stored_trends()
    assert stored == live_trends()
    assert stored_trends(datetime.date(2024, 10, 1)) == live_trends(datetime.date(2024, 10, 1))
    # And each stored row is what counting its cohort afresh stores.
    before = stored_rows()
    store_every_trend_count()
    assert stored_rows() == before
    return stored


def cohort_of(trends, name):
    return next((cohort for cohort in trends["cohorts"] if cohort["name"] == name), None)


def copy_of(review, **changes):
    """A new review like `review`, of a new child, saved with Review.save."""
    child = Child.objects.create(case_ref=f"N{Child.objects.count()}", initials="NN",
                                 gender="female")  # fmt: skip
    fields = {
        field.attname: getattr(review, field.attname)
        for field in Review._meta.concrete_fields
        if not field.primary_key
    }
    if "cohort" in changes:
        changes["cohort_id"] = changes.pop("cohort").pk
    new = Review(**{**fields, "child_id": child.pk, **changes})
    new.save()
    return new


def other_cohort(actor, name="Another cohort"):
    return create_cohort(by=actor, name=name, period_start=None, period_end=None,
                         selected_by="QA", selection_reason="mixed")  # fmt: skip


def test_every_cohort_with_a_completed_review_has_its_counts_stored_by_the_import(seeded):
    assert set(stored_rows()) == set(
        Review.objects.completed().values_list("cohort", flat=True).distinct()
    )
    trends = assert_stored_is_live()
    assert cohort_of(trends, SEPTEMBER)["reviews"] == 10


def test_trends_over_every_review_read_no_review_answers_and_no_more_queries_for_more_cohorts(
    seeded, actor
):
    with CaptureQueriesContext(connection) as few:
        stored_trends()
    for n in range(5):
        copy_of(Review.objects.completed().first(), cohort=other_cohort(actor, f"More {n}"))
    with CaptureQueriesContext(connection) as more:
        trends = stored_trends()
    assert len(trends["cohorts"]) == len(stored_rows()) > 5
    assert len(more) == len(few)
    # The counts come from the stored rows: no query reads a review's answers document.
    assert not [query["sql"] for query in more.captured_queries if '"answers"' in query["sql"]]


def test_saving_a_review_stores_its_cohorts_counts_afresh(seeded):
    review = Review.objects.get(child__case_ref="C1001")
    before = cohort_of(stored_trends(), SEPTEMBER)["practice"]["good_or_better"]
    grade = "inadequate" if review.counted_grade("practice") in ("outstanding", "good") else "good"
    review.answers = with_grades(review.answers, {"practice": {"grade": grade, "moderated": None}})
    review.save()
    trends = assert_stored_is_live()
    assert cohort_of(trends, SEPTEMBER)["practice"]["good_or_better"] != before


def test_a_new_review_saved_in_a_new_cohort_gets_its_counts_stored(seeded, actor):
    cohort = other_cohort(actor)
    copy_of(Review.objects.completed().first(), cohort=cohort)
    trends = assert_stored_is_live()
    assert cohort_of(trends, cohort.name)["reviews"] == 1


def test_a_review_moved_to_another_cohort_by_save_changes_both_cohorts(seeded, actor):
    cohort = other_cohort(actor)
    review = Review.objects.filter(cohort=find_cohort(SEPTEMBER)).first()
    review.cohort = cohort
    review.save()
    trends = assert_stored_is_live()
    assert cohort_of(trends, SEPTEMBER)["reviews"] == 9
    assert cohort_of(trends, cohort.name)["reviews"] == 1


def test_deleting_a_review_stores_its_cohorts_counts_afresh(seeded, actor):
    cohort = other_cohort(actor)
    review = copy_of(Review.objects.completed().first(), cohort=cohort)
    assert cohort_of(stored_trends(), cohort.name)["reviews"] == 1
    Review.objects.get(pk=review.pk).delete()
    assert cohort_of(assert_stored_is_live(), cohort.name) is None
    assert cohort.pk not in stored_rows()


def test_a_queryset_update_stores_the_counts_of_every_cohort_it_touched(seeded):
    Review.objects.filter(child__case_ref__in=["C1001", "C1002"]).update(status="in_progress")
    trends = assert_stored_is_live()
    assert cohort_of(trends, SEPTEMBER)["reviews"] == 8
    Review.objects.filter(cohort__name=SEPTEMBER).update(gender="not_recorded")
    trends = assert_stored_is_live()
    assert cohort_of(trends, SEPTEMBER)["by"]["gender"]["not_recorded"]["reviews"] == 8


def test_a_queryset_update_that_moves_reviews_changes_both_cohorts(seeded, actor):
    cohort = other_cohort(actor)
    moved = Review.objects.filter(cohort__name=SEPTEMBER).order_by("id")[:3]
    Review.objects.filter(pk__in=[review.pk for review in moved]).update(cohort=cohort)
    trends = assert_stored_is_live()
    assert (cohort_of(trends, SEPTEMBER)["reviews"], cohort_of(trends, cohort.name)["reviews"]) == (
        7,
        3,
    )


def test_bulk_create_stores_the_new_reviews_cohorts_counts(seeded, actor):
    cohort = other_cohort(actor)
    children = Child.objects.bulk_create(
        Child(case_ref=f"B{n}", initials="BB", gender="male") for n in range(4)
    )
    source = Review.objects.completed().first()
    fields = {f.attname: getattr(source, f.attname) for f in Review._meta.concrete_fields
              if not f.primary_key}  # fmt: skip
    Review.objects.bulk_create(
        Review(**{**fields, "cohort_id": cohort.pk, "child_id": child.pk}) for child in children
    )
    trends = assert_stored_is_live()
    assert cohort_of(trends, cohort.name)["reviews"] == 4


def test_bulk_update_of_reviews_loaded_without_their_cohort_stores_their_counts(seeded):
    # As the purge rewrites answers: the rows are read with only their id and answers.
    changed = []
    for review in Review.objects.filter(cohort__name=SEPTEMBER).only("id", "answers"):
        review.answers = with_grades(review.answers, {"outcome": {"grade": "inadequate",
                                                                  "moderated": None}})  # fmt: skip
        changed.append(review)
    with CaptureQueriesContext(connection) as queries:
        Review.objects.bulk_update(changed, ["answers"], batch_size=3)
    trends = assert_stored_is_live()
    assert cohort_of(trends, SEPTEMBER)["outcome"]["good_or_better"] == 0
    # Counted once for the whole bulk update, not once a batch.
    assert sum("reports_cohorttrendcounts" in q["sql"] for q in queries.captured_queries) == 2


def test_a_queryset_delete_removes_a_cohort_left_without_completed_reviews(seeded, actor):
    cohort = other_cohort(actor)
    source = Review.objects.completed().first()
    copy_of(source, cohort=cohort)
    copy_of(source, cohort=cohort)
    Review.objects.filter(cohort=cohort).delete()
    assert cohort_of(assert_stored_is_live(), cohort.name) is None
    assert cohort.pk not in stored_rows()


def test_the_import_of_a_changed_file_stores_the_counts_afresh(seeded, actor):
    rows = seed_rows()
    rows[0] = {**rows[0], "practice_grade": "inadequate", "moderated_practice_grade": ""}
    rows.append({**rows[1], "child_ref": "N9001", "initials": "NN"})
    result = import_reviews(data=csv_bytes(rows), file_name="again.csv", by=actor)
    assert result.ok and result.created == 1 and result.updated >= 1
    trends = assert_stored_is_live()
    assert cohort_of(trends, SEPTEMBER)["reviews"] == 11


def test_moderation_stores_the_counts_afresh(cast):
    qa_lead = cast["qa_lead"]
    review = Review.objects.get(child__case_ref="C1003")
    Review.objects.filter(pk=review.pk).update(status="submitted")
    review.refresh_from_db()
    meeting = plan_meeting(by=qa_lead, held_on=TODAY, attendees="QA", reviews=[review])
    item = AgendaReview.objects.get(meeting=meeting, review=review)
    before = cohort_of(stored_trends(), review.cohort.name)["practice"]["good_or_better"]
    grade = "inadequate" if review.counted_grade("practice") in ("outstanding", "good") else "good"
    moderate(by=qa_lead, item=item, grades={"practice": grade, "outcome": "good"}, reason="Agreed")
    trends = assert_stored_is_live()
    assert cohort_of(trends, review.cohort.name)["practice"]["good_or_better"] != before


def test_the_retention_purge_leaves_the_stored_counts_true(seeded, actor):
    before = stored_trends()
    result = purge_expired(by=actor, today=datetime.date(2045, 1, 1))
    assert result.review_ids
    assert assert_stored_is_live() == before  # the purge keeps every counted answer


def test_a_write_rolled_back_leaves_the_stored_counts_as_they_were(seeded):
    before = stored_rows()
    with pytest.raises(RuntimeError), transaction.atomic():
        Review.objects.filter(cohort__name=JULY).update(status="in_progress")
        raise RuntimeError("the write fails after the counts were stored")
    assert stored_rows() == before
    assert_stored_is_live()


def test_migrate_stores_every_cohorts_counts_afresh(seeded):
    # A write around the app (raw SQL in a data migration, a restore) and then migrate.
    CohortTrendCounts.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reviews_review SET status = 'in_progress' WHERE id IN "
                       "(SELECT MIN(id) FROM reviews_review)")  # fmt: skip
    call_command("migrate", verbosity=0)
    assert set(stored_rows()) == set(Cohort.objects.values_list("pk", flat=True))
    assert_stored_is_live()


def test_stored_trends_equal_live_over_template_versions_with_other_standards_and_axes(
    seeded, actor
):
    # One version asks other standards and grades practice only: the trends list every
    # version's standards, and count outcome good or better as 0 (not None) in its groups.
    neglect = read_yaml(NEGLECT.read_text())
    practice = tuple(grade for grade in neglect.grades if grade.key == "practice")
    definition = dataclasses.replace(neglect, key="practice_only", grades=practice)
    template = load_template(by=actor, definition=definition).template
    cohort = neglect_cohort(actor, template, name="Practice only")
    completed_review(cohort, template, {**answers(met=["graded_care_profile"]),
                                        "grades": {"practice": {"grade": "good"}}})  # fmt: skip
    trends = assert_stored_is_live()
    practice_only = cohort_of(trends, "Practice only")
    assert practice_only["outcome"] is None
    assert practice_only["standards_met_pct"]["graded_care_profile"] == 100.0
    assert cohort_of(trends, SEPTEMBER)["standards_met_pct"]["graded_care_profile"] is None
    # 1 is withheld as null in the JSON; the outcome nobody graded here is 0, as counted live.
    assert practice_only["by"]["gender"][practice_only_gender(cohort)] == {
        "reviews": None, "practice_good_or_better": None, "outcome_good_or_better": 0,
    }  # fmt: skip


def practice_only_gender(cohort):
    return Review.objects.get(cohort=cohort).gender


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_migrate_part_of_the_way_stores_nothing_and_the_next_full_one_counts(seeded):
    # Back before the stored counts: their table is gone, and the reviews' tables may not be
    # what the models say, so nothing is counted until migrate runs to the end.
    call_command("migrate", "reports", "0002", verbosity=0)
    assert "reports_cohorttrendcounts" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert set(stored_rows()) == set(Cohort.objects.values_list("pk", flat=True))
    assert_stored_is_live()


def test_the_standards_listed_are_those_the_cohorts_in_range_were_asked(seeded, actor):
    neglect = load_template(by=actor, definition=read_yaml(NEGLECT.read_text())).template
    cohort = neglect_cohort(actor, neglect, name="Neglect")
    completed_review(cohort, neglect, answers(met=["graded_care_profile"]))
    july = (datetime.date(2024, 7, 1), datetime.date(2024, 7, 31))
    for reviews in (Review.objects.all(), Review.objects.filter(pk__isnull=False)):
        only_july = trends_for(reviews, *july)
        assert [c["name"] for c in only_july["cohorts"]] == [JULY]
        assert "graded_care_profile" not in only_july["cohorts"][0]["standards_met_pct"]
        both = trends_for(reviews)
        assert "graded_care_profile" in cohort_of(both, JULY)["standards_met_pct"]
