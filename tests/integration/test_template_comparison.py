"""Comparing two cohorts on different templates or versions compares what they share (the same
keys) and says what it left out; a report, a cohort page and the figure check name the template
(issue 15; docs/summary-reports.md#comparing-cohorts-on-different-templates)."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from practice_review.audit.models import AuditEvent
from practice_review.core import vocabulary as v
from practice_review.reports.builder import build_report
from practice_review.reports.figures import cohort_figures
from practice_review.reports.summary import Coverage, report_inputs
from practice_review.reviews.models import Cohort
from tests.conftest import JULY, SEPTEMBER
from tests.integration.test_import_templates import import_neglect, neglect_rows
from tests.integration.test_template_figures import (
    NEGLECT_STANDARDS,
    answers,
    completed_review,
    neglect_cohort,
    neglect_template,
    render_docx,
    render_html,
)

pytestmark = pytest.mark.django_db

NEGLECT_QUESTIONS = [
    "voice_recorded", "neglect_level", "months_known", "previous_plans", "one_thing_to_change",
]  # fmt: skip
LEFT_OUT_OF_SEPTEMBER = (
    "The comparison leaves out 8 standards and 5 questions September 2024 to February 2025 "
    "was not asked: A Graded Care Profile 2 was completed; "
)
LEFT_OUT_OF_NEGLECT = "It also leaves out 8 standards Neglect audit was not asked: Basic details"


@pytest.fixture
def neglect(seeded, actor):
    """A neglect cohort of 2 completed reviews."""
    template = neglect_template(actor)
    cohort = neglect_cohort(actor, template)
    completed_review(cohort, template, answers(met=["graded_care_profile"], voice=True))
    completed_review(cohort, template, answers(not_met=["graded_care_profile"], voice=False))
    return cohort


def september():
    return Cohort.objects.get(name=SEPTEMBER)


def summary(cohort, compare, **options):
    figures, data = report_inputs(Coverage(cohorts=(cohort,)), compare)
    return build_report(council="Test Council", figures=figures, data=data, **options)


def test_the_comparison_says_which_standards_and_questions_it_did_not_compare(neglect):
    figures = cohort_figures(neglect, compare=september())
    # Each cohort's own figures are whole; what the two do not share is named, not compared.
    assert list(figures["practice_standards"]) == NEGLECT_STANDARDS
    assert list(figures["comparison"]["practice_standards"]) == v.PRACTICE_STANDARD_KEYS
    assert figures["comparison"]["not_compared"] == {
        "standards": NEGLECT_STANDARDS + v.PRACTICE_STANDARD_KEYS,
        "questions": NEGLECT_QUESTIONS,
    }


def test_a_comparison_on_the_same_template_has_nothing_left_out(seeded):
    figures = cohort_figures(september(), compare=Cohort.objects.get(name=JULY))
    assert "not_compared" not in figures["comparison"]


def test_the_summary_report_says_what_the_comparison_left_out_in_both_editions(neglect):
    for audience in ("internal", "wider"):
        page = render_html(summary(neglect, september(), audience=audience))
        assert "were reviewed on different audit templates" in page
        assert LEFT_OUT_OF_SEPTEMBER in page
        assert LEFT_OUT_OF_NEGLECT in page
    document = docx.Document(io.BytesIO(render_docx(summary(neglect, september()))))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert LEFT_OUT_OF_SEPTEMBER in text and LEFT_OUT_OF_NEGLECT in text


def test_the_seed_report_compared_with_july_says_nothing_was_left_out(seeded):
    page = render_html(summary(september(), Cohort.objects.get(name=JULY)))
    assert "leaves out" not in page and "different audit templates" not in page


def test_the_report_and_the_cohort_page_name_a_template_that_is_not_the_built_in(
    neglect, client, cast
):
    report = summary(neglect, None)
    assert report.title == "Thematic audit - neglect: summary"
    assert render_html(report).count("Thematic audit - neglect: summary") >= 1
    built_in = summary(september(), None)
    assert built_in.title == "Children's Services Practice and Impact Review Summary"
    client.force_login(cast["qa_lead"])
    page = client.get(reverse("cohort_detail", args=[neglect.pk])).content.decode()
    assert "Audit template: Thematic audit - neglect, version 1" in page
    seed_page = client.get(reverse("cohort_detail", args=[september().pk])).content.decode()
    assert "Audit template:" not in seed_page  # the navigation has "Audit templates"


def test_check_narrative_checks_the_neglect_templates_standards(neglect, tmp_path):
    path = tmp_path / "narrative.txt"
    path.write_text("A Graded Care Profile 2 was completed in 2 of 2 reviews.\n")
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "check_narrative", "--cohort", neglect.name, "--compare", SEPTEMBER, str(path),
            stdout=out,
        )  # fmt: skip
    assert refused.value.returncode == 1
    assert "Graded Care Profile" in out.getvalue() and "1 of 2 (50%)" in out.getvalue()


def test_an_imports_audit_event_names_the_template_version_it_was_read_as(actor, seeded):
    template = neglect_template(actor)
    result = import_neglect(neglect_rows(3), actor, template)
    assert result.ok, result.problems
    event = AuditEvent.objects.filter(action="imported").latest("id")
    assert event.details["template"] == {"key": "neglect_thematic", "version": 1}
    refused = import_neglect([{"cohort": "x"}], actor, template, file_name="bad.csv")
    assert not refused.ok
    event = AuditEvent.objects.filter(action="imported").latest("id")
    assert event.details["ok"] is False
    assert event.details["template"] == {"key": "neglect_thematic", "version": 1}
