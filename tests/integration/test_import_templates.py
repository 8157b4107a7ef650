"""Importing review files on an audit template (docs/review-files.md#columns-follow-the-template,
docs/audit-templates.md): the file's standards and questions are its template's; a new cohort is
made on it; a cohort on another template refuses the file, all or nothing, as any problem does.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from practice_review.core.audit_templates import TemplateProblems, from_data, read_yaml, to_data
from practice_review.reviews.answers import question_values, standard
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import AuditTemplate, Cohort, Review
from practice_review.reviews.template_actions import load_template
from tests.conftest import SEPTEMBER
from tests.integration.helpers import csv_bytes, seed_rows, table_counts

pytestmark = pytest.mark.django_db

NEGLECT_FILE = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"
NEGLECT_COHORT = "Neglect audit, spring 2025"
BUILT_IN_STANDARDS = ["basic_details", "visits_in_timescale", "seen_alone", "recording_up_to_date",
                      "supervision_frequency", "management_oversight", "chronology_current",
                      "legal_documents"]  # fmt: skip
RESULTS = ["met", "not_met", "not_applicable"]
LEVELS = ["low", "moderate", "significant", "not_identified"]
LEVEL_LABELS = {
    "low": "Low - universal or early help level",
    "moderate": "Moderate - child in need",
    "significant": "Significant - child protection",
    "not_identified": "Neglect was not identified by the professionals involved",
}


@pytest.fixture
def neglect(actor):
    return load_template(by=actor, definition=read_yaml(NEGLECT_FILE.read_text())).template


def neglect_rows(count=30):
    """`count` reviews on the neglect template: the seed file's people and grades, the
    template's eight standards and five questions, some columns headed by their labels."""
    seed = seed_rows()
    rows = []
    for number in range(count):
        base = {key: value for key, value in seed[number % len(seed)].items()
                if key not in BUILT_IN_STANDARDS and key != "cohort"}  # fmt: skip
        row = {
            "cohort": NEGLECT_COHORT,
            **base,
            "child_ref": f"N{2000 + number}",
            "review_date": f"2025-03-{1 + number % 28:02d}",
            "graded_care_profile": RESULTS[number % 3],
            # The label as the header, as a council's own spreadsheet might have it.
            "The lived experience of the child is recorded": RESULTS[(number + 1) % 3],
            "health_needs_followed_up": "met",
            "home_conditions_seen": "n/a" if number % 5 == 0 else "met",
            "school_attendance_considered": "not met" if number % 4 == 0 else "met",
            "cumulative_harm_considered": "met",
            "chronology_shows_patterns": RESULTS[number % 3],
            "plan_is_specific": "met",
            "Was the child's voice recorded?": "yes" if number % 3 else "no",
            # By key and by the choice's words, in any case.
            "neglect_level": (
                LEVELS[number % 4] if number % 2 else LEVEL_LABELS[LEVELS[number % 4]].upper()
            ),
            "months_known": str(number) if number % 6 else "",
            "previous_plans": str(number % 3),
            "one_thing_to_change": f"Earlier help for child {number}" if number % 2 else "",
        }
        rows.append(row)
    return rows


def expected_answers(row):
    """(standards' results, question answers) as a row of neglect_rows() should be stored."""
    results = {"not met": "not_met", "n/a": "not_applicable"}
    standards = {
        "graded_care_profile": row["graded_care_profile"],
        "lived_experience_recorded": row["The lived experience of the child is recorded"],
        "health_needs_followed_up": "met",
        "home_conditions_seen": results.get(row["home_conditions_seen"], "met"),
        "school_attendance_considered": results.get(row["school_attendance_considered"], "met"),
        "cumulative_harm_considered": "met",
        "chronology_shows_patterns": row["chronology_shows_patterns"],
        "plan_is_specific": "met",
    }
    level = row["neglect_level"]
    questions = {
        "voice_recorded": row["Was the child's voice recorded?"] == "yes",
        "neglect_level": next(
            k for k, label in LEVEL_LABELS.items() if level in (k, label.upper())
        ),
        "months_known": int(row["months_known"]) if row["months_known"] else None,
        "previous_plans": int(row["previous_plans"]),
        "one_thing_to_change": row["one_thing_to_change"] or None,
    }
    return standards, questions


def import_neglect(rows, actor, template, file_name="neglect.csv"):
    return import_reviews(data=csv_bytes(rows), file_name=file_name, by=actor, template=template)


def test_a_file_on_the_neglect_template_imports_its_standards_and_answers(actor, neglect):
    rows = neglect_rows()

    result = import_neglect(rows, actor, neglect)

    assert result.ok, [str(problem) for problem in result.problems]
    assert (result.created, result.updated, result.unchanged) == (30, 0, 0)
    cohort = Cohort.objects.get(name=NEGLECT_COHORT)
    assert cohort.template == neglect
    reviews = {r.child.case_ref: r for r in Review.objects.filter(cohort=cohort)
               .select_related("child", "template")}  # fmt: skip
    assert len(reviews) == 30
    kinds = [(q.key, q.type) for q in neglect.template.questions]
    for row in rows:
        review = reviews[row["child_ref"]]
        assert review.template == neglect
        standards, questions = expected_answers(row)
        stored = {key: standard(review.answers, key)["result"] for key in standards}
        assert stored == standards, row["child_ref"]
        assert question_values(review.answers, kinds) == questions, row["child_ref"]
        assert not set(BUILT_IN_STANDARDS) & set(review.answers["standards"])


def test_importing_the_same_file_on_the_template_again_changes_nothing(actor, neglect):
    rows = neglect_rows()
    import_neglect(rows, actor, neglect)
    before = table_counts()

    again = import_neglect(rows, actor, neglect)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 30)
    after = table_counts()
    after.pop("ImportRecord"), before.pop("ImportRecord")
    assert after == before


def test_a_changed_answer_or_result_updates_the_review_and_history_keeps_the_old(actor, neglect):
    rows = neglect_rows()
    import_neglect(rows, actor, neglect)
    rows[1]["neglect_level"] = "significant"
    rows[1]["months_known"] = "40"
    rows[2]["plan_is_specific"] = "not met"

    result = import_neglect(rows, actor, neglect)

    assert (result.created, result.updated, result.unchanged) == (0, 2, 28)
    first = Review.objects.get(child__case_ref="N2001")
    kinds = [("neglect_level", "choice"), ("months_known", "number")]
    assert question_values(first.answers, kinds) == {"neglect_level": "significant",
                                                     "months_known": 40}  # fmt: skip
    old = first.history.order_by("history_date").first()
    assert question_values(old.answers, kinds) == {"neglect_level": "moderate",
                                                   "months_known": 1}  # fmt: skip
    second = Review.objects.get(child__case_ref="N2002")
    assert standard(second.answers, "plan_is_specific")["result"] == "not_met"


def test_a_file_read_on_another_template_than_its_cohorts_is_refused_whole(actor, neglect, seeded):
    rows = neglect_rows(3)
    rows[2]["cohort"] = SEPTEMBER  # a cohort on the built-in template
    before = table_counts()

    result = import_neglect(rows, actor, neglect)

    assert [str(problem) for problem in result.problems] == [
        f"row 4, column cohort: got '{SEPTEMBER}'; expected a cohort on Thematic audit - "
        "neglect, version 1, the template the file was read as ("
        f"{SEPTEMBER} uses Practice and Impact Review, version 1)"
    ]
    assert table_counts() == before


def test_a_built_in_file_for_a_cohort_on_the_neglect_template_is_refused(actor, neglect):
    import_neglect(neglect_rows(2), actor, neglect)
    built_in_row = {**seed_rows()[0], "cohort": NEGLECT_COHORT}
    before = table_counts()

    result = import_reviews(data=csv_bytes([built_in_row]), file_name="b.csv", by=actor)

    assert [str(problem) for problem in result.problems] == [
        f"row 2, column cohort: got '{NEGLECT_COHORT}'; expected a cohort on Practice and "
        "Impact Review, version 1, the template the file was read as ("
        f"{NEGLECT_COHORT} uses Thematic audit - neglect, version 1)"
    ]
    assert table_counts() == before


def test_bad_answers_and_a_blank_required_question_are_problems_and_nothing_is_written(
    actor, neglect
):
    rows = neglect_rows(3)
    rows[0]["Was the child's voice recorded?"] = ""
    rows[1]["neglect_level"] = "severe"
    rows[2]["previous_plans"] = "2.5"
    before = table_counts()

    result = import_neglect(rows, actor, neglect)

    assert [str(problem) for problem in result.problems] == [
        "row 2, column voice_recorded: blank; expected yes or no",
        "row 3, column neglect_level: got 'severe'; expected one of low, moderate, significant, "
        "not_identified (or a choice written out in full)",
        "row 4, column previous_plans: got '2.5'; expected a whole number, 0 or more",
    ]
    assert table_counts() == before


# ------------------------------------------------------------------ pages and command line


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_upload_page_asks_which_template_and_carries_it_to_the_import(client, cast, neglect):
    client.force_login(cast["qa_lead"])
    page = text_of(client.get(reverse("import_reviews")))
    assert "Practice and Impact Review, version 1" in page
    assert "Thematic audit - neglect, version 1" in page

    checked = client.post(reverse("import_reviews"), {
        "file": SimpleUploadedFile("neglect.csv", csv_bytes(neglect_rows())),
        "cohort": "", "template": neglect.pk,
    })  # fmt: skip
    assert "Check before importing" in text_of(checked)
    assert "Thematic audit - neglect, version 1" in text_of(checked)
    done = client.post(reverse("import_confirm"), {"token": checked.context["token"]},
                       follow=True)  # fmt: skip

    assert "Imported 30 reviews into Neglect audit, spring 2025: 30 new" in text_of(done)
    assert Cohort.objects.get(name=NEGLECT_COHORT).template == neglect
    assert Review.objects.filter(cohort__name=NEGLECT_COHORT, template=neglect).count() == 30


def test_the_cohort_page_asks_which_template(client, cast, neglect):
    client.force_login(cast["qa_lead"])
    assert "Thematic audit - neglect, version 1" in text_of(client.get(reverse("cohort_create")))
    client.post(reverse("cohort_create"), {
        "name": "Neglect, May 2026", "period_start": "01/05/2026", "period_end": "31/05/2026",
        "selected_by": "Senior leadership team", "selection_reason": "mixed",
        "template": neglect.pk,
    })  # fmt: skip
    assert Cohort.objects.get(name="Neglect, May 2026").template == neglect


def test_the_command_imports_on_the_template_named(actor, neglect, tmp_path):
    path = tmp_path / "neglect.csv"
    path.write_bytes(csv_bytes(neglect_rows()))
    out = io.StringIO()
    call_command("import_reviews", str(path), "--template", "neglect_thematic", stdout=out)
    assert out.getvalue().startswith("Imported 30 reviews into Neglect audit, spring 2025")
    assert Cohort.objects.get(name=NEGLECT_COHORT).template == neglect
    with pytest.raises(CommandError, match="no published template called 'no_such_thing'"):
        call_command("import_reviews", str(path), "--template", "no_such_thing")


def test_a_held_file_whose_template_is_no_longer_published_is_not_imported(client, cast, neglect):
    client.force_login(cast["qa_lead"])
    checked = client.post(reverse("import_reviews"), {
        "file": SimpleUploadedFile("neglect.csv", csv_bytes(neglect_rows(2))),
        "cohort": "", "template": neglect.pk,
    })  # fmt: skip
    AuditTemplate.objects.filter(pk=neglect.pk).update(published_at=None)
    before = table_counts()

    done = client.post(reverse("import_confirm"), {"token": checked.context["token"]},
                       follow=True)  # fmt: skip

    assert "The audit template you chose is no longer published" in text_of(done)
    assert done.redirect_chain[-1][0] == reverse("import_reviews")
    assert table_counts() == before


def test_a_template_whose_keys_a_review_file_could_not_hold_is_not_loaded(actor):
    data = to_data(read_yaml(NEGLECT_FILE.read_text()))
    data["questions"][0]["key"] = "reviewer"  # a column every review file may have
    data["questions"][1]["key"] = "plan_is_specific"  # a standard's key
    with pytest.raises(TemplateProblems) as refused:
        load_template(by=actor, definition=from_data(data))
    assert refused.value.problems == [
        'question "reviewer": review files already have a column called reviewer, so they '
        "could not hold its answers: give the question another key",
        'question "plan_is_specific": a standard has the same key, so review files could not '
        "tell their columns apart: give the question another key",
    ]
    assert not AuditTemplate.objects.filter(key="neglect_thematic").exists()
