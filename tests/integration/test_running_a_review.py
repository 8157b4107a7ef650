"""Running a review in the app: cohorts, assignment, the form, submission and sign-off."""

import datetime
import importlib.util
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from practice_review.accounts.models import StaffMember
from practice_review.core.audit_templates import read_yaml
from practice_review.core.vocabulary import PRACTICE_STANDARD_KEYS, THEME_KEYS
from practice_review.reports.figures import cohort_figures
from practice_review.reviews import actions
from practice_review.reviews.answers import standard
from practice_review.reviews.models import Child, Cohort, GradeDescriptor, Review, ReviewEvent
from practice_review.reviews.queries import section_values
from practice_review.reviews.template_actions import load_template
from practice_review.tracker import actions as tracker_actions
from tests.conftest import regrade

pytestmark = pytest.mark.django_db

NEGLECT_FILE = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"
STAFF = {"RL": "practitioner", "BA": "manager", "Independent Associate": "reviewer_independent"}


def staff(name):
    return StaffMember.objects.get(name=name)


@pytest.fixture
def cohort(cast):
    return actions.create_cohort(
        by=cast["qa_lead"], name="March 2026", period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31), selected_by="Senior leadership team",
        selection_reason="mixed",
    )  # fmt: skip


@pytest.fixture
def review(cast, cohort):
    child = Child.objects.get(case_ref="C1008")  # SY, born 2008 or so: no date of birth stored
    return actions.assign_review(
        by=cast["qa_lead"], cohort=cohort, child=child, reviewer=staff("Independent Associate"),
        reviewer_type="independent", due_date=timezone.localdate() + datetime.timedelta(days=14),
        social_worker=staff("RL"), supervisor=staff("BA"),
    )  # fmt: skip


def section_url(review, section):
    return reverse("review_section", args=[review.id, section])


def post_section(client, review, section, data, autosave=False):
    headers = {"X-Autosave": "1"} if autosave else {}
    return client.post(section_url(review, section), data, headers=headers)


CHILD = {
    "review_date": "14/03/2026", "age_at_review": "17", "legal_status": "looked_after",
    "gender": "male", "ethnicity": "Eritrean", "religion": "", "first_language": "Tigrinya",
    "interpreter_needed": "yes", "uasc": "yes", "case_start_date": "",
}  # fmt: skip
STANDARDS = {key: "met" for key in PRACTICE_STANDARD_KEYS}
THEMES = {f"strengths_{theme}": f"Strength under {theme}" for theme in THEME_KEYS}
GRADES = {
    "practice_grade": "outstanding", "practice_rationale": "Consistently strong practice.",
    "outcome_grade": "requires_improvement", "outcome_rationale": "Not engaging.",
    "practice_outcome_reason": "Will not meet services despite persistent efforts.",
}  # fmt: skip


def complete(client, review):
    for section, data in [("child", CHILD), ("standards", STANDARDS), ("themes", THEMES),
                          ("grades", GRADES)]:  # fmt: skip
        version = Review.objects.get(pk=review.pk).section_versions.get(section, 0)
        response = post_section(client, review, section, {**data, "version": version})
        assert response.status_code == 302, response.content.decode()[:2000]
    client.post(
        reverse("review_conversations", args=[review.id]),
        {"held_with": "practitioner", "held_on": "10/03/2026", "method": "video",
         "their_words": "We worked hard to keep him engaged."},
    )  # fmt: skip


# -------------------------------------------------------------- cohorts and assignment


def test_the_qa_lead_creates_a_cohort(client, cast):
    client.force_login(cast["qa_lead"])
    response = client.post(reverse("cohort_create"), {
        "name": "April 2026", "period_start": "01/04/2026", "period_end": "30/04/2026",
        "selected_by": "Senior leadership team", "selection_reason": "theme",
        "theme": "Care leavers' housing",
    })  # fmt: skip
    cohort = Cohort.objects.get(name="April 2026")
    assert response["Location"] == reverse("cohort_detail", args=[cohort.id])
    assert cohort.history.get().history_user == cast["qa_lead"]


def test_a_theme_cohort_needs_its_theme_and_names_are_unique(client, cast, cohort):
    client.force_login(cast["qa_lead"])
    page = client.post(reverse("cohort_create"), {
        "name": "march 2026", "period_start": "01/04/2026", "period_end": "01/03/2026",
        "selected_by": "SLT", "selection_reason": "theme",
    }).content.decode()  # fmt: skip
    assert "A cohort with this name already exists" in page
    assert "Enter the theme" in page


def add_case(client, cohort, **changes):
    data = {
        "case_ref": "C5001", "initials": "TT", "gender": "female", "date_of_birth": "02/05/2012",
        "social_worker": staff("RL").id, "supervisor": staff("BA").id, "iro": "",
        "reviewer": staff("Independent Associate").id, "reviewer_type": "independent",
        "due_date": "20/03/2026", **changes,
    }  # fmt: skip
    return client.post(reverse("cohort_add_case", args=[cohort.id]), data)


def test_the_qa_lead_adds_a_new_child_and_assigns_a_reviewer(client, cast, cohort):
    client.force_login(cast["qa_lead"])
    assert add_case(client, cohort).status_code == 302
    review = Review.objects.get(cohort=cohort)
    assert (review.status, review.child.initials, review.age_years) == ("assigned", "TT", 13)
    assert review.reviewer == staff("Independent Associate")
    assert review.events.get().to_status == "assigned"


def test_assigning_the_childs_own_worker_needs_a_recorded_reason(client, cast, cohort):
    client.force_login(cast["qa_lead"])
    head = staff("Head of Safeguarding and QA").id  # an internal reviewer who supervises too
    page = add_case(client, cohort, reviewer=head, supervisor=head, reviewer_type="internal")
    assert "The reviewer is the social worker&#x27;s supervisor" in page.content.decode()
    assert not Review.objects.filter(cohort=cohort).exists()
    response = add_case(client, cohort, reviewer=head, supervisor=head, reviewer_type="internal",
                        conflict_reason="No other internal reviewer this month.")  # fmt: skip
    assert response.status_code == 302
    assert Review.objects.get(cohort=cohort).conflict_reason.startswith("No other")


def test_an_existing_child_is_found_by_case_reference(client, cast, cohort):
    client.force_login(cast["qa_lead"])
    assert add_case(client, cohort, case_ref="C1001", initials="").status_code == 302
    assert Review.objects.get(cohort=cohort).child == Child.objects.get(case_ref="C1001")
    assert "already in the cohort" in add_case(client, cohort, case_ref="C1001").content.decode()


@pytest.mark.parametrize("person", ["senior_leader", "reviewer_independent", "practitioner",
                                    "manager", "admin"])  # fmt: skip
def test_only_the_qa_lead_manages_cohorts(client, cast, cohort, person):
    client.force_login(cast[person])
    assert client.get(reverse("cohort_create")).status_code == 404
    assert client.get(reverse("cohort_add_case", args=[cohort.id])).status_code == 404


# -------------------------------------------------------------- the form


def test_my_reviews_lists_what_is_due(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    page = client.get(reverse("my_reviews")).content.decode()
    assert reverse("review_tasks", args=[review.id]) in page
    assert "Overdue" not in page  # due 20 March 2026... unless today is later
    client.force_login(cast["reviewer_internal"])
    assert (
        reverse("review_tasks", args=[review.id])
        not in client.get(reverse("my_reviews")).content.decode()
    )


@pytest.mark.parametrize(
    ("person", "status"),
    [("reviewer_independent", 200), ("reviewer_internal", 404), ("practitioner", 404),
     ("manager", 404), ("qa_lead", 404), ("senior_leader", 404), ("admin", 404)],
)  # fmt: skip
def test_only_the_assigned_reviewer_opens_the_form(client, cast, review, person, status):
    client.force_login(cast[person])
    for name in ("review_tasks", "review_conversations", "review_recommendations",
                 "review_submit"):  # fmt: skip
        assert client.get(reverse(name, args=[review.id])).status_code == status
    for section in ("child", "standards", "themes", "grades"):
        assert client.get(section_url(review, section)).status_code == status
    response = post_section(client, review, "grades", {"practice_grade": "good", "version": 0})
    assert response.status_code == (302 if status == 200 else 404)


def test_saving_a_section_starts_the_review_and_keeps_history(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    response = post_section(client, review, "standards", {**STANDARDS, "version": 0})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "in_progress"
    assert standard(review.answers, "basic_details") == {
        "result": "met", "comment": "", "put_right": False,
    }  # fmt: skip
    assert review.section_versions == {"standards": 1}
    assert review.history.first().history_user == cast["reviewer_independent"]
    assert [e.to_status for e in review.events.all()] == ["assigned", "in_progress"]


def test_autosaves_answer_with_the_new_version_and_never_conflict_with_themselves(
    client, cast, review
):
    client.force_login(cast["reviewer_independent"])
    first = post_section(client, review, "grades", {"practice_grade": "good", "version": 0},
                         autosave=True).json()  # fmt: skip
    second = post_section(client, review, "grades",
                          {"practice_grade": "outstanding", "version": first["version"]},
                          autosave=True)  # fmt: skip
    assert second.status_code == 200 and second.json()["version"] == 2
    assert "saved_at" in second.json()
    review.refresh_from_db()
    assert review.grade("practice") == "outstanding"


def test_a_second_editor_of_the_same_section_is_told_and_nothing_is_overwritten(
    client, cast, review
):
    client.force_login(cast["reviewer_independent"])
    post_section(client, review, "grades", {"practice_grade": "good", "version": 0})
    # A second tab that opened the section at version 0 saves a different grade.
    stale = post_section(client, review, "grades", {"practice_grade": "inadequate", "version": 0})
    page = stale.content.decode()
    assert stale.status_code == 200
    assert "Someone else saved this section while you were editing it" in page
    assert "Good" in page and "Inadequate" in page
    review.refresh_from_db()
    assert review.grade("practice") == "good"
    stale_data = {"practice_grade": "inadequate", "version": 0}
    autosave = post_section(client, review, "grades", stale_data, autosave=True)
    assert autosave.status_code == 409 and autosave.json()["conflict"] == ["practice_grade"]
    # Saving again from the conflict page (which carries the new version) is a deliberate choice.
    again = post_section(client, review, "grades", {"practice_grade": "inadequate", "version": 1})
    assert again.status_code == 302
    review.refresh_from_db()
    assert review.grade("practice") == "inadequate"


def test_editing_different_sections_at_once_never_conflicts(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    post_section(client, review, "grades", {"practice_grade": "good", "version": 0})
    response = post_section(client, review, "standards", {**STANDARDS, "version": 0})
    assert response.status_code == 302


def test_protected_fields_cannot_be_set_through_the_form(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    post_section(client, review, "grades", {
        "practice_grade": "good", "version": 0, "status": "final", "reviewer": staff("BA").id,
        "moderated_practice_grade": "inadequate",
    })  # fmt: skip
    review.refresh_from_db()
    assert review.status == "in_progress" and review.reviewer == staff("Independent Associate")
    assert review.grade("practice", "moderated") is None


def test_the_grades_page_shows_the_descriptors(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    page = client.get(section_url(review, "grades")).content.decode()
    assert "Grade descriptors" in page
    assert "From Practice and Impact Review, version 1." in page  # the template's own
    built_in = review.asks.grades[0].levels[0]
    assert built_in.descriptor[:40] in page


def test_a_template_without_descriptors_shows_the_councils_and_its_own_grade_words(
    client, cast, review, tmp_path
):
    text = NEGLECT_FILE.read_text().replace("label: Social work practice", "label: Practice", 1)
    neglect = load_template(by=cast["qa_lead"], definition=read_yaml(text)).template
    GradeDescriptor.objects.update_or_create(
        descriptor_set=review.descriptor_set, axis="practice", grade="good",
        defaults={"text": "The council's own words for good."},
    )  # fmt: skip
    Review.objects.filter(pk=review.pk).update(template=neglect)
    client.force_login(cast["reviewer_independent"])
    page = client.get(section_url(review, "grades")).content.decode()
    assert "The council&#x27;s own words for good." in page
    assert "the council&#x27;s grade descriptors, version 1" in page
    assert "Grade each separately: practice, outcomes for the child." in page
    assert re.search(r"<legend[^>]*>\s*Practice\s*</legend>", page)  # the template's word


def test_submitting_an_unfinished_review_names_what_is_missing(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    post_section(client, review, "grades", {"practice_grade": "good", "version": 0})
    page = client.post(reverse("review_submit", args=[review.id])).content.decode()
    assert "The review is not finished" in page
    assert "Give the reasons for the grade for social work practice" in page
    review.refresh_from_db()
    assert review.status == "in_progress"


def test_the_whole_review_is_submitted_and_the_practitioner_and_manager_told(
    client, cast, review, django_capture_on_commit_callbacks
):
    for person in ("practitioner", "manager"):
        cast[person].email = f"{person}@council.example"
        cast[person].save()
    client.force_login(cast["reviewer_independent"])
    complete(client, review)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review_submit", args=[review.id]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted"
    assert review.age_years == 17 and review.uasc is True
    assert [e.to_status for e in review.events.all()][-1] == "submitted"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["manager@council.example", "practitioner@council.example"]
    assert "SY" not in message.body and "Eritrean" not in message.body
    # No more editing: the form's pages send the reviewer to the review, saying why.
    assert client.get(section_url(review, "grades"))["Location"] == reverse(
        "review_detail", args=[review.id]
    )
    assert cohort_figures(review.cohort)["practice_good_or_better_outcome_not"] == 1


# -------------------------------------------------------------- after submission


@pytest.fixture
def submitted(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    complete(client, review)
    client.post(reverse("review_submit", args=[review.id]))
    client.logout()
    review.refresh_from_db()
    assert review.status == "submitted"
    return review


def test_the_practitioner_reads_and_responds_without_changing_the_review(client, cast, submitted):
    client.force_login(cast["practitioner"])
    assert submitted.pk in [r.pk for r in client.get(reverse("home")).context["to_respond"]]
    history = submitted.history.count()
    response = client.post(reverse("review_respond", args=[submitted.id]),
                           {"text": "I will update the pathway plan."}, follow=True)  # fmt: skip
    assert "I will update the pathway plan." in response.content.decode()
    assert submitted.history.count() == history
    assert submitted.responses.get().by == cast["practitioner"]


@pytest.mark.parametrize(("person", "status"), [
    ("manager", 302), ("reviewer_independent", 404), ("qa_lead", 404), ("outsider", 404),
    ("senior_leader", 404),
])  # fmt: skip
def test_only_the_practitioner_and_manager_respond(client, cast, submitted, person, status):
    client.force_login(cast[person])
    response = client.post(reverse("review_respond", args=[submitted.id]), {"text": "Noted."})
    assert response.status_code == status


def test_no_response_before_submission(client, cast, review):
    client.force_login(cast["practitioner"])
    assert (
        client.post(reverse("review_respond", args=[review.id]), {"text": "x"}).status_code == 404
    )


def test_the_qa_lead_signs_off_and_reopens_with_a_reason(client, cast, submitted):
    client.force_login(cast["qa_lead"])
    client.post(reverse("review_sign_off", args=[submitted.id]))
    submitted.refresh_from_db()
    assert submitted.status == "final"
    page = client.post(reverse("review_reopen", args=[submitted.id]), {"reason": ""})
    assert "Enter reason for reopening the review" in page.content.decode()
    client.post(reverse("review_reopen", args=[submitted.id]), {"reason": "Grade query."})
    submitted.refresh_from_db()
    assert submitted.status == "in_progress"
    event = ReviewEvent.objects.filter(review=submitted).last()
    assert (event.from_status, event.to_status, event.reason) == ("final", "in_progress",
                                                                  "Grade query.")  # fmt: skip
    page = client.get(reverse("review_detail", args=[submitted.id])).content.decode()
    assert "Reason: Grade query." in page


@pytest.mark.parametrize("person", ["senior_leader", "reviewer_independent", "manager"])
def test_nobody_else_signs_off_or_reopens(client, cast, submitted, person):
    client.force_login(cast[person])
    assert client.post(reverse("review_sign_off", args=[submitted.id])).status_code == 404
    assert client.post(reverse("review_reopen", args=[submitted.id]),
                       {"reason": "x"}).status_code == 404  # fmt: skip
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_finding_from_before_the_practice_window_is_marked(client, cast, review):
    from practice_review.reviews.models import LearningTopic

    client.force_login(cast["reviewer_independent"])
    topic = LearningTopic.objects.get(name="Chronology")
    data = {**THEMES, "version": 0, "before_window_journey": "on", "topics_journey": [topic.pk]}
    assert post_section(client, review, "themes", data).status_code == 302
    finding = review.findings.get(theme="journey")
    assert finding.before_window and list(finding.topics.all()) == [topic]
    page = client.get(reverse("review_detail", args=[review.id])).content.decode()
    assert "Includes a finding from before the practice window" in page
    assert "Learning topics: Chronology" in page


def test_moving_the_review_date_onto_another_review_of_the_child_is_refused(client, cast, review):
    other = Review.objects.get(child=review.child, cohort__name="September 2024 to February 2025")
    Review.objects.filter(pk=other.pk).update(cohort=review.cohort)
    client.force_login(cast["reviewer_independent"])
    data = {**CHILD, "review_date": other.review_date.strftime("%d/%m/%Y"), "version": 0}
    page = post_section(client, review, "child", data).content.decode()
    assert "This child already has a review on that date in this cohort" in page
    review.refresh_from_db()
    assert review.review_date != other.review_date


def test_only_people_who_review_can_be_chosen_as_reviewer(client, cast, cohort):
    client.force_login(cast["qa_lead"])
    page = add_case(client, cohort, reviewer=staff("BA").id).content.decode()
    assert "Select a valid choice" in page
    assert not Review.objects.filter(cohort=cohort).exists()


def test_clearing_the_review_date_is_a_field_error_not_a_crash(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    assert post_section(client, review, "child", {**CHILD, "version": 0}).status_code == 302
    page = post_section(client, review, "child", {**CHILD, "review_date": "", "version": 1})
    assert page.status_code == 200 and "Enter the date of the review" in page.content.decode()
    autosave = post_section(client, review, "child", {**CHILD, "review_date": "", "version": 1},
                            autosave=True)  # fmt: skip
    assert autosave.status_code == 400


def test_a_draft_saves_before_the_review_date_is_given_and_submission_asks_for_it(
    client, cast, review
):
    """The child's details autosave as they are typed, before the reviewer has given the date
    (a new review has none); the task list then names the date as still to do."""
    client.force_login(cast["reviewer_independent"])
    autosave = post_section(client, review, "child", {**CHILD, "review_date": "", "version": 0},
                            autosave=True)  # fmt: skip
    assert autosave.status_code == 200
    saved = Review.objects.get(pk=review.pk)
    assert saved.ethnicity == "Eritrean" and not saved.review_date_confirmed
    tasks = client.get(reverse("review_submit", args=[review.id])).content.decode()
    assert "Enter the date of the review" in tasks


@pytest.mark.parametrize("value", ["01/03/0001", "01/01/2999"])
def test_dates_outside_any_sensible_range_are_refused(client, cast, review, value):
    client.force_login(cast["reviewer_independent"])
    page = post_section(client, review, "child", {**CHILD, "review_date": value, "version": 0})
    assert "Enter a date between 1900 and 2100" in page.content.decode()
    assert client.get(reverse("review_tasks", args=[review.id])).status_code == 200


def test_a_review_date_in_the_future_is_refused_and_today_is_accepted(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    today = timezone.localdate()
    tomorrow = f"{today + datetime.timedelta(days=1):%d/%m/%Y}"
    page = post_section(client, review, "child", {**CHILD, "review_date": tomorrow, "version": 0})
    assert page.status_code == 200
    assert "The review date must be today or in the past" in page.content.decode()
    assert Review.objects.get(pk=review.pk).section_versions == {}
    saved = post_section(client, review, "child", {**CHILD, "review_date": f"{today:%d/%m/%Y}",
                                                    "version": 0})  # fmt: skip
    assert saved.status_code == 302
    assert Review.objects.get(pk=review.pk).review_date == today


def test_a_new_review_has_no_review_date_until_the_reviewer_gives_it(client, cast, review):
    # Assignment keeps the due date in review_date only as a placeholder: the form asks for
    # the date the file was reviewed, and submission waits for it.
    assert review.review_date_confirmed is False
    client.force_login(cast["reviewer_independent"])
    page = client.get(section_url(review, "child")).content.decode()
    assert f"{review.due_date:%d/%m/%Y}" not in page
    [date_input] = re.findall(r'<input[^>]*name="review_date"[^>]*>', page)
    assert "value=" not in date_input
    for section, data in [("standards", STANDARDS), ("themes", THEMES), ("grades", GRADES)]:
        post_section(client, review, section, {**data, "version": 0})
    client.post(reverse("review_conversations", args=[review.id]), {
        "held_with": "practitioner", "held_on": "10/03/2026", "method": "video",
        "their_words": "We spoke.",
    })  # fmt: skip
    Review.objects.filter(pk=review.pk).update(legal_status="looked_after", age_years=17)
    page = client.post(reverse("review_submit", args=[review.id])).content.decode()
    assert "Enter the date of the review" in page
    assert Review.objects.get(pk=review.pk).status == "in_progress"


@pytest.mark.parametrize("person", ["reviewer_independent", "qa_lead"])
def test_no_page_shows_the_due_date_as_the_review_date_before_it_is_given(
    client, cast, review, person
):
    """The due date is only a placeholder in review_date: the review's own page, the alert form,
    the child's record and the moderation choices say the date is not yet given."""
    client.force_login(cast[person])
    placeholder = f"{review.due_date:%-d %B %Y}"
    pages = [reverse("review_detail", args=[review.id]), reverse("alert_raise", args=[review.id])]
    if person == "qa_lead":
        pages.append(reverse("child_detail", args=[review.child_id]))
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert "(date not yet given)" in text, url
        assert f"Review on {placeholder}" not in text and f"on {placeholder}</" not in text, url
    assert str(review) == f"Review of {review.child} (date not yet given)"


def test_a_review_date_equal_to_the_due_date_counts_once_the_reviewer_gives_it(
    client, cast, review
):
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    Review.objects.filter(pk=review.pk).update(due_date=overdue, review_date=overdue)
    client.force_login(cast["reviewer_independent"])
    data = {**CHILD, "review_date": f"{overdue:%d/%m/%Y}", "version": 0}
    assert post_section(client, review, "child", data).status_code == 302
    review.refresh_from_db()
    assert review.review_date == overdue and review.review_date_confirmed is True
    page = client.get(section_url(review, "child")).content.decode()
    assert f'value="{overdue:%d/%m/%Y}"' in page


def test_conflicts_name_the_theme_or_standard_they_are_about(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    post_section(client, review, "themes", {**THEMES, "version": 0})
    stale = {**THEMES, "strengths_identity": "Another view", "version": 0}
    page = post_section(client, review, "themes", stale).content.decode()
    assert "Understanding of identity and its impact on practice" in page
    assert ": strengths" in page


def test_a_second_submit_is_refused_and_records_nothing(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    complete(client, review)
    assert client.post(reverse("review_submit", args=[review.id])).status_code == 302
    # The stale page's second click: the review is no longer the reviewer's to submit.
    again = client.post(reverse("review_submit", args=[review.id]))
    assert again["Location"] == reverse("review_detail", args=[review.id])
    with pytest.raises(actions.NotAllowed):
        actions.submit_review(review=review, by=cast["reviewer_independent"], answers={})
    assert review.events.filter(to_status="submitted").count() == 1


def test_a_mail_server_failure_does_not_undo_or_break_a_submission(
    client, cast, review, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    cast["practitioner"].email = "practitioner@council.example"
    cast["practitioner"].save()
    client.force_login(cast["reviewer_independent"])
    complete(client, review)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review_submit", args=[review.id]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted"


def test_a_conversation_added_by_mistake_can_be_removed_and_history_keeps_it(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    client.post(reverse("review_conversations", args=[review.id]), {
        "held_with": "manager", "held_on": "10/03/2026", "method": "phone",
        "their_words": "Wrong case.",
    })  # fmt: skip
    conversation = review.conversations.get()
    url = reverse("review_remove_item", args=[review.id, "conversations", conversation.id])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not review.conversations.exists()
    deleted = conversation.history.first()
    assert (deleted.history_type, deleted.history_user) == ("-", cast["reviewer_independent"])


def test_a_tracked_recommendation_is_not_removed_from_a_reopened_review(client, cast, review):
    from practice_review.tracker.models import RecommendationUpdate

    recommendation = tracker_actions.add_child_recommendation(
        review=review, by=cast["reviewer_independent"], action="Update the plan",
        owner=staff("RL"), due_date=datetime.date(2026, 12, 1), success_measure="Plan updated",
    )  # fmt: skip
    RecommendationUpdate.objects.create(recommendation=recommendation, text="Started.",
                                        by=cast["practitioner"])  # fmt: skip
    client.force_login(cast["reviewer_independent"])
    url = reverse("review_remove_recommendation", args=[review.id, recommendation.id])
    response = client.post(url, follow=True)
    assert "already being tracked" in response.content.decode()
    assert review.recommendations.count() == 1


@pytest.mark.parametrize("person", ["reviewer_internal", "practitioner", "qa_lead"])
def test_nobody_else_removes_a_reviews_items(client, cast, review, person):
    recommendation = tracker_actions.add_child_recommendation(
        review=review, by=cast["reviewer_independent"], action="Update the plan",
        owner=staff("RL"), due_date=datetime.date(2026, 12, 1), success_measure="Plan updated",
    )  # fmt: skip
    client.force_login(cast[person])
    url = reverse("review_remove_recommendation", args=[review.id, recommendation.id])
    assert client.post(url).status_code == 404
    assert review.recommendations.count() == 1


def test_the_qa_lead_reassigns_a_review_and_the_timeline_says_so(client, cast, review):
    client.force_login(cast["qa_lead"])
    internal = staff("Head of Safeguarding and QA")
    response = client.post(reverse("review_reassign", args=[review.id]), {
        "reviewer": internal.id, "reviewer_type": "internal", "due_date": "01/12/2026",
    })  # fmt: skip
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.reviewer == internal and review.due_date == datetime.date(2026, 12, 1)
    assert "Reassigned from Independent Associate to Head of Safeguarding and QA" in (
        review.events.last().reason
    )
    client.force_login(cast["reviewer_independent"])
    assert client.get(reverse("review_tasks", args=[review.id])).status_code == 404
    client.force_login(cast["reviewer_internal"])
    assert client.get(reverse("review_tasks", args=[review.id])).status_code == 200


@pytest.mark.parametrize("person", ["senior_leader", "reviewer_independent", "manager"])
def test_only_the_qa_lead_reassigns(client, cast, review, person):
    client.force_login(cast[person])
    assert client.get(reverse("review_reassign", args=[review.id])).status_code == 404


def test_the_first_item_added_starts_the_review_once_and_keeps_a_save_made_meanwhile(cast, review):
    """docs/spec/quality.md#no-lost-update: "two people edit the same review": adding a conversation
    to a review loaded before someone else saved it must not write the stale copy back over their
    save."""
    stale = Review.objects.get(pk=review.pk)  # loaded before the other save, still "assigned"
    regrade(Review.objects.filter(pk=review.pk), practice_rationale="saved meanwhile")
    for _ in range(2):
        actions.add_conversation(
            review=stale, by=cast["reviewer_independent"], held_with="social_worker",
            held_on=timezone.localdate(), method="in_person", their_words="",
        )  # fmt: skip
    review.refresh_from_db()
    assert review.status == "in_progress"
    assert review.grade("practice", "rationale") == "saved meanwhile"
    started = ReviewEvent.objects.filter(review=review, to_status="in_progress")
    assert started.count() == 1


def test_the_save_action_refuses_a_review_date_in_the_future_whatever_calls_it(cast, review):
    # The form refuses it too (above); the action is the rule's last line, for any other caller.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    values = section_values(review, "child") | {
        "review_date": tomorrow, "review_date_confirmed": True,
    }  # fmt: skip
    with pytest.raises(actions.NotAllowed, match="today or in the past"):
        actions.save_section(
            review_id=review.id, section="child", values=values, seen_version=0,
            by=cast["reviewer_independent"],
        )  # fmt: skip
    review.refresh_from_db()
    assert review.review_date_confirmed is False and review.status == "assigned"


# -------------------------------------------------------------- two tabs on one section


def _browser_forms():
    """benchmarks/load/browser_forms.py: a page's form as `new FormData(form)` would post it."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "load" / "browser_forms.py"
    spec = importlib.util.spec_from_file_location("browser_forms", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


browser_forms = _browser_forms()


class Tab:
    """A browser tab on a section of the form: the page as loaded, changed, then posted."""

    def __init__(self, client, review, section):
        self.client, self.url = client, section_url(review, section)
        self.load(client.get(self.url))

    def load(self, response):
        assert response.status_code == 200, response.status_code
        self.page = response.content.decode()
        self.form = browser_forms.Forms(self.page).find(has="version")

    def set(self, name, value):
        browser_forms.set_field(self.form, name, value)

    def tick(self, name, value):
        self.form["fields"].append([name, str(value)])

    def value(self, name):
        # The newline Django writes after <textarea> is not part of the value (HTML drops it).
        return [value.removeprefix("\n") for field, value in self.form["fields"] if field == name]

    def save(self, autosave=False, follow=False):
        data = {}
        for name, value in self.form["fields"]:
            data.setdefault(name, []).append(value)
        headers = {"X-Autosave": "1"} if autosave else {}
        return self.client.post(self.url, data, headers=headers, follow=follow)


def test_two_tabs_changing_different_answers_keep_both_changes(client, cast, review):
    """docs/spec/quality.md#no-lost-update: "two people edit the same review". Tab B, opened
    before tab A saved, saves another answer: A's answer is kept, not put back as B loaded it."""
    client.force_login(cast["reviewer_independent"])
    tab_a, tab_b = Tab(client, review, "grades"), Tab(client, review, "grades")
    tab_a.set("practice_grade", "good")
    tab_a.set("practice_rationale", "Tab A's reasons.")
    assert tab_a.save().status_code == 302
    tab_b.set("outcome_grade", "requires_improvement")
    response = tab_b.save(follow=True)
    assert response.redirect_chain[-1][0] == reverse("review_tasks", args=[review.id])
    assert "Someone else&#x27;s changes to other questions in this section were kept" in (
        response.content.decode()
    )
    review.refresh_from_db()
    assert (review.grade("practice"), review.grade("practice", "rationale"),
            review.grade("outcome")) == (
        "good", "Tab A's reasons.", "requires_improvement"
    )  # fmt: skip
    assert review.section_versions["grades"] == 2


def test_two_tabs_changing_the_same_answer_are_shown_only_that_answer_and_save_again_keeps_the_rest(
    client, cast, review
):
    client.force_login(cast["reviewer_independent"])
    tab_a, tab_b = Tab(client, review, "grades"), Tab(client, review, "grades")
    tab_a.set("practice_grade", "good")
    tab_a.set("practice_rationale", "Tab A's reasons.")
    assert tab_a.save().status_code == 302
    tab_b.set("practice_grade", "inadequate")
    tab_b.set("outcome_rationale", "Tab B's reasons.")
    tab_b.load(tab_b.save())
    assert "Someone else saved this section while you were editing it" in tab_b.page
    [table] = re.findall(r"<table.*?</table>", tab_b.page, re.DOTALL)
    rows = re.findall(r"<tr class=\"govuk-table__row\"><th scope=\"row\".*?</tr>", table)
    assert len(rows) == 1 and "Social work practice" in rows[0]
    assert re.findall(r"<td[^>]*>(.*?)</td>", rows[0]) == ["Good", "Inadequate"]
    # The form holds A's change B never touched, B's own change, and B's side of the clash.
    assert tab_b.value("practice_grade") == ["inadequate"]
    assert tab_b.value("practice_rationale") == ["Tab A's reasons."]
    assert tab_b.value("outcome_rationale") == ["Tab B's reasons."]
    review.refresh_from_db()
    assert (review.grade("practice"), review.grade("outcome", "rationale")) == (
        "good",
        "",
    )  # nothing written
    assert tab_b.save().status_code == 302  # "Save again": a deliberate choice
    review.refresh_from_db()
    assert (review.grade("practice"), review.grade("practice", "rationale"),
            review.grade("outcome", "rationale")) == (
        "inadequate", "Tab A's reasons.", "Tab B's reasons."
    )  # fmt: skip


def test_two_tabs_on_the_themes_merge_findings_and_ticked_topics(client, cast, review):
    from practice_review.reviews.models import LearningTopic

    chronology, recording = (LearningTopic.objects.get(name=n) for n in ("Chronology", "Recording"))
    client.force_login(cast["reviewer_independent"])
    tab_a, tab_b = Tab(client, review, "themes"), Tab(client, review, "themes")
    tab_a.set("strengths_identity", "Tab A's strength.")
    tab_a.tick("topics_identity", chronology.pk)
    assert tab_a.save().status_code == 302
    tab_b.set("development_journey", "Tab B's area for development.")
    tab_b.tick("topics_identity", recording.pk)
    assert tab_b.save().status_code == 302
    identity = review.findings.get(theme="identity")
    assert identity.strengths == "Tab A's strength."
    assert set(identity.topics.all()) == {chronology, recording}
    assert review.findings.get(theme="journey").development == "Tab B's area for development."


def test_two_tabs_on_the_childs_details_merge_dates_and_answers(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    tab_a, tab_b = Tab(client, review, "child"), Tab(client, review, "child")
    tab_a.set("review_date", "14/03/2026")
    assert tab_a.save().status_code == 302
    tab_b.set("ethnicity", "Eritrean")
    tab_b.set("interpreter_needed", "yes")
    response = tab_b.save()
    assert response.status_code == 302, response.content.decode()
    review.refresh_from_db()
    assert review.review_date == datetime.date(2026, 3, 14) and review.review_date_confirmed
    assert (review.ethnicity, review.interpreter_needed) == ("Eritrean", True)


def test_an_autosave_from_a_stale_tab_merges_and_tells_the_page_what_to_show(client, cast, review):
    client.force_login(cast["reviewer_independent"])
    tab_a, tab_b = Tab(client, review, "grades"), Tab(client, review, "grades")
    tab_a.set("practice_grade", "good")
    assert tab_a.save().status_code == 302
    tab_b.set("outcome_rationale", "Typed in tab B.")
    answer = tab_b.save(autosave=True)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["version"] == 2 and body["kept"] == {"practice_grade": ["good"]}
    review.refresh_from_db()
    assert (review.grade("practice"), review.grade("outcome", "rationale")) == (
        "good",
        "Typed in tab B.",
    )
    # The page takes the new version and loaded answers (as autosave.js does): no conflict later.
    tab_b.set("version", str(body["version"]))
    tab_b.set("base", body["base"])
    tab_b.set("practice_grade", "good")
    tab_b.set("practice_rationale", "More from tab B.")
    assert tab_b.save(autosave=True).status_code == 200
    # An autosave that clashes is refused: the person chooses Save to see both versions.
    tab_a.set("practice_rationale", "Tab A again.")
    clash = tab_a.save(autosave=True)
    assert clash.status_code == 409 and clash.json()["conflict"] == ["practice_rationale"]


def test_a_tampered_loaded_copy_merges_nothing_silently(client, cast, review):
    """The answers the page was loaded with are signed: altered, they count for nothing, and
    every answer that differs from what is saved is put to the person."""
    client.force_login(cast["reviewer_independent"])
    tab_a, tab_b = Tab(client, review, "grades"), Tab(client, review, "grades")
    tab_a.set("practice_grade", "good")
    assert tab_a.save().status_code == 302
    [base] = tab_b.value("base")
    tab_b.set("base", base[:-3] + ("AAA" if not base.endswith("AAA") else "BBB"))
    tab_b.set("outcome_grade", "inadequate")
    page = tab_b.save().content.decode()
    assert "Someone else saved this section while you were editing it" in page
    assert Review.objects.get(pk=review.pk).grade("outcome") is None


# -------------------------------------------------------------- once the review is submitted

SUBMITTED_ON = "Submitted on 6 December 2026: it can no longer be changed."


@pytest.fixture
def closed(cast, review):
    """The reviewer's review, submitted on 6 December 2026, with a conversation and a
    recommendation added while it was a draft."""
    conversation = actions.add_conversation(
        review=review, by=cast["reviewer_independent"], held_with="practitioner",
        held_on=datetime.date(2026, 3, 10), method="video", their_words="We spoke.",
    )  # fmt: skip
    recommendation = tracker_actions.add_child_recommendation(
        review=review, by=cast["reviewer_independent"], action="Update the plan",
        owner=staff("RL"), due_date=datetime.date(2026, 12, 1), success_measure="Plan updated",
    )  # fmt: skip
    Review.objects.filter(pk=review.pk).update(status="submitted")
    submitted_at = timezone.make_aware(datetime.datetime(2026, 12, 6, 10, 30))
    ReviewEvent.objects.create(review=review, from_status="in_progress", to_status="submitted",
                               by=cast["reviewer_independent"])  # fmt: skip
    ReviewEvent.objects.filter(review=review, to_status="submitted").update(at=submitted_at)
    review.refresh_from_db()
    return review, conversation, recommendation


def form_pages(review, conversation, recommendation):
    """(method, URL, data) for every page of the review form."""
    remove_conversation = reverse(
        "review_remove_item", args=[review.id, "conversations", conversation.id]
    )
    remove_recommendation = reverse(
        "review_remove_recommendation", args=[review.id, recommendation.id]
    )
    names = ("review_tasks", "review_conversations", "review_recommendations", "review_submit")
    pages = [("get", reverse(name, args=[review.id]), None) for name in names]
    sections = ("child", "standards", "themes", "grades")
    pages += [("get", section_url(review, section), None) for section in sections]
    return pages + [
        ("post", section_url(review, "grades"), {"practice_grade": "inadequate", "version": 0}),
        ("post", reverse("review_conversations", args=[review.id]),
         {"held_with": "manager", "held_on": "11/03/2026", "method": "phone",
          "their_words": "Added after."}),
        ("post", reverse("review_recommendations", args=[review.id]), {"action": "Later"}),
        ("post", reverse("review_submit", args=[review.id]), {}),
        ("post", remove_conversation, {}),
        ("post", remove_recommendation, {}),
    ]  # fmt: skip


@pytest.mark.parametrize("status", ["submitted", "final"])
@pytest.mark.parametrize("person", ["reviewer_independent", "qa_lead", "practitioner"])
def test_every_page_of_the_form_sends_a_submitted_review_to_its_page_and_says_since_when(
    client, cast, closed, status, person
):
    """The back button, or a tab left open, after submission: the review's page, and why."""
    review, conversation, recommendation = closed
    Review.objects.filter(pk=review.pk).update(status=status)
    history = review.history.count()
    client.force_login(cast[person])
    for method, url, data in form_pages(review, conversation, recommendation):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        where = f"{method} {url}"
        assert response.status_code == 302, where
        assert response["Location"] == reverse("review_detail", args=[review.id]), where
        page = client.get(response["Location"]).content.decode()
        assert SUBMITTED_ON in page and "govuk-notification-banner" in page, where
    review.refresh_from_db()
    assert review.grade("practice") is None and review.history.count() == history
    assert review.conversations.count() == 1 and review.recommendations.count() == 1


def test_an_autosave_to_a_submitted_review_is_told_so_in_words(client, cast, closed):
    review, _, _ = closed
    client.force_login(cast["reviewer_independent"])
    response = post_section(client, review, "grades", {"practice_grade": "good", "version": 0},
                            autosave=True)  # fmt: skip
    assert response.status_code == 409
    assert response.json() == {"submitted": SUBMITTED_ON}
    assert Review.objects.get(pk=review.pk).grade("practice") is None


@pytest.mark.parametrize("person", ["reviewer_internal", "outsider", "admin"])
def test_people_who_cannot_see_a_submitted_review_are_not_told_it_exists(
    client, cast, closed, person
):
    review, conversation, recommendation = closed
    client.force_login(cast[person])
    for method, url, data in form_pages(review, conversation, recommendation):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 404, f"{method} {url}"
    autosave = post_section(client, review, "grades", {"version": 0}, autosave=True)
    assert autosave.status_code == 404


def test_a_reopened_review_can_be_changed_again(client, cast, closed):
    review, _, _ = closed
    actions.reopen_review(review=review, by=cast["qa_lead"], reason="Grade query.")
    client.force_login(cast["reviewer_independent"])
    assert client.get(reverse("review_tasks", args=[review.id])).status_code == 200
    assert client.get(section_url(review, "grades")).status_code == 200
    response = post_section(client, review, "grades", {"practice_grade": "good", "version": 0})
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).grade("practice") == "good"
