"""Themes follow the audit template (issue 15, stage 3a; docs/audit-templates.md): the review
form's strengths and areas for development, check and submit, the review's page and document,
review files, recommendations, moderation learning points and the summary report ask the
template's own themes. The built-in template's themes are as they were (its tests are
unchanged: tests/integration/test_running_a_review.py, test_summary_reports.py)."""

import datetime
import io

import docx
import pytest
from django.urls import reverse

from practice_review.core.audit_templates import (
    MAX_KEY_LENGTH,
    TemplateProblems,
    Theme,
    built_in,
    from_data,
    read_yaml,
    themes_of,
    to_data,
)
from practice_review.core.vocabulary import THEMES as BUILT_IN_THEMES
from practice_review.moderation import actions as moderation_actions
from practice_review.moderation.models import LearningPoint
from practice_review.reports.builder import narrative_parts
from practice_review.reports.report_data import report_data
from practice_review.reviews.actions import NotAllowed as MeetingNotAllowed
from practice_review.reviews.models import Review, ThemeFinding
from practice_review.reviews.template_actions import load_template
from practice_review.tracker import actions as tracker_actions
from practice_review.tracker.models import Recommendation
from practice_review.tracker.rules import NotAllowed
from tests.conftest import SEPTEMBER
from tests.integration.test_import_templates import NEGLECT_COHORT, import_neglect, neglect_rows
from tests.integration.test_running_a_review import THEMES as BUILT_IN_FINDINGS
from tests.integration.test_running_a_review import section_url, staff
from tests.integration.test_summary_reports import create as create_report
from tests.integration.test_template_figures import (
    completed_review,
    neglect_cohort,
    neglect_template,
    render_docx,
    render_html,
    report,
)
from tests.integration.test_template_reviews import (
    NEGLECT,
    NEGLECT_FINDINGS,
    complete,
    neglect_review,
    save,
    words,
)

pytestmark = pytest.mark.django_db

NEGLECT_THEMES = [
    ("recognition", "Recognition of neglect and its impact on the child"),
    ("voice_and_lived_experience", "The voice and lived experience of the child"),
    ("parental_capacity", "Understanding of parental capacity to change (including parental "
                          "mental health, substance misuse and domestic abuse)"),
    ("multi_agency", "Multi-agency work with health, schools and early years settings"),
    ("management_oversight", "Management oversight of drift and delay"),
]  # fmt: skip


@pytest.fixture
def review(cast):
    return neglect_review(cast)


@pytest.fixture
def reviewer(client, cast):
    client.force_login(cast["reviewer_independent"])
    return cast["reviewer_independent"]


def test_the_themes_page_lists_the_templates_own_themes(client, reviewer, review):
    page = words(client.get(section_url(review, "themes")))
    for _key, label in NEGLECT_THEMES:
        assert label in page
    assert "The journey of the child" not in page
    html = client.get(section_url(review, "themes")).content.decode()
    assert 'name="strengths_recognition"' in html and 'name="strengths_journey"' not in html


def test_submission_needs_strengths_or_development_under_each_of_the_templates_themes(
    client, reviewer, review
):
    complete(client, review, themes=BUILT_IN_FINDINGS)  # none of them the neglect audit's own
    url = reverse("review_submit", args=[review.id])
    page = words(client.get(url))
    assert f"Record strengths or areas for development for: {NEGLECT_THEMES[0][1]}" in page
    assert "The journey of the child" not in page
    client.post(url)
    assert Review.objects.get(pk=review.pk).status == "in_progress"
    assert save(client, review, "themes", NEGLECT_FINDINGS).status_code == 302
    assert client.post(url).status_code == 302
    assert Review.objects.get(pk=review.pk).status == "submitted"


def test_a_neglect_finding_is_saved_with_its_history_and_a_theme_not_asked_is_not(
    client, reviewer, review
):
    response = save(client, review, "themes", {
        "strengths_recognition": "Neglect was named early.",
        "development_parental_capacity": "No assessment of the father's capacity.",
        "strengths_journey": "Not a neglect theme.",
    })  # fmt: skip
    assert response.status_code == 302
    findings = {f.theme: f for f in ThemeFinding.objects.filter(review=review)}
    assert set(findings) == {"recognition", "parental_capacity"}
    assert findings["recognition"].strengths == "Neglect was named early."
    assert findings["recognition"].history.get().history_user == reviewer
    save(client, review, "themes", {"strengths_recognition": "Named at the first visit."})
    history = findings["recognition"].history.order_by("history_id")
    assert [h.strengths for h in history] == ["Neglect was named early.",
                                              "Named at the first visit."]  # fmt: skip


def test_the_review_page_and_its_document_show_the_templates_themes(client, reviewer, review):
    complete(client, review)
    client.post(reverse("review_submit", args=[review.id]))
    page = words(client.get(reverse("review_detail", args=[review.id])))
    assert f"{NEGLECT_THEMES[0][1]} Strengths: Strength under recognition" in page
    response = client.get(reverse("review_document", args=[review.id, "docx"]))
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert f"4.1. {NEGLECT_THEMES[0][1]}" in headings
    assert not any("journey of the child" in heading for heading in headings)


def test_an_import_on_the_neglect_template_reads_its_theme_columns(actor):
    template = neglect_template(actor)
    rows = neglect_rows(3)
    rows[0] |= {"strengths_recognition": "Named early.", "development_parental_capacity": "Late."}
    # The built-in's theme is no column of a neglect file: ignored, as any unknown column.
    rows[1] |= {"strengths_recognition": "", "development_parental_capacity": "",
                "strengths_journey": "Not asked."}  # fmt: skip
    rows[2] |= {"strengths_recognition": "", "development_parental_capacity": ""}
    result = import_neglect(rows, actor, template)
    assert result.ok, result.problems
    findings = ThemeFinding.objects.filter(review__cohort__name=NEGLECT_COHORT)
    assert sorted(findings.values_list("theme", "strengths", "development")) == [
        ("parental_capacity", "", "Late."), ("recognition", "Named early.", ""),
    ]  # fmt: skip
    assert findings.get(theme="recognition").history.count() == 1


def test_a_recommendation_on_a_neglect_review_offers_its_themes(client, reviewer, review):
    html = client.get(reverse("review_recommendations", args=[review.id])).content.decode()
    assert 'value="recognition"' in html and 'value="journey"' not in html
    response = client.post(reverse("review_recommendations", args=[review.id]), {
        "action": "Use the Graded Care Profile", "owner": staff("RL").pk,
        "due_date": "01/12/2030", "success_measure": "Profile done", "theme": "journey",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Select a theme from the list" in words(response)
    with pytest.raises(NotAllowed, match="Select a theme from the list"):
        tracker_actions.add_child_recommendation(
            review=review, by=reviewer, action="x", owner=staff("RL"),
            due_date=datetime.date(2030, 12, 1), success_measure="y", theme="journey",
        )  # fmt: skip
    made = tracker_actions.add_child_recommendation(
        review=review, by=reviewer, action="x", owner=staff("RL"),
        due_date=datetime.date(2030, 12, 1), success_measure="y", theme="recognition",
    )  # fmt: skip
    assert made.theme_label == NEGLECT_THEMES[0][1]


def test_a_meetings_learning_points_offer_its_reviews_themes(client, cast, review):
    Review.objects.filter(pk=review.pk).update(status="submitted")
    review.refresh_from_db()
    qa_lead = cast["qa_lead"]
    meeting = moderation_actions.plan_meeting(
        by=qa_lead, held_on=datetime.date(2027, 1, 15), attendees="QA", reviews=[review]
    )
    client.force_login(qa_lead)
    html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert 'value="recognition"' in html and 'value="journey"' not in html
    with pytest.raises(MeetingNotAllowed, match="Select a theme from the list"):
        moderation_actions.add_learning_point(
            by=qa_lead, meeting=meeting, text="x", theme="journey"
        )
    client.post(
        reverse("meeting_learning", args=[meeting.pk]),
        {"learning-text": "Neglect is named late.", "learning-theme": "recognition"},
    )
    text = words(client.get(reverse("meeting_detail", args=[meeting.pk])))
    assert f"{NEGLECT_THEMES[0][1]}: Neglect is named late." in text


@pytest.mark.parametrize("model", [ThemeFinding, Recommendation, LearningPoint])
def test_a_theme_is_any_key_a_template_may_have(model):
    """No fixed list of themes in the database: a template's key, as long as one may be."""
    field = model._meta.get_field("theme")
    for key in ("recognition", "a" * MAX_KEY_LENGTH):
        assert field.clean(key, None) == key


@pytest.fixture
def neglect(seeded, actor):
    template = neglect_template(actor)
    cohort = neglect_cohort(actor, template)
    for n in range(3):
        reviewed = completed_review(cohort, template, {})
        ThemeFinding.objects.create(review=reviewed, theme="recognition",
                                    strengths=f"Neglect named early in review {n}.")  # fmt: skip
    return cohort


def test_the_summary_report_has_the_templates_themes_as_its_sections(neglect):
    page = render_html(report(neglect))
    assert f"4.1. {NEGLECT_THEMES[0][1]}" in page
    assert f"5.5. {NEGLECT_THEMES[4][1]}" in page
    assert "5.6. Service-level recommendations" in page
    assert "Neglect named early in review 0." in page
    assert "The journey of the child" not in page
    document = docx.Document(io.BytesIO(render_docx(report(neglect))))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert f"4.1. {NEGLECT_THEMES[0][1]}" in headings
    assert f"5.2. {NEGLECT_THEMES[1][1]}" in headings
    assert not any("journey of the child" in heading for heading in headings)


def test_themes_over_two_templates_list_the_shared_first_each_once():
    neglect = read_yaml(NEGLECT.read_text())
    themes = themes_of((neglect, built_in()))
    keys = [theme.key for theme in themes]
    assert keys[:2] == ["multi_agency", "management_oversight"]  # both ask them
    assert len(keys) == len(set(keys)) == 8
    assert keys[2:5] == ["recognition", "voice_and_lived_experience", "parental_capacity"]
    assert keys[5:] == ["journey", "needs_support_outcomes", "identity"]
    assert themes[0] == Theme("multi_agency", NEGLECT_THEMES[3][1])  # the first one's words
    assert themes_of((built_in(),)) == tuple(Theme(k, t) for k, t in BUILT_IN_THEMES)


def test_a_template_whose_standard_has_a_theme_columns_name_is_not_loaded(actor):
    data = to_data(read_yaml(NEGLECT.read_text()))
    data["standards"][0]["key"] = "strengths_recognition"  # the column of its first theme
    with pytest.raises(TemplateProblems) as refused:
        load_template(by=actor, definition=from_data(data))
    assert refused.value.problems == [
        'standard "strengths_recognition": a theme\'s column has the same name, so review files '
        "could not tell their columns apart: give the standard another key"
    ]


def test_the_report_over_two_templates_has_a_section_for_each_theme_once(neglect):
    data = report_data(Review.objects.filter(cohort__name__in=[neglect.name, SEPTEMBER]))
    strengths = [(key, where) for key, where in narrative_parts(data.themes)
                 if key.startswith("strengths.")]  # fmt: skip
    assert [key for key, _ in strengths] == [
        f"strengths.{key}" for key in ("multi_agency", "management_oversight", "recognition",
                                       "voice_and_lived_experience", "parental_capacity",
                                       "journey", "needs_support_outcomes", "identity")
    ]  # fmt: skip
    assert strengths[0][1] == f"4.1. {NEGLECT_THEMES[3][1]}"
    assert ("recommendations", "5.9. Service-level recommendations") in narrative_parts(data.themes)


def test_a_draft_reports_parts_are_its_templates_themes(client, cast, neglect):
    client.force_login(cast["qa_lead"])
    report = create_report(client, title="Neglect audit summary", cohorts=[neglect.pk])
    editor = client.get(reverse("report_part", args=[report.pk, "strengths.recognition"]))
    assert editor.status_code == 200
    assert f"4.1. {NEGLECT_THEMES[0][1]}" in words(editor)
    assert (
        client.get(reverse("report_part", args=[report.pk, "strengths.journey"])).status_code == 404
    )
