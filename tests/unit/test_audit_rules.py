"""Which values of a changed field may enter the audit trail (audit/rules.py, history.py and
core/personal_data.py).

docs/spec/quality.md#audit-trail asks for before and after values; the module docstring of
audit/models.py says never free text about a child. These prove the rule that reconciles the two.
"""

import datetime

import pytest
from django.apps import apps

from practice_review.audit.history import field_kind
from practice_review.audit.rules import change_entry, document_entry, keeps_value
from practice_review.core import personal_data
from practice_review.core.personal_data import never_a_value
from practice_review.reviews.answers import without_words


@pytest.mark.parametrize(
    "name, kind",
    [
        ("status", "choice"),
        ("practice_grade", "choice"),
        ("social_worker_was_student", "boolean"),
        ("version", "number"),
        ("due_date", "date"),
        ("reviewer", "foreign key"),
    ],
)
def test_workflow_values_are_kept(name, kind):
    assert keeps_value(name, kind)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("practice_rationale", "text"),  # free text
        ("their_words", "text"),
        ("initials", "text"),
        ("case_ref", "text"),
        ("narrative", "text"),  # JSON holding words
        ("topics", "many"),
        ("password", "text"),
    ],
)
def test_words_are_only_said_to_have_changed(name, kind):
    assert not keeps_value(name, kind)
    assert change_entry(name, kind, "before", "after") == {"changed": True}


@pytest.mark.parametrize(
    "model, name, kind",
    [
        ("Child", "date_of_birth", "date"),  # who the child is, though it is a date
        ("Child", "gender", "choice"),  # special category data, though it is a choice
        ("Review", "legal_status", "choice"),
        ("Review", "uasc", "boolean"),
        ("Review", "age_years", "number"),
        ("Review", "case_start_date", "date"),
    ],
)
def test_who_the_child_is_is_only_said_to_have_changed(model, name, kind):
    """The fields the reviews app registers as identifying (core/personal_data.py)."""
    never = never_a_value(apps.get_model("reviews", model))
    assert keeps_value(name, kind)  # as a workflow value on another record it would be kept
    assert not keeps_value(name, kind, never)
    assert change_entry(name, kind, "before", "after", never) == {"changed": True}


def test_every_identifying_field_of_a_registered_record_is_only_said_to_have_changed():
    checked = 0
    for record in personal_data.records():
        for name in record.identifying:
            kind = field_kind(record.model._meta.get_field(name))
            assert not keeps_value(name, kind, never_a_value(record.model)), name
            checked += 1
    assert checked >= 19  # 9 on the child, 10 on each review


def test_kept_values_are_stored_as_json_can_hold_them():
    entry = change_entry("due_date", "date", None, datetime.date(2026, 3, 20))
    assert entry == {"before": None, "after": "2026-03-20"}


def test_every_free_text_field_of_every_model_with_history_is_never_kept():
    """Walks the real models: a new TextField or CharField without choices is text, so its words
    cannot reach the trail, whichever model it is added to."""
    checked = 0
    for model in apps.get_models():
        if not hasattr(model, "history") or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if not field.concrete and not field.many_to_many:
                continue
            kind = field_kind(field)
            is_words = field.get_internal_type() in ("TextField", "CharField", "JSONField")
            if is_words and not field.choices:
                assert kind == "text", (model.__name__, field.name)
                assert not keeps_value(field.name, kind), (model.__name__, field.name)
                checked += 1
    assert checked > 40


def test_field_kinds_follow_the_field_classes():
    review = apps.get_model("reviews", "Review")
    kinds = {name: field_kind(review._meta.get_field(name)) for name in [
        "status", "moderation_reason", "imported", "version", "review_date", "second_graded_at",
        "reviewer", "section_versions",
    ]}  # fmt: skip
    assert kinds == {
        "status": "choice",
        "moderation_reason": "text",
        "imported": "boolean",
        "version": "number",
        "review_date": "date",
        "second_graded_at": "date",
        "reviewer": "foreign key",
        "section_versions": "text",
    }


def test_a_changed_document_keeps_the_changed_values_the_purge_keeps_and_no_words():
    """A review's answers (reviews/answers.py): a grade's change is kept, before and after; its
    reasons and a standard's comment are never in the trail, only that something changed."""
    before = {"grades": {"practice": {"grade": "good", "rationale": "About the child"}},
              "standards": {"a": {"result": "met", "comment": "Words"}}}  # fmt: skip
    after = {"grades": {"practice": {"grade": "outstanding", "rationale": "Other words"}},
             "standards": {"a": {"result": "met", "comment": "New words"}}}  # fmt: skip
    entry = document_entry(without_words, before, after)
    assert entry == {"before": {"grades": {"practice": {"grade": "good"}}},
                     "after": {"grades": {"practice": {"grade": "outstanding"}}}}  # fmt: skip
    assert "words" not in repr(entry).lower()
    reworded = {**before, "standards": {"a": {"result": "met", "comment": "Changed"}}}
    assert document_entry(without_words, before, reworded) == {"changed": True}
