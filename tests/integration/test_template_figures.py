"""Figures, the summary report and the figure check follow the counted reviews' template: its
standards and its questions (issue 15, stage 2b; docs/spec/interchange.md#figures-json)."""

import datetime
import html
import io
from pathlib import Path

import docx
import pytest

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import from_data, read_yaml, to_data
from practice_review.moderation.queries import recurring_findings
from practice_review.reports.builder import build_report
from practice_review.reports.figure_check import check_figures
from practice_review.reports.figures import cohort_figures, figures_for
from practice_review.reports.narrative import placeholders
from practice_review.reports.renderers import RENDERERS
from practice_review.reports.report_data import report_data
from practice_review.reviews import actions
from practice_review.reviews.models import Cohort, Review
from practice_review.reviews.template_actions import load_template
from tests.conftest import SEPTEMBER

pytestmark = pytest.mark.django_db

NEGLECT = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"
NEGLECT_STANDARDS = [
    "graded_care_profile", "lived_experience_recorded", "health_needs_followed_up",
    "home_conditions_seen", "school_attendance_considered", "cumulative_harm_considered",
    "chronology_shows_patterns", "plan_is_specific",
]  # fmt: skip


def neglect_template(actor):
    return load_template(by=actor, definition=read_yaml(NEGLECT.read_text())).template


def neglect_cohort(actor, template, name="Neglect audit"):
    seed = Cohort.objects.get(name=SEPTEMBER)
    return actions.create_cohort(
        by=actor, name=name, period_start=seed.period_start, period_end=seed.period_end,
        selected_by="QA lead", selection_reason="neglect", template=template,
    )  # fmt: skip


def answers(met=(), not_met=(), voice=None, level=None, months=None, words=None):
    standards = {key: {"result": "met", "comment": "", "put_right": False} for key in met}
    standards |= {key: {"result": "not_met", "comment": "", "put_right": True} for key in not_met}
    questions = {key: value for key, value in
                 (("voice_recorded", voice), ("neglect_level", level), ("months_known", months))
                 if value is not None}  # fmt: skip
    texts = {"one_thing_to_change": words} if words else {}
    return {"standards": standards, "questions": questions, "texts": texts}


def completed_review(cohort, template, given):
    """A copy of a seed review, completed in `cohort` on `template` with the answers `given`,
    a day after the last one there."""
    review = Review.objects.filter(cohort__name=SEPTEMBER).order_by("id").first()
    review.pk = review.id = None
    review.cohort, review.template, review.answers, review.status = (
        cohort, template, given, "final",
    )  # fmt: skip
    review.review_date += datetime.timedelta(days=Review.objects.filter(cohort=cohort).count())
    review.save()
    return review


@pytest.fixture
def neglect(seeded, actor):
    """A neglect cohort of 4 completed reviews (and one in progress, not counted)."""
    template = neglect_template(actor)
    cohort = neglect_cohort(actor, template)
    completed_review(cohort, template, answers(
        met=["graded_care_profile", "home_conditions_seen"], not_met=["plan_is_specific"],
        voice=True, level="low", months=12, words="An earlier referral to health visiting.",
    ))  # fmt: skip
    completed_review(
        cohort,
        template,
        answers(met=["graded_care_profile"], voice=True, level="significant", months=30),
    )
    completed_review(cohort, template, answers(not_met=["graded_care_profile"], voice=False,
                                               level="low"))  # fmt: skip
    completed_review(cohort, template, answers(met=["graded_care_profile"]))
    unfinished = completed_review(cohort, template, answers(met=["plan_is_specific"], voice=True))
    Review.objects.filter(pk=unfinished.pk).update(status="in_progress")
    return cohort


def test_a_neglect_cohorts_figures_count_its_own_standards_and_questions(neglect):
    figures = cohort_figures(neglect)
    assert figures["template"] == {
        "key": "neglect_thematic", "version": 1, "name": neglect.template.name,
    }  # fmt: skip
    standards = figures["practice_standards"]
    assert list(standards) == NEGLECT_STANDARDS
    assert standards["graded_care_profile"] == {"met": 3, "not_met": 1, "not_applicable": 0}
    assert standards["plan_is_specific"] == {"met": 0, "not_met": 1, "not_applicable": 0}
    assert figures["questions"] == {
        "voice_recorded": {"yes": 2, "no": 1},
        "neglect_level": {"low": 2, "moderate": 0, "significant": 1, "not_identified": 0},
        "months_known": {"answered": 2, "total": 42},
        "previous_plans": {"answered": 0, "total": 0},
        "one_thing_to_change": {"answered": 1},
    }


def test_the_built_in_templates_figures_have_no_questions_block(seeded):
    figures = cohort_figures(Cohort.objects.get(name=SEPTEMBER))
    assert figures["template"]["key"] == "practice_and_impact"
    assert "questions" not in figures and "templates" not in figures


def test_figures_over_two_template_versions_count_the_standards_they_share(neglect, actor):
    definition = to_data(neglect.template.template)
    definition["version"] = 2
    definition["standards"] = [s for s in definition["standards"]
                               if s["key"] != "plan_is_specific"]  # fmt: skip
    definition["standards"].append({"key": "father_involved", "label": "The father was involved"})
    definition["questions"] = [q for q in definition["questions"] if q["key"] != "months_known"]
    second = load_template(by=actor, definition=from_data(definition)).template
    later = neglect_cohort(actor, second, name="Neglect audit, second round")
    completed_review(later, second, answers(met=["graded_care_profile", "father_involved"],
                                            voice=True))  # fmt: skip
    figures = figures_for("Both rounds", Review.objects.filter(cohort__in=[neglect, later]))
    assert figures["template"] is None
    assert figures["templates"] == [
        {"key": "neglect_thematic", "version": 1, "name": neglect.template.name, "reviews": 4},
        {"key": "neglect_thematic", "version": 2, "name": second.name, "reviews": 1},
    ]
    assert list(figures["practice_standards"]) == NEGLECT_STANDARDS[:-1]
    assert figures["practice_standards"]["graded_care_profile"]["met"] == 4
    assert figures["left_out"] == {
        "standards": ["plan_is_specific", "father_involved"], "questions": ["months_known"],
    }  # fmt: skip
    assert figures["questions"]["voice_recorded"] == {"yes": 3, "no": 1}
    assert "months_known" not in figures["questions"]


def test_counting_a_template_takes_the_same_queries_however_many_reviews(
    neglect, django_assert_num_queries
):
    # The counts, the alerts, the dual reviews, the recommendations, the template versions;
    # and the council's frameworks, once.
    with django_assert_num_queries(6):
        cohort_figures(neglect)
    for _ in range(12):
        given = answers(met=["graded_care_profile"], voice=True)
        completed_review(neglect, neglect.template, given)
    with django_assert_num_queries(6):
        figures = cohort_figures(neglect)
    assert figures["questions"]["voice_recorded"]["yes"] == 14


def render_html(report):
    return html.unescape(RENDERERS["html"]().render(report).decode())


def render_docx(report):
    return RENDERERS["docx"]().render(report)


def report(cohort, **options):
    figures = cohort_figures(cohort)
    data = report_data(Review.objects.filter(cohort=cohort))
    return build_report(council="Test Council", figures=figures, data=data, **options)


def test_the_summary_report_shows_the_templates_standards_and_questions(neglect):
    page = render_html(report(neglect))
    assert "A Graded Care Profile 2 was completed" in page
    assert "3 of 4 (75%)" in page
    assert "Was the child's voice recorded?" in page
    assert "Low - universal or early help level" in page
    assert "seen alone" not in page.lower()
    assert f"4 reviews were completed on the {neglect.template.name} template" in page
    document = docx.Document(io.BytesIO(render_docx(report(neglect))))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "A Graded Care Profile 2 was completed" in cells
    assert "Was the child's voice recorded?" in cells
    assert "2 of 4 (50%)" in cells  # the child's voice recorded


def test_the_wider_edition_masks_small_question_counts(neglect):
    page = render_html(report(neglect, audience="wider"))
    assert "Was the child's voice recorded?" in page
    assert "1 of 4 (25%)" not in page


def test_narrative_placeholders_name_the_templates_standards_and_questions(neglect):
    names = placeholders(cohort_figures(neglect))
    assert names["standards.graded_care_profile.met"][0] == "3 of 4 (75%)"
    assert names["questions.voice_recorded.yes"][0] == "2 of 4 (50%)"
    assert names["questions.neglect_level.low"][0] == "2 of 4 (50%)"
    assert names["questions.months_known.answered"][0] == "2 of 4 (50%)"


def test_the_figure_check_flags_a_wrong_graded_care_profile_sentence(neglect):
    figures, asked = cohort_figures(neglect), (neglect.template.template,)
    right = "A Graded Care Profile 2 was completed in 3 of 4 reviews."
    wrong = "A Graded Care Profile 2 was completed in 2 of 4 reviews."
    assert check_figures(right, figures, templates=asked) == []
    [problem] = check_figures(wrong, figures, templates=asked)
    assert "3 of 4" in problem.problem and "Graded Care Profile" in problem.problem
    assert problem.placeholder == "{standards.graded_care_profile.met}"
    # Without the template its label is no measure: the sentence's figure is only possible.
    assert check_figures(wrong, figures) == []


def test_recurring_findings_count_the_standards_of_each_reviews_template(neglect):
    """The moderation page's recurring findings: a neglect standard not met is a finding in the
    neglect cohort's words; the built-in cohorts' standards are still counted beside it."""
    names, found = recurring_findings(Review.objects.all())
    by_key = {finding.key: finding for finding in found}
    plan = by_key["standard:plan_is_specific"]
    assert plan.label == (
        "Not met: The plan says what must change for the child, by when, and what happens if "
        "it does not"
    )
    assert plan.counts[names.index("Neglect audit")] == 1
    assert by_key["standard:graded_care_profile"].counts[names.index("Neglect audit")] == 1
    assert any(key.startswith("standard:") and key[9:] in v.PRACTICE_STANDARD_KEYS
               for key in by_key)  # fmt: skip
