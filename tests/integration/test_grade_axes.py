"""A template's own grade axes and scales, end to end (issue 15, stage 3;
docs/adr/0007-audit-templates-as-versioned-data.md): loading, importing, the review form, check
and submit, dual review, moderation, the figures, the agreement page and the summary report all
follow the template's axes, levels and good-or-better cuts.

The template here grades three axes: social work practice on the ILACS scale, how safe the child
is on a scale of its own (good or better: "safe"), and whether the child's voice was heard, a
scale with no good-or-better cut. It has no outcome axis, so no gap cases.
"""

import datetime
import html
import io
import re
from pathlib import Path

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from practice_review.core.audit_templates import FIGURES_KEYS, TemplateProblems, read_yaml
from practice_review.moderation import actions as moderation_actions
from practice_review.moderation.agenda import reasons_for as moderation_reasons
from practice_review.reports.builder import build_report
from practice_review.reports.figures import cohort_figures, figures_for
from practice_review.reports.narrative import placeholders
from practice_review.reports.renderers import RENDERERS
from practice_review.reports.report_data import report_data
from practice_review.reviews import actions
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Child, Cohort, Review
from practice_review.reviews.queries import review_answers
from practice_review.reviews.review_sections import missing
from practice_review.reviews.template_actions import load_template
from tests.conftest import SEPTEMBER
from tests.integration.helpers import csv_bytes, seed_rows
from tests.integration.test_running_a_review import staff

pytestmark = pytest.mark.django_db

NEGLECT = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"
GRADES = """grades:
  - key: practice
    label: Social work practice
    scale: ilacs
    good_or_better: good
  - key: safety
    label: How safe the child is
    scale:
      - key: safe
        label: Safe
        descriptor: The risks are known, and the plan has made the child safe at home.
      - {key: safer, label: Safer but not yet safe}
      - {key: not_safe, label: Not safe}
    good_or_better: safe
  - key: voice
    label: The child's voice
    scale:
      - {key: heard, label: Heard}
      - {key: not_heard, label: Not heard}
"""
COHORT = "Safeguarding audit, spring 2025"
NEGLECT_STANDARDS = [
    "graded_care_profile", "lived_experience_recorded", "health_needs_followed_up",
    "home_conditions_seen", "school_attendance_considered", "cumulative_harm_considered",
    "chronology_shows_patterns", "plan_is_specific",
]  # fmt: skip
BUILT_IN_STANDARDS = ["basic_details", "visits_in_timescale", "seen_alone", "recording_up_to_date",
                      "supervision_frequency", "management_oversight", "chronology_current",
                      "legal_documents"]  # fmt: skip
# Each row's grades: practice, safety as the file writes it (key, words or place), voice.
SAFETY_WRITTEN = ["safe", "Safer but not yet safe", "3", "SAFE", "2", "safe"]
SAFETY = ["safe", "safer", "not_safe", "safe", "safer", "safe"]
VOICE_WRITTEN = ["heard", "Not heard", "1", "heard", "heard", "2"]
VOICE = ["heard", "not_heard", "heard", "heard", "heard", "not_heard"]


def safeguarding_text():
    text = NEGLECT.read_text().replace("key: neglect_thematic", "key: safeguarding_thematic", 1)
    start, end = text.index("grades:\n"), text.index("standards:\n")
    return text[:start] + GRADES + text[end:]


@pytest.fixture
def safeguarding(actor):
    return load_template(by=actor, definition=read_yaml(safeguarding_text())).template


def rows(count=6):
    """`count` reviews on the template: the seed file's people, its eight standards, its
    grades on three axes; the first three dual reviewed, the first two moderated."""
    seed = seed_rows()
    made = []
    for n in range(count):
        left_out = {*BUILT_IN_STANDARDS, "cohort"}
        base = {key: value for key, value in seed[n].items()
                if key not in left_out and "grade" not in key}  # fmt: skip
        row = {
            **base,
            "cohort": COHORT,
            "child_ref": f"S{3000 + n}",
            "review_date": f"2025-03-{1 + n:02d}",
            **{key: "met" for key in NEGLECT_STANDARDS},
            "voice_recorded": "yes",
            "neglect_level": "low",
            "previous_plans": "0",
            "practice_grade": "good" if n % 2 else "outstanding",
            "safety_grade": SAFETY_WRITTEN[n],
            "voice_grade": VOICE_WRITTEN[n],
            "second_reviewer": "Second Reader" if n < 3 else "",
            "second_practice_grade": "good" if n < 3 else "",
            "second_safety_grade": "safe" if n < 3 else "",
            "second_voice_grade": "heard" if n < 3 else "",
            "moderated_safety_grade": "not_safe" if n < 2 else "",
            "moderated_practice_grade": "good" if n < 2 else "",
            "moderated_voice_grade": VOICE[n] if n < 2 else "",
        }
        made.append(row)
    return made


def imported(actor, safeguarding, given=None):
    result = import_reviews(data=csv_bytes(given or rows()), file_name="safeguarding.csv",
                            by=actor, template=safeguarding)  # fmt: skip
    assert result.ok, [str(problem) for problem in result.problems]
    return Cohort.objects.get(name=COHORT)


def test_a_file_on_the_template_gives_each_review_its_grades_on_every_axis(actor, safeguarding):
    imported(actor, safeguarding)
    reviews = list(Review.objects.filter(cohort__name=COHORT).order_by("review_date"))
    assert [review.grade("safety") for review in reviews] == SAFETY
    assert [review.grade("voice") for review in reviews] == VOICE
    assert [review.grade("safety", "moderated") for review in reviews[:3]] == [
        "not_safe", "not_safe", None,
    ]  # fmt: skip
    assert [review.grade("voice", "second") for review in reviews[:4]] == ["heard"] * 3 + [None]
    assert all(review.second_graded_at for review in reviews[:3])
    assert not any(review.second_graded_at for review in reviews[3:])


def test_the_figures_count_each_axis_on_its_own_scale_and_cut(actor, safeguarding):
    figures = cohort_figures(imported(actor, safeguarding))
    counted_safety = ["not_safe", "not_safe", *SAFETY[2:]]  # moderated where moderated
    assert figures["safety"] == {
        "safe": counted_safety.count("safe"),
        "safer": counted_safety.count("safer"),
        "not_safe": counted_safety.count("not_safe"),
        "good_or_better": counted_safety.count("safe"),
        "good_or_better_pct": round(100 * counted_safety.count("safe") / 6, 1),
    }
    assert figures["voice"] == {"heard": VOICE.count("heard"), "not_heard": VOICE.count(
        "not_heard"), "good_or_better": None, "good_or_better_pct": None}  # fmt: skip
    assert figures["practice"]["good"] == 4  # 3 good, and 2 moderated from outstanding to good
    assert "outcome" not in figures
    # Across practice and outcome: this template does not grade outcomes.
    assert figures["both_outstanding"] is None
    assert figures["practice_good_or_better_outcome_not"] is None
    assert figures["grades_changed_at_moderation"] == {"practice": 1, "safety": 2, "voice": 0}
    assert figures["moderated"] == 2
    agreement = figures["agreement"]
    assert list(agreement) == ["practice", "safety", "voice"]
    assert agreement["safety"]["pairs"] == 3
    # Pairs: (safe, safe), (safer, safe), (not_safe, safe): one of three agree.
    assert agreement["safety"]["exact_agreement_pct"] == 33.3
    assert list(figures)[:6] == ["schema", "cohort", "reviewers", "practice", "safety", "voice"]


def test_a_grade_column_may_be_headed_by_its_axis_words(actor, safeguarding):
    given = [{("How safe the child is" if key == "safety_grade" else key): value
              for key, value in row.items()} for row in rows()]  # fmt: skip
    cohort = imported(actor, safeguarding, given)
    assert sorted(r.grade("safety") for r in Review.objects.filter(cohort=cohort)) == sorted(SAFETY)


def test_a_grade_the_scale_does_not_have_is_refused_naming_the_scale(actor, safeguarding):
    given = rows()
    given[1]["safety_grade"] = "Good"
    given[2]["second_voice_grade"] = ""
    result = import_reviews(data=csv_bytes(given), file_name="bad.csv", by=actor,
                            template=safeguarding)  # fmt: skip
    assert [str(problem) for problem in result.problems] == [
        "row 3, column safety_grade: got 'Good'; expected one of safe, safer, not_safe "
        "(or 1 to 3, 1 the best)",
        "row 4, column second_voice_grade: blank; expected all four second-review columns "
        "filled, or all blank",
    ]
    assert not Cohort.objects.filter(name=COHORT).exists()  # all or nothing


@pytest.fixture
def assigned(cast, safeguarding):
    cohort = actions.create_cohort(
        by=cast["qa_lead"], name="Safeguarding audit", period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31), selected_by="QA lead", selection_reason="theme",
        theme="Safeguarding", template=safeguarding,
    )  # fmt: skip
    return actions.assign_review(
        by=cast["qa_lead"], cohort=cohort, child=Child.objects.get(case_ref="C1008"),
        reviewer=staff("Independent Associate"), reviewer_type="independent",
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        social_worker=staff("RL"), supervisor=staff("BA"),
    )  # fmt: skip


def grades_url(review):
    return reverse("review_section", args=[review.id, "grades"])


def test_the_grades_page_asks_each_axis_in_the_templates_words_and_levels(client, cast, assigned):
    client.force_login(cast["reviewer_independent"])
    page = html.unescape(client.get(grades_url(assigned)).content.decode())
    for words in (
        "How safe the child is",
        "Safer but not yet safe",
        "The child's voice",
        "Not heard",
        "The risks are known, and the plan has made the child safe",
    ):
        assert words in page  # fmt: skip
    assert re.findall(r'name="(\w+_grade)"', page)[::1] == (
        ["practice_grade"] * 4 + ["safety_grade"] * 3 + ["voice_grade"] * 2
    )
    assert 'name="practice_outcome_reason"' not in page  # no outcome axis: no gap to explain
    response = client.post(grades_url(assigned), {
        "version": 0, "practice_grade": "good", "practice_rationale": "Sound.",
        "safety_grade": "safer", "safety_rationale": "A plan in place.",
    })  # fmt: skip
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.answers["grades"] == {
        "practice": {"grade": "good", "rationale": "Sound."},
        "safety": {"grade": "safer", "rationale": "A plan in place."},
    }
    assert missing(review_answers(assigned))["grades"] == [
        "Select the grade for the child's voice",
        "Give the reasons for the grade for the child's voice",
    ]


def test_a_level_of_another_scale_is_refused_on_the_page(client, cast, assigned):
    client.force_login(cast["reviewer_independent"])
    response = client.post(grades_url(assigned), {"version": 0, "safety_grade": "good"})
    assert response.status_code == 200
    assert "Select a valid choice" in html.unescape(response.content.decode())
    assigned.refresh_from_db()
    assert "grades" not in assigned.answers


def test_second_grades_and_moderation_take_every_axis(client, cast, safeguarding, actor):
    cohort = imported(actor, safeguarding)
    review = Review.objects.filter(cohort=cohort).order_by("review_date").last()
    Review.objects.filter(pk=review.pk).update(status="submitted")
    second = staff("Head of Safeguarding and QA")
    actions.assign_second_reviewer(review=review, by=cast["qa_lead"], second_reviewer=second)
    client.force_login(cast["reviewer_internal"])
    page = html.unescape(client.get(reverse("second_grades", args=[review.pk])).content.decode())
    assert "How safe the child is" in page and "The child's voice" in page
    client.post(reverse("second_grades", args=[review.pk]), {
        "practice_grade": "good", "safety_grade": "safer", "voice_grade": "heard",
        "rationale": "Read the plan.",
    })  # fmt: skip
    review.refresh_from_db()
    assert [review.grade(axis, "second") for axis in ("practice", "safety", "voice")] == [
        "good", "safer", "heard",
    ]  # fmt: skip
    assert review.grade("safety", "paired") == "safe"  # the first reviewer's, kept for agreement

    meeting = moderation_actions.plan_meeting(by=cast["qa_lead"], held_on=datetime.date(2026, 4, 1),
                                              attendees="QA lead", reviews=[review])  # fmt: skip
    item = meeting.agenda.get()
    assert item.reasons == ["submitted", "disagreement"]  # safety: safe against safer
    client.force_login(cast["qa_lead"])
    url = reverse("meeting_decide", args=[meeting.pk, item.pk])
    page = html.unescape(client.get(url).content.decode())
    assert "How safe the child is: the reviewer's grade" in page
    response = client.post(url, {"practice_grade": "good", "safety_grade": "safer",
                                 "voice_grade": "not_heard"})  # fmt: skip
    assert "Give the reason for changing the grade" in html.unescape(response.content.decode())
    client.post(url, {"practice_grade": "good", "safety_grade": "safer",
                      "voice_grade": "not_heard", "reason": "Agreed at the meeting."})  # fmt: skip
    item.refresh_from_db()
    review.refresh_from_db()
    assert item.agreed_grades == {"practice": "good", "safety": "safer", "voice": "not_heard"}
    assert item.original_grades == {"practice": "good", "safety": "safe", "voice": "not_heard"}
    assert review.counted_grade("safety") == "safer" and review.status == "final"
    meeting_page = html.unescape(
        client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    )
    assert "How safe the child is: Safe" in meeting_page
    assert "how safe the child is safe and safer but not yet safe" in meeting_page


def test_the_summary_report_and_agreement_page_follow_the_axes(client, cast, safeguarding, actor):
    cohort = imported(actor, safeguarding)
    report = build_report(council="Test Council", figures=cohort_figures(cohort),
                          data=report_data(Review.objects.filter(cohort=cohort)))  # fmt: skip
    page = html.unescape(RENDERERS["html"]().render(report).decode())
    assert "Grades: social work practice" in page
    assert "Grades: how safe the child is" in page
    assert "Grades: the child's voice" in page
    assert "How safe the child is was good or better in 2 of 6 (33%) reviews" in page
    assert "Wherever practice was good or better" not in page  # no outcome axis: no gap
    document = docx.Document(io.BytesIO(RENDERERS["docx"]().render(report)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Safer but not yet safe" in cells and "No cut" in cells
    wider = build_report(council="Test Council", figures=cohort_figures(cohort),
                         data=report_data(Review.objects.filter(cohort=cohort)),
                         audience="wider")  # fmt: skip
    wider_page = html.unescape(RENDERERS["html"]().render(wider).decode())
    assert "fewer than 3" in wider_page  # 1 "safer" on its own is kept from view

    client.force_login(cast["qa_lead"])
    response = client.get(reverse("agreement"), {"cohort": cohort.pk})
    agreement = html.unescape(response.content.decode())
    assert "How safe the child is" in agreement and "The child's voice" in agreement


def test_every_name_the_figures_use_besides_the_axes_is_one_no_axis_may_take(
    actor, safeguarding, seeded
):
    """core/audit_templates.py FIGURES_KEYS refuses an axis key the figures already use: here
    the list is checked against the figures themselves, compared and over mixed versions."""
    cohort = imported(actor, safeguarding)
    september = Cohort.objects.get(name=SEPTEMBER)
    for figures in (
        cohort_figures(cohort, compare=september),
        cohort_figures(september, compare=cohort),
        figures_for("All", Review.objects.all()),
    ):
        axes = {axis.key for axis in safeguarding.template.grades} | {"outcome"}
        assert set(figures) - axes <= FIGURES_KEYS
        assert set(figures["comparison"] or {}) - axes <= FIGURES_KEYS


def test_a_comparison_with_the_built_in_says_which_grades_it_leaves_out(
    actor, safeguarding, seeded
):
    cohort = imported(actor, safeguarding)
    september = Cohort.objects.get(name=SEPTEMBER)
    figures = cohort_figures(cohort, compare=september)
    assert figures["comparison"]["not_compared"]["grades"] == ["safety", "voice", "outcome"]
    assert "practice" in figures["comparison"] and "outcome" in figures["comparison"]
    data = report_data(Review.objects.filter(cohort=cohort), comparison=figures["comparison"])
    page = html.unescape(RENDERERS["html"]().render(
        build_report(council="Test Council", figures=figures, data=data)).decode())  # fmt: skip
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert (f"The comparison leaves out 2 grades and 8 standards and 5 questions {SEPTEMBER} was "
            "not asked: How safe the child is; The child's voice;") in text  # fmt: skip
    assert "It also leaves out 1 grade and 8 standards" in text
    assert "Outcomes for the child" in text.split("It also leaves out 1 grade")[1][:200]


def test_importing_the_same_file_again_changes_nothing_on_any_axis(actor, safeguarding):
    cohort = imported(actor, safeguarding)
    before = {r.pk: (r.answers, r.second_graded_at, r.history.count())
              for r in Review.objects.filter(cohort=cohort)}  # fmt: skip
    result = import_reviews(data=csv_bytes(rows()), file_name="again.csv", by=actor,
                            template=safeguarding)  # fmt: skip
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    after = {r.pk: (r.answers, r.second_graded_at, r.history.count())
             for r in Review.objects.filter(cohort=cohort)}  # fmt: skip
    assert after == before


def own_template(actor, grades, key="own_grades"):
    text = safeguarding_text().replace("key: safeguarding_thematic", f"key: {key}", 1)
    start, end = text.index("grades:\n"), text.index("standards:\n")
    return load_template(by=actor, definition=read_yaml(text[:start] + grades + text[end:]))


def test_an_axis_named_like_another_axis_paired_grade_is_refused(actor):
    with pytest.raises(TemplateProblems) as refused:
        own_template(actor, GRADES.replace("key: voice", "key: paired_practice", 1))
    assert refused.value.problems == [
        'grade "paired_practice": its column paired_practice_grade is also grade "practice"\'s, '
        "so review files could not tell them apart: give the grade another key"
    ]


def test_an_outcome_axis_without_a_cut_has_no_gap_cases(actor, seeded):
    no_cut = """grades:
  - {key: practice, label: Social work practice, scale: ilacs, good_or_better: good}
  - {key: outcome, label: Outcomes for the child, scale: ilacs}
"""
    template = own_template(actor, no_cut).template
    given = [{**row, "outcome_grade": "inadequate", "practice_grade": "good"}
             for row in rows()]  # fmt: skip
    for row in given:
        for column in (
            "safety_grade",
            "voice_grade",
            "second_safety_grade",
            "second_voice_grade",
            "moderated_safety_grade",
            "moderated_voice_grade",
        ):
            row.pop(column)  # fmt: skip
        row.update(second_outcome_grade="good" if row["second_reviewer"] else "",
                   moderated_outcome_grade="")  # fmt: skip
    cohort = imported(actor, template, given)
    figures = cohort_figures(cohort)
    assert figures["outcome"]["good_or_better"] is None
    assert figures["both_outstanding"] == 0  # both graded: counted
    assert figures["practice_good_or_better_outcome_not"] is None  # no cut: no gap cases
    review = Review.objects.filter(cohort=cohort).first()
    assert "gap" not in moderation_reasons(review)
    page = html.unescape(RENDERERS["html"]().render(build_report(
        council="Test Council", figures=figures,
        data=report_data(Review.objects.filter(cohort=cohort)))).decode())  # fmt: skip
    assert "Practice good or better, outcomes not" not in page
    assert "Wherever practice was good or better" not in page


def test_the_wider_edition_masks_a_comparator_on_another_scale_by_its_own_template(
    actor, safeguarding, seeded
):
    """The comparator's grades are kept from view by its own template's scale and cut: here a
    comparator whose practice counts good or better from outstanding only. Its practice is not
    compared, so the report puts no comparator column beside this cohort's."""
    strict = """grades:
  - {key: practice, label: Social work practice, scale: ilacs, good_or_better: outstanding}
"""
    other = own_template(actor, strict, key="strict").template
    given = [{**row, "cohort": "Strict audit", "child_ref": f"T{n}",
              "practice_grade": ["outstanding", "outstanding", "outstanding", "good", "good",
                                 "requires_improvement"][n]}
             for n, row in enumerate(rows())]  # fmt: skip
    for row in given:
        for axis in ("safety", "voice"):
            for column in (f"{axis}_grade", f"second_{axis}_grade", f"moderated_{axis}_grade"):
                row.pop(column)
        row.update(second_reviewer="", second_practice_grade="", moderated_practice_grade="")
    result = import_reviews(data=csv_bytes(given), file_name="strict.csv", by=actor, template=other)
    assert result.ok, [str(problem) for problem in result.problems]
    cohort = imported(actor, safeguarding)
    figures = cohort_figures(cohort, compare=Cohort.objects.get(name="Strict audit"))
    assert figures["comparison"]["practice"]["good_or_better"] == 3
    assert "practice" in figures["comparison"]["not_compared"]["grades"]
    data = report_data(Review.objects.filter(cohort=cohort), comparison=figures["comparison"])
    wider = build_report(council="Test Council", figures=figures, data=data, audience="wider")
    page = html.unescape(RENDERERS["html"]().render(wider).decode())
    assert "(Strict audit)" not in page  # not compared: no comparator column beside practice
    placeholders_shown = placeholders(figures, wider=True, templates=data.templates,
                                      comparator_templates=data.comparator_templates)  # fmt: skip
    # 3 good or better and 3 not: both sides of the comparator's own cut are safe to show.
    # Read by this report's cut (good) they would be 5 and 1, and withheld.
    assert placeholders_shown["comparison.practice.good_or_better"][0] == "3 of 6 (50%)"
    assert placeholders_shown["practice.good_or_better"][0] == "6 of 6 (100%)"


def test_the_home_page_says_which_columns_a_template_does_not_grade(client, cast, safeguarding):
    imported(cast["qa_lead"], safeguarding)
    client.force_login(cast["qa_lead"])
    page = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(
        client.get(reverse("home")).content.decode())).split())  # fmt: skip
    assert f"{COHORT} 1 March 2025 to 6 March 2025 6 6 of 6 (100%) Not graded on it 2 of 6" in page
