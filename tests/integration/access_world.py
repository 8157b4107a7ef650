"""Something of every kind the URLs name, in and out of each person's scope.

The seed data holds only final reviews. The access tests need reviews being written by each
reviewer, submitted ones, a dual review waiting for its second grades, alerts at each escalation
level, recommendations each person owns and does not own, impact checks, an open and a closed
moderation meeting and a report with a published version. All are made through the app's own
actions, by the people who make them in real life.

Who is on what (seed data + this world), for reading the access table's results:
- reviewer_independent (Independent Associate) writes `draft_independent` (C1001, worker RL,
  supervisor BA) and first-reviewed `dual` (C1002), which reviewer_internal grades blind.
- reviewer_internal (Head of Safeguarding and QA) writes `draft_internal` (C1003, worker AB,
  supervisor KN); `submitted` (C1003 in September) is theirs too, and reviewer_independent
  grades July's C09004 blind.
- practitioner (RL) and manager (BA) are on `submitted_rl` (C1008 in September) and many finals.
"""

import datetime

from django.utils import timezone

from practice_review.accounts import actions as account_actions
from practice_review.accounts.models import StaffMember
from practice_review.alerts.actions import raise_alert
from practice_review.alerts.models import Alert
from practice_review.alerts.rules import SENIOR_LEADERS
from practice_review.moderation import actions as moderation_actions
from practice_review.reports import actions as report_actions
from practice_review.reviews import actions, template_actions
from practice_review.reviews.answers import with_grades
from practice_review.reviews.models import AuditTemplate, Child, Review
from practice_review.reviews.queries import find_cohort
from practice_review.tracker import actions as tracker_actions
from practice_review.tracker.models import Recommendation
from tests.conftest import JULY, SEPTEMBER

DUE = datetime.date(2026, 11, 20)


def staff(name):
    return StaffMember.objects.get_or_create(name=name)[0]


def september(case_ref):
    return Review.objects.get(cohort=find_cohort(SEPTEMBER), child__case_ref=case_ref)


def build_world(cast):
    qa = cast["qa_lead"]
    independent, internal = staff("Independent Associate"), staff("Head of Safeguarding and QA")
    rl, ba = staff("RL"), staff("BA")
    senior_staff = staff("Head of Service")
    cast["senior_leader"].staff_member = senior_staff
    cast["senior_leader"].save()
    for user in cast.values():
        user.email = f"{user.username}@council.example"
        user.save()

    cohort = actions.create_cohort(
        by=qa, name="Access cohort", period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30), selected_by="SLT", selection_reason="mixed",
    )  # fmt: skip

    def draft(case_ref, reviewer, worker, supervisor):
        return actions.assign_review(
            by=qa, cohort=cohort, child=Child.objects.get(case_ref=case_ref), reviewer=reviewer,
            reviewer_type="independent", due_date=DUE, social_worker=worker,
            supervisor=supervisor,
        )  # fmt: skip

    draft_independent = draft("C1001", independent, rl, ba)
    draft_internal = draft("C1003", internal, staff("AB"), staff("KN"))
    for review, user in ((draft_independent, "reviewer_independent"),
                         (draft_internal, "reviewer_internal")):  # fmt: skip
        actions.add_conversation(
            review=review, by=cast[user], held_with="practitioner", held_on=DUE,
            method="phone", their_words="We spoke about the plan.",
        )  # fmt: skip
        tracker_actions.add_child_recommendation(
            review=review, by=cast[user], action="Update the chronology.", owner=rl,
            due_date=DUE, success_measure="A current chronology.",
        )  # fmt: skip

    # Submitted, not yet final: one for the practitioner and manager, one for reviewer_internal,
    # one for the open meeting's agenda and one moderated at the closed meeting.
    for review in Review.objects.filter(
        cohort=find_cohort(SEPTEMBER), child__case_ref__in=["C1008", "C1003", "C1004", "C1006"]
    ):
        unmoderated = with_grades(
            review.answers, {"practice": {"moderated": None}, "outcome": {"moderated": None}}
        )
        Review.objects.filter(pk=review.pk).update(status="submitted", answers=unmoderated)
    submitted_rl, submitted = september("C1008"), september("C1003")
    to_moderate, moderated = september("C1004"), september("C1006")

    # A dual review: reviewer_internal grades C1002 blind (the first reviewer's write-up hidden).
    dual = september("C1002")
    actions.assign_second_reviewer(review=dual, by=qa, second_reviewer=internal)
    # ... and reviewer_independent grades July's C09004 (Head of Safeguarding's) blind.
    dual_july = Review.objects.get(cohort=find_cohort(JULY), child__case_ref="C09004")
    actions.assign_second_reviewer(review=dual_july, by=qa, second_reviewer=independent)

    # Alerts: one for manager BA to act on, one escalated to senior leaders (supervisor KN).
    alert_ba = raise_alert(review=draft_independent, concern="A concern.", severity="high",
                           must_act=ba, by=cast["reviewer_independent"])  # fmt: skip
    alert_escalated = raise_alert(review=draft_internal, concern="Another concern.",
                                  severity="high", must_act=staff("KN"),
                                  by=cast["reviewer_internal"])  # fmt: skip
    Alert.objects.filter(pk=alert_escalated.pk).update(escalation_level=SENIOR_LEADERS)

    # Recommendations on completed reviews, each person owning at least one.
    def recommend(review=None, *, owner, level="child"):
        return Recommendation.objects.create(
            level=level, review=review, cohort=review.cohort if review else None,
            theme="journey", action="Share the plan with the family.", owner=owner,
            due_date=timezone.localdate() + datetime.timedelta(days=30),
            success_measure="The family has the plan.", created_by=qa,
        )  # fmt: skip

    recommendations = {
        "rl": recommend(september("C1001"), owner=rl),
        "ba": recommend(september("C1004"), owner=ba),
        "independent": recommend(september("C1005"), owner=independent),
        "internal": recommend(owner=internal, level="service"),
        "senior": recommend(owner=senior_staff, level="service"),
        "other": recommend(september("C1003"), owner=staff("KN")),
    }
    # Completed: an impact check to record (owner RL, so the manager BA checks it) ...
    to_check = recommend(september("C1004"), owner=rl)
    tracker_actions.change_status(recommendation=to_check, status="completed", by=qa)
    # ... and one recorded by the manager, for the QA lead to sign off.
    to_sign_off = recommend(september("C1006"), owner=rl)
    tracker_actions.change_status(recommendation=to_sign_off, status="completed", by=qa)
    tracker_actions.record_impact_check(
        recommendation=to_sign_off, made_difference="yes", difference_for="child",
        evidence="The plan is on file.", by=cast["manager"],
    )  # fmt: skip

    # Moderation: an open meeting with a review on its agenda, and a closed one.
    open_meeting = moderation_actions.plan_meeting(
        by=qa, held_on=datetime.date(2026, 11, 25), attendees="QA lead", reviews=[to_moderate]
    )
    closed_meeting = moderation_actions.plan_meeting(
        by=qa, held_on=datetime.date(2026, 9, 25), attendees="QA lead", reviews=[moderated]
    )
    moderation_actions.moderate(by=qa, item=closed_meeting.agenda.get(),
                                grades={"practice": "good", "outcome": "good"},
                                reason="Agreed.")  # fmt: skip
    moderation_actions.close_meeting(by=qa, meeting=closed_meeting)

    # A summary report with one published version.
    report = report_actions.create_report(
        by=qa, title="Access report", cohorts=[find_cohort(SEPTEMBER)], comparator=find_cohort(JULY)
    )
    report_actions.publish(by=qa, report=report, reviews=Review.objects.all(),
                           version=report.version)  # fmt: skip

    # A draft audit template, a copy of the built-in one, for the template editor's pages.
    draft_template = template_actions.copy_template(
        by=qa, source=AuditTemplate.objects.built_in(), key="access_draft", name="Access draft"
    )

    # Account changes waiting for approval: one the QA lead may decide, one about their own
    # account that they may not.
    outsider = cast["outsider"]
    outsider.role = "senior_leader"
    raise_outsider = account_actions.save_account(account=outsider, by=cast["admin"])
    reset_qa = account_actions.ask_for_two_factor_reset(account=qa, by=cast["admin"])
    return {
        "cohort": cohort,
        "draft_independent": draft_independent,
        "draft_internal": draft_internal,
        "submitted_rl": submitted_rl,
        "submitted": submitted,
        "dual": dual,
        "alert_ba": alert_ba,
        "alert_escalated": alert_escalated,
        "recommendations": recommendations,
        "to_check": to_check,
        "to_sign_off": to_sign_off,
        "open_meeting": open_meeting,
        "closed_meeting": closed_meeting,
        "report": report,
        "account_changes": [raise_outsider, reset_qa],
        "draft_template": draft_template,
    }
