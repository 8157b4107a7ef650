"""No mass assignment: extra fields in a POST change nothing they name.

docs/spec/quality.md#mass-assignment: "POST extra fields (reviewer, status, version) -> protected
fields unchanged". Every form view that writes gets its normal, valid data (so the write happens:
the response is the redirect that follows success) plus hostile extra fields. The protected columns
of every review, user, recommendation, alert, meeting and report are compared before and after: only
the columns the action itself changes may differ, never to a hostile value, and whatever the
action creates is attributed to the person who did it, where the URL says.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from practice_review.accounts.models import StaffMember, User
from practice_review.alerts.models import Alert
from practice_review.moderation.models import Meeting
from practice_review.reports.models import SummaryReport
from practice_review.reviews.models import Cohort, Conversation, Review, ReviewResponse
from practice_review.reviews.queries import find_cohort
from practice_review.tracker.models import Recommendation
from tests.conftest import JULY, SEED_FILE, SEPTEMBER
from tests.integration.access_world import build_world
from tests.integration.helpers import import_at_the_page

pytestmark = pytest.mark.django_db

DATE = "20/11/2026"
PROTECTED = {
    Review: ["reviewer_id", "second_reviewer_id", "status", "version", "cohort_id", "child_id",
             # The grades agreed at moderation, in the answers document (reviews/answers.py).
             "answers__grades__practice__moderated", "answers__grades__outcome__moderated",
             "imported"],
    User: ["role", "is_superuser", "is_staff", "is_active", "staff_member_id"],
    Recommendation: ["owner_id", "created_by_id", "review_id", "cohort_id", "level", "status"],
    Alert: ["raised_by_id", "review_id", "must_act_id", "escalation_level"],
    Meeting: ["created_by_id", "closed_at"],
    SummaryReport: ["created_by_id"],
    Cohort: ["name"],
}  # fmt: skip


def hostile(world, cast):
    """Values an attacker would like: someone else's review, the top role, a final status."""
    other = StaffMember.objects.get(name="PA")
    return {
        "reviewer": other.pk, "status": "final", "version": 999, "second_reviewer": other.pk,
        "moderated_practice_grade": "inadequate", "moderated_outcome_grade": "inadequate",
        "cohort": find_cohort(JULY).pk, "child": world["dual"].child_id, "owner": other.pk,
        "is_superuser": "on", "is_staff": "on", "role": "qa_lead", "created_by": cast["admin"].pk,
        "raised_by": cast["admin"].pk, "review": world["dual"].pk, "id": 999999, "pk": 999999,
    }  # fmt: skip


def snapshot():
    return {
        (model.__name__, row["pk"], name): row[name]
        for model, names in PROTECTED.items()
        for row in model.objects.values("pk", *names)
        for name in names
    }


@dataclass
class Case:
    person: str
    url: str
    data: dict
    changes: set = field(default_factory=set)  # (model name, pk, column) the action changes
    created: tuple = ()  # (model, {column: expected value}) for the row it creates


def cases(world, cast):
    draft, qa = world["draft_independent"], cast["qa_lead"]
    staff = {member.name: member for member in StaffMember.objects.all()}
    rl_rec, to_check = world["recommendations"]["rl"], world["to_check"]
    meeting, item = world["open_meeting"], world["open_meeting"].agenda.get()
    report = world["report"]
    final = Review.objects.filter(status="final", cohort=find_cohort(SEPTEMBER)).first()
    grades = {"practice_grade": "good", "practice_rationale": "Sound.", "outcome_grade": "good",
              "outcome_rationale": "Sound."}  # fmt: skip
    recommendation = {"action": "Do it.", "owner": staff["RL"].pk, "due_date": DATE,
                      "success_measure": "Done.", "theme": "journey"}  # fmt: skip
    review = lambda name, *args: reverse(name, args=[draft.pk, *args])  # noqa: E731
    return {
        "review section": Case("reviewer_independent", review("review_section", "grades"),
                               {"version": 0, **grades},
                               {("Review", draft.pk, "status"), ("Review", draft.pk, "version")}),
        "conversation": Case("reviewer_independent", review("review_conversations"),
                             {"held_with": "practitioner", "held_on": DATE, "method": "phone",
                              "their_words": "Fine."}, {("Review", draft.pk, "status")},
                             (Conversation, {"review_id": draft.pk})),
        "recommendation": Case("reviewer_independent", review("review_recommendations"),
                               recommendation, {("Review", draft.pk, "status")},
                               (Recommendation, {"review_id": draft.pk, "level": "child",
                                                 "created_by_id": cast["reviewer_independent"].pk,
                                                 "cohort_id": draft.cohort_id})),
        "cohort create": Case("qa_lead", reverse("cohort_create"),
                              {"name": "Hostile cohort", "period_start": "1/12/2026",
                               "period_end": "31/12/2026", "selected_by": "SLT",
                               "selection_reason": "mixed"}),
        "cohort add case": Case("qa_lead", reverse("cohort_add_case", args=[world["cohort"].pk]),
                                {"case_ref": "C7777", "initials": "ZZ", "gender": "female",
                                 "reviewer": staff["Independent Associate"].pk,
                                 "reviewer_type": "independent", "due_date": DATE,
                                 "social_worker": staff["RL"].pk, "ethnicity": "", "religion": "",
                                 "first_language": "", "interpreter_needed": "unknown",
                                 "uasc": "unknown"}, set(),
                                (Review, {"status": "assigned", "version": 1,
                                          "cohort_id": world["cohort"].pk})),
        "reassign": Case("qa_lead", review("review_reassign"),
                         {"reviewer": staff["Head of Safeguarding and QA"].pk,
                          "reviewer_type": "internal", "due_date": DATE},
                         {("Review", draft.pk, "reviewer_id"), ("Review", draft.pk, "version")}),
        "second reviewer": Case("qa_lead", review("review_second_reviewer"),
                                {"second_reviewer": staff["Head of Safeguarding and QA"].pk},
                                {("Review", draft.pk, "second_reviewer_id")}),
        "second grades": Case("reviewer_internal",
                              reverse("second_grades", args=[world["dual"].pk]),
                              {**{k: grades[k] for k in ("practice_grade", "outcome_grade")},
                               "rationale": "Mine."}),
        "respond": Case("practitioner", reverse("review_respond", args=[world["submitted_rl"].pk]),
                        {"text": "My reflection."}, set(),
                        (ReviewResponse, {"review_id": world["submitted_rl"].pk,
                                          "by_id": cast["practitioner"].pk})),
        "sign off": Case("qa_lead", reverse("review_sign_off", args=[world["submitted_rl"].pk]),
                         {}, {("Review", world["submitted_rl"].pk, "status"),
                              ("Review", world["submitted_rl"].pk, "version")}),
        "reopen": Case("qa_lead", reverse("review_reopen", args=[final.pk]), {"reason": "Check."},
                       {("Review", final.pk, "status"), ("Review", final.pk, "version")}),
        "raise alert": Case("reviewer_independent", review("alert_raise"),
                            {"concern": "Worry.", "severity": "high",
                             "must_act": staff["BA"].pk}, set(),
                            (Alert, {"review_id": draft.pk,
                                     "raised_by_id": cast["reviewer_independent"].pk})),
        "acknowledge": Case("manager", reverse("alert_acknowledge", args=[world["alert_ba"].pk]),
                            {}),
        "close alert": Case("manager", reverse("alert_close", args=[world["alert_ba"].pk]),
                            {"action_taken": "Done."}),
        "tracker update": Case("practitioner", reverse("tracker_add_update", args=[rl_rec.pk]),
                               {"text": "Progress."}),
        "tracker status": Case("practitioner",
                               reverse("tracker_change_status", args=[rl_rec.pk]),
                               {"status": "in_progress"},
                               {("Recommendation", rl_rec.pk, "status")}),
        "impact check": Case("manager", reverse("tracker_record_impact", args=[to_check.pk]),
                             {"made_difference": "yes", "difference_for": "child",
                              "evidence": "Seen."}),
        "impact sign-off": Case("qa_lead", reverse("tracker_sign_off_impact",
                                                   args=[world["to_sign_off"].pk]), {}),
        "meeting create": Case("qa_lead", reverse("meeting_create"),
                               {"held_on": DATE, "attendees": "QA lead"}, set(),
                               (Meeting, {"created_by_id": qa.pk, "closed_at": None})),
        "moderate": Case("qa_lead", reverse("meeting_decide", args=[meeting.pk, item.pk]),
                         {"practice_grade": "good", "outcome_grade": "good", "reason": "Agreed."},
                         {("Review", item.review_id, "status"),
                          ("Review", item.review_id, "version"),
                          ("Review", item.review_id, "answers__grades__practice__moderated"),
                          ("Review", item.review_id, "answers__grades__outcome__moderated")}),
        "learning point": Case("qa_lead", reverse("meeting_learning", args=[meeting.pk]),
                               {"learning-text": "Learnt.", "learning-theme": ""}),
        "meeting recommendation": Case(
            "qa_lead", reverse("meeting_recommendation", args=[meeting.pk]),
            {f"recommendation-{k}": v for k, v in recommendation.items()}, set(),
            (Recommendation, {"level": "service", "created_by_id": qa.pk, "review_id": None})),
        "raise for finding": Case("qa_lead", reverse("raise_for_finding"), recommendation, set(),
                                  (Recommendation, {"level": "service", "created_by_id": qa.pk})),
        "close meeting": Case("qa_lead", reverse("meeting_close", args=[meeting.pk]), {},
                              {("Meeting", meeting.pk, "closed_at")}),
        "report create": Case("qa_lead", reverse("report_create"),
                              {"title": "Hostile report", "cohorts": [find_cohort(SEPTEMBER).pk],
                               "comparator": "none"}, set(),
                              (SummaryReport, {"created_by_id": qa.pk})),
        "report narrative": Case("qa_lead", reverse("report_part", args=[report.pk,
                                                                          "introduction"]),
                                 {"text": "Our words.", "version": report.version}),
    }  # fmt: skip


@pytest.fixture
def world(cast):
    return build_world(cast)


@pytest.mark.parametrize("name", [
    "review section", "conversation", "recommendation", "cohort create", "cohort add case",
    "reassign", "second reviewer", "second grades", "respond", "sign off", "reopen",
    "raise alert", "acknowledge", "close alert", "tracker update", "tracker status",
    "impact check", "impact sign-off", "meeting create", "moderate", "learning point",
    "meeting recommendation", "raise for finding", "close meeting", "report create",
    "report narrative",
])  # fmt: skip
def test_extra_fields_in_a_post_change_no_protected_field(client, cast, world, name):
    """docs/spec/quality.md#mass-assignment: POST extra fields (reviewer, status, version) ->
    protected fields unchanged."""
    case = cases(world, cast)[name]
    extras = hostile(world, cast)
    client.force_login(cast[case.person])
    model, expected = case.created or (None, {})
    existing = set(model.objects.values_list("pk", flat=True)) if model else set()
    before = snapshot()

    response = client.post(case.url, {**extras, **case.data})

    form = response.context and response.context.get("form")
    assert response.status_code == 302, form.errors if form else response.status_code
    after = snapshot()
    changed = {key for key in before.keys() & after.keys() if before[key] != after[key]}
    assert changed <= case.changes
    assert not any(after[key] in (extras["version"], extras["id"]) for key in changed)
    new_keys = after.keys() - before.keys()
    hostile_ids = {extras["id"]}
    assert not {pk for (_model, pk, _column) in new_keys} & hostile_ids
    # Nobody was made an administrator or given another role.
    assert all(after[key] == before[key] for key in before if key[0] == "User")
    if model:
        created = model.objects.exclude(pk__in=existing)
        assert created.count() >= 1
        for column, value in expected.items():
            assert set(created.values_list(column, flat=True)) == {value}, column


def test_extra_fields_in_either_step_of_an_import_change_no_protected_field(client, cast, world):
    """As above for the import's two steps, the upload and the check page's Confirm: the
    hostile fields go with both; the import writes its reviews and nothing they name."""
    extras = hostile(world, cast)
    client.force_login(cast["qa_lead"])
    before = snapshot()
    data = SEED_FILE.read_bytes().replace(b"September 2024 to February 2025", b"Hostile import")

    response = import_at_the_page(client, data, "more.csv", extra=extras)

    assert response.status_code == 302, response.content.decode()[:2000]
    after = snapshot()
    assert {key for key in before.keys() & after.keys() if before[key] != after[key]} == set()
    assert Cohort.objects.filter(name="Hostile import").exists()
    assert not {pk for (_model, pk, _column) in after.keys() - before.keys()} & {extras["id"]}
