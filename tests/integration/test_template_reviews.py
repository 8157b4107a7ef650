"""A review on any audit template asks that template's practice standards and questions (issue
15, stage 2b; docs/adr/0007-audit-templates-as-versioned-data.md): the form, its checks before
submission, the review's page and its document follow the review's template. A review on the
built-in template is as it was (tests/integration/test_running_a_review.py)."""

import datetime
import io
import re
from pathlib import Path

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from practice_review.core.audit_templates import TemplateProblems, read_yaml
from practice_review.core.vocabulary import PRACTICE_STANDARDS
from practice_review.reviews import actions
from practice_review.reviews.models import Child, Review
from practice_review.reviews.template_actions import load_template
from tests.integration.test_running_a_review import (
    CHILD,
    GRADES,
    post_section,
    section_url,
    staff,
)

pytestmark = pytest.mark.django_db

NEGLECT = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"
NEGLECT_STANDARDS = [
    "graded_care_profile", "lived_experience_recorded", "health_needs_followed_up",
    "home_conditions_seen", "school_attendance_considered", "cumulative_harm_considered",
    "chronology_shows_patterns", "plan_is_specific",
]  # fmt: skip
STANDARDS = {key: "met" for key in NEGLECT_STANDARDS}
QUESTIONS = {
    "voice_recorded": "yes",
    "neglect_level": "moderate",
    "months_known": "14",
    "previous_plans": "0",
    "one_thing_to_change": "An earlier Graded Care Profile.",
}
VOICE = "Was the child's voice recorded?"
# Strengths under each of the neglect audit's own themes (the built-in's are not its).
NEGLECT_THEME_KEYS = ["recognition", "voice_and_lived_experience", "parental_capacity",
                      "multi_agency", "management_oversight"]  # fmt: skip
NEGLECT_FINDINGS = {f"strengths_{key}": f"Strength under {key}" for key in NEGLECT_THEME_KEYS}


@pytest.fixture
def review(cast):
    return neglect_review(cast)


def neglect_review(cast):
    """A review on the neglect thematic audit, assigned to the Independent Associate."""
    qa_lead = cast["qa_lead"]
    neglect = load_template(by=qa_lead, definition=read_yaml(NEGLECT.read_text())).template
    cohort = actions.create_cohort(
        by=qa_lead, name="Neglect audit", period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31), selected_by="Senior leadership team",
        selection_reason="theme", theme="Neglect", template=neglect,
    )  # fmt: skip
    return actions.assign_review(
        by=qa_lead, cohort=cohort, child=Child.objects.get(case_ref="C1008"),
        reviewer=staff("Independent Associate"), reviewer_type="independent",
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        social_worker=staff("RL"), supervisor=staff("BA"),
    )  # fmt: skip


@pytest.fixture
def reviewer(client, cast):
    client.force_login(cast["reviewer_independent"])
    return cast["reviewer_independent"]


def save(client, review, section, data):
    version = Review.objects.get(pk=review.pk).section_versions.get(section, 0)
    return post_section(client, review, section, {**data, "version": version})


def complete(client, review, questions=QUESTIONS, themes=NEGLECT_FINDINGS):
    for section, data in [("child", CHILD), ("standards", STANDARDS), ("themes", themes),
                          ("grades", GRADES), ("questions", questions)]:  # fmt: skip
        response = save(client, review, section, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    client.post(
        reverse("review_conversations", args=[review.id]),
        {"held_with": "practitioner", "held_on": "10/03/2026", "method": "video",
         "their_words": "We kept the family engaged."},
    )  # fmt: skip


def words(response):
    """The page's text as a person reads it: tags gone, spaces collapsed, entities read."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.replace("&#x27;", "'").replace("&quot;", '"').split())


def test_the_standards_page_asks_the_templates_own_standards_with_their_help(
    client, reviewer, review
):
    page = words(client.get(section_url(review, "standards")))
    assert "A Graded Care Profile 2 was completed" in page
    assert "Completed with the family within the last 6 months" in page  # its help, as a hint
    for _key, label in PRACTICE_STANDARDS:
        assert label not in page
    html = client.get(section_url(review, "standards")).content.decode()
    assert len(re.findall(r'name="(\w+)_comment"', html)) == 8
    assert 'aria-describedby="id_graded_care_profile-hint"' in html


def test_the_task_list_has_questions_only_when_the_template_asks_them(
    client, cast, reviewer, review
):
    page = client.get(reverse("review_tasks", args=[review.id])).content.decode()
    assert section_url(review, "questions") in page
    built_in = Review.objects.filter(
        reviewer=staff("Independent Associate").pk, status__in=["assigned", "in_progress"]
    ).exclude(pk=review.pk)
    built_in = built_in.first() or _built_in_review(cast)
    page = client.get(reverse("review_tasks", args=[built_in.id])).content.decode()
    assert "/form/questions/" not in page
    assert client.get(section_url(built_in, "questions")).status_code == 404


def _built_in_review(cast):
    cohort = actions.create_cohort(
        by=cast["qa_lead"], name="March 2026", period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31), selected_by="Senior leadership team",
        selection_reason="mixed",
    )  # fmt: skip
    return actions.assign_review(
        by=cast["qa_lead"], cohort=cohort, child=Child.objects.get(case_ref="C1008"),
        reviewer=staff("Independent Associate"), reviewer_type="independent",
        due_date=timezone.localdate() + datetime.timedelta(days=14), social_worker=staff("RL"),
    )  # fmt: skip


def test_the_questions_page_asks_each_question_in_its_own_way(client, reviewer, review):
    html = client.get(section_url(review, "questions")).content.decode()
    assert re.search(r'name="voice_recorded" type="radio" value="yes"', html)
    assert re.search(r'name="neglect_level" type="radio" value="not_identified"', html)
    assert "Moderate - child in need" in html
    assert re.search(r'name="months_known" type="text"[^>]*inputmode="numeric"', html)
    assert re.search(r'<textarea[^>]*name="one_thing_to_change"', html)
    page = words(client.get(section_url(review, "questions")))
    # Two questions must be answered before submitting; the page says so at each, not the others.
    assert page.count("Answer this before you submit the review") == 2
    assert "(optional)" not in page


def test_saving_standards_and_questions_stores_them_in_the_answers_with_history(
    client, reviewer, review
):
    assert save(client, review, "standards", {**STANDARDS, "plan_is_specific": "not_met",
                "plan_is_specific_comment": "No timescales."}).status_code == 302  # fmt: skip
    assert save(client, review, "questions", QUESTIONS).status_code == 302
    review.refresh_from_db()
    assert review.answers["standards"]["graded_care_profile"]["result"] == "met"
    assert review.answers["standards"]["plan_is_specific"]["comment"] == "No timescales."
    assert review.answers["questions"] == {
        "voice_recorded": True, "neglect_level": "moderate", "months_known": 14,
        "previous_plans": 0,
    }  # fmt: skip
    assert review.answers["texts"] == {"one_thing_to_change": "An earlier Graded Care Profile."}
    assert review.section_versions["questions"] == 1
    last = review.history.first()
    assert last.history_user == reviewer and last.answers["questions"]["months_known"] == 14
    # The page shows what was saved.
    html = client.get(section_url(review, "questions")).content.decode()
    assert re.search(r'name="voice_recorded"[^>]*value="yes"[^>]*checked', html)
    assert 'value="14"' in html


@pytest.mark.parametrize(
    "given, message",
    [
        ("-2", "The answer must be 0 or more"),
        ("fourteen", "Enter the answer as a whole number, like 3"),
        ("2.5", "Enter the answer as a whole number, like 3"),
        ("1000001", "The answer must be 100,000 or less"),
    ],
)
def test_a_number_question_refuses_what_is_not_a_count(client, reviewer, review, given, message):
    response = save(client, review, "questions", {**QUESTIONS, "months_known": given})
    assert response.status_code == 200
    page = words(response)
    assert page.startswith("Error: ") and page.count(message) == 2  # the summary and the field
    review.refresh_from_db()
    assert "questions" not in review.section_versions


def test_a_required_question_unanswered_blocks_submission_naming_it(client, reviewer, review):
    complete(client, review, questions={**QUESTIONS, "voice_recorded": ""})
    url = reverse("review_submit", args=[review.id])
    page = words(client.get(url))
    assert f"Questions: Answer the question: {VOICE}" in page
    tasks = words(client.get(reverse("review_tasks", args=[review.id])))
    assert "Questions 1 thing still needed In progress" in tasks
    client.post(url)
    review.refresh_from_db()
    assert review.status == "in_progress"


def test_a_template_review_is_submitted_once_every_required_question_is_answered(
    client, reviewer, review
):
    complete(client, review, questions={"voice_recorded": "no", "neglect_level": "significant"})
    url = reverse("review_submit", args=[review.id])
    page = words(client.get(url))
    # Check and submit lists the questions with their answers.
    assert f"{VOICE} No" in page
    assert "At what level was neglect identified at the time of the audit? Significant" in page
    assert "For how many months has the child been known" in page and "Not answered" in page
    assert client.post(url).status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted"


def test_the_review_page_and_its_document_show_the_templates_standards_and_questions(
    client, cast, reviewer, review
):
    complete(client, review)
    client.post(reverse("review_submit", args=[review.id]))
    page = words(client.get(reverse("review_detail", args=[review.id])))
    assert "A Graded Care Profile 2 was completed Met" in page
    assert f"Questions {VOICE} Yes" in page
    assert "Moderate - child in need" in page and "An earlier Graded Care Profile." in page
    assert PRACTICE_STANDARDS[0][1] not in page
    response = client.get(reverse("review_document", args=[review.id, "docx"]))
    document = docx.Document(io.BytesIO(response.content))
    rows = {tuple(cell.text for cell in row.cells) for table in document.tables
            for row in table.rows}  # fmt: skip
    assert ("A Graded Care Profile 2 was completed", "Met", "", "") in rows
    assert (VOICE, "Yes") in rows
    assert ("At what level was neglect identified at the time of the audit?",
            "Moderate - child in need") in rows  # fmt: skip
    assert ("For how many months has the child been known to children's social care for "
            "neglect?", "14") in rows  # fmt: skip
    assert ("What one thing would have made the biggest difference for this child sooner?",
            "An earlier Graded Care Profile.") in rows  # fmt: skip


def test_two_tabs_on_the_questions_merge_answer_by_answer(client, reviewer, review):
    def loaded():
        html = client.get(section_url(review, "questions")).content.decode()
        base = re.search(r'name="base" value="([^"]*)"', html).group(1)
        version = re.search(r'name="version" value="(\d+)"', html).group(1)
        return {"base": base, "version": version}

    first, second = loaded(), loaded()
    blank = dict.fromkeys(QUESTIONS, "")
    assert post_section(client, review, "questions",
                        {**blank, **first, "voice_recorded": "yes"}).status_code == 302  # fmt: skip
    # The second tab, loaded before that save, answers another question: both are kept.
    response = post_section(client, review, "questions",
                            {**blank, **second, "months_known": "7"})  # fmt: skip
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.answers["questions"] == {"voice_recorded": True, "months_known": 7}
    # Both changing one answer differently is put to the person saving, naming the question.
    third = loaded()
    mine = {**blank, **third, "voice_recorded": "yes"}
    post_section(client, review, "questions", {**mine, "months_known": "8"})
    response = post_section(client, review, "questions", {**mine, "months_known": "9"})
    page = words(response)
    assert response.status_code == 200
    assert "Someone else saved this section while you were editing it" in page
    assert "For how many months has the child been known" in page and "saved “8”" in page
    review.refresh_from_db()
    assert review.answers["questions"]["months_known"] == 8


@pytest.mark.parametrize(
    "key, new_key, kind",
    [
        ("voice_recorded", "version", "question"),
        ("home_conditions_seen", "findings", "standard"),
        ("plan_is_specific", "gender", "standard"),
    ],
)
def test_a_template_whose_keys_the_form_uses_itself_is_refused(cast, key, new_key, kind):
    changed = NEGLECT.read_text().replace(f"key: {key}", f"key: {new_key}", 1)
    problem = f"The {kind} key {new_key} is a name the review form uses itself: choose another"
    with pytest.raises(TemplateProblems) as refused:
        load_template(by=cast["qa_lead"], definition=read_yaml(changed))
    assert problem in refused.value.problems
