"""Alerts (issue 3): raising, the emails, acknowledging, closing, escalation, who sees what."""

import re
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from practice_review.alerts.actions import (
    acknowledge_alert,
    close_alert,
    escalate_overdue_alerts,
    raise_alert,
)
from practice_review.alerts.models import Alert
from practice_review.alerts.queries import alerts_visible_to, home_alerts
from practice_review.alerts.rules import AlertNotAllowed
from practice_review.alerts.working_days import LONDON
from practice_review.cli import main as practice_review_command
from practice_review.core.vocabulary import ReviewStatus
from practice_review.reviews.models import Review

pytestmark = pytest.mark.django_db

SITE = "https://practice-review.council.example"
CONCERN = "Unexplained bruising seen on the home visit; no strategy discussion recorded."


def london(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def people(cast, settings):
    """The cast with email addresses (only people with one can be emailed)."""
    settings.SITE_URL = SITE
    for user in cast.values():
        user.email = f"{user.username}@council.example"
        user.save()
    return cast


@pytest.fixture
def bas_case():
    """C1004: MA, Iraqi (Kurd), social worker BS, supervised by BA (the manager), reviewed by
    the Independent Associate."""
    return Review.objects.select_related("child").get(child__case_ref="C1004")


@pytest.fixture
def other_case():
    """C1003: supervised by KN, reviewed by the Head of Safeguarding and QA (reviewer_internal)."""
    return Review.objects.get(child__case_ref="C1003")


@pytest.fixture
def raised(people, bas_case, django_capture_on_commit_callbacks):
    """An alert on BA's case raised by its reviewer, with its emails sent."""
    with django_capture_on_commit_callbacks(execute=True):
        return raise_alert(
            review=bas_case,
            concern=CONCERN,
            severity="high",
            must_act=bas_case.supervisor,
            by=people["reviewer_independent"],
        )


@pytest.fixture
def elsewhere(people, other_case):
    """An alert on a case neither BA nor the Independent Associate has anything to do with."""
    return raise_alert(
        review=other_case,
        concern="Statutory visits missed for three months.",
        severity="medium",
        must_act=other_case.supervisor,
        by=people["reviewer_internal"],
    )


def make_overdue(alert, level=0):
    Alert.objects.filter(pk=alert.pk).update(
        acknowledge_by=london(2026, 11, 13, 10, 0), escalation_level=level
    )
    alert.refresh_from_db()
    return alert


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


# Raising and the emails -----------------------------------------------------------------------


def test_raising_an_alert_emails_the_manager_and_the_qa_lead_one_each(raised, mailoutbox):
    assert recipients(mailoutbox) == ["manager@council.example", "qa.lead@council.example"]
    assert all(len(message.to) == 1 for message in mailoutbox)
    message = mailoutbox[0]
    assert raised.reference in message.subject and "high" in message.subject
    assert f"{SITE}/alerts/{raised.pk}/" in message.body
    assert raised.reference in message.body


def test_alert_emails_carry_no_details_of_the_child_or_the_case(raised, bas_case, mailoutbox):
    child = bas_case.child
    for message in mailoutbox:
        text = f"{message.subject}\n{message.body}"
        assert not re.search(rf"\b{child.initials}\b", text)
        for detail in [child.case_ref, child.ethnicity, "Iraqi", "Kurd", CONCERN, "bruising"]:
            assert detail not in text
        assert bas_case.cohort.name not in text


def test_the_deadline_is_one_working_day_after_raising(people, bas_case, monkeypatch):
    friday_afternoon = london(2026, 11, 13, 16, 45)
    monkeypatch.setattr(timezone, "now", lambda: friday_afternoon)
    alert = raise_alert(
        review=bas_case,
        concern=CONCERN,
        severity="high",
        must_act=None,
        by=people["reviewer_independent"],
    )
    alert.refresh_from_db()
    assert alert.raised_at == friday_afternoon
    assert alert.acknowledge_by == london(2026, 11, 16, 16, 45)  # Monday afternoon
    assert alert.escalation_level == 0 and alert.raised_by.username == "reviewer.independent"


def test_the_number_of_working_days_and_extra_bank_holidays_are_settings(
    people, bas_case, monkeypatch, settings
):
    settings.ALERT_ACKNOWLEDGE_WORKING_DAYS = 2
    settings.EXTRA_BANK_HOLIDAYS = [date(2026, 11, 16)]
    monkeypatch.setattr(timezone, "now", lambda: london(2026, 11, 13, 16, 45))
    alert = raise_alert(
        review=bas_case,
        concern=CONCERN,
        severity="high",
        must_act=None,
        by=people["reviewer_independent"],
    )
    assert alert.acknowledge_by == london(2026, 11, 18, 16, 45)  # Tuesday + Wednesday


def test_england_and_wales_bank_holidays_do_not_count(people, bas_case, monkeypatch):
    # Thursday 24 December 2026: Christmas Day and the Boxing Day substitute, Monday 28th.
    monkeypatch.setattr(timezone, "now", lambda: london(2026, 12, 24, 10, 0))
    alert = raise_alert(
        review=bas_case,
        concern=CONCERN,
        severity="high",
        must_act=None,
        by=people["reviewer_independent"],
    )
    assert alert.acknowledge_by == london(2026, 12, 29, 10, 0)


def test_people_without_an_email_inactive_or_managing_other_cases_are_not_emailed(
    people, bas_case, mailoutbox, django_capture_on_commit_callbacks
):
    people["qa_lead"].is_active = False
    people["qa_lead"].save()
    second_qa_lead = people["admin"]
    second_qa_lead.role = "qa_lead"
    second_qa_lead.email = ""
    second_qa_lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert(
            review=bas_case,
            concern=CONCERN,
            severity="low",
            must_act=None,
            by=people["reviewer_independent"],
        )
    assert recipients(mailoutbox) == ["manager@council.example"]


def test_no_email_is_sent_for_an_alert_that_was_rolled_back(
    people, bas_case, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        raise_alert(
            review=bas_case,
            concern=CONCERN,
            severity="high",
            must_act=None,
            by=people["reviewer_independent"],
        )
        raise RuntimeError("something later in the request failed")
    assert callbacks == [] and mailoutbox == []
    assert not Alert.objects.exists()


def test_only_the_assigned_reviewer_and_the_qa_lead_may_raise(people, bas_case):
    for person in ["reviewer_internal", "manager", "senior_leader", "practitioner", "admin"]:
        with pytest.raises(AlertNotAllowed):
            raise_alert(
                review=bas_case, concern=CONCERN, severity="high", must_act=None, by=people[person]
            )
    assert raise_alert(
        review=bas_case, concern=CONCERN, severity="high", must_act=None, by=people["qa_lead"]
    )


# Acknowledging and closing ----------------------------------------------------------------------


def test_acknowledging_records_who_and_when_once(raised, people):
    acknowledge_alert(alert=raised, by=people["manager"])
    raised.refresh_from_db()
    assert raised.acknowledged_by == people["manager"] and raised.acknowledged_at
    with pytest.raises(AlertNotAllowed, match="already acknowledged"):
        acknowledge_alert(alert=raised, by=people["qa_lead"])


def test_closing_needs_the_action_taken_and_records_who_and_when(raised, people):
    with pytest.raises(ValueError, match="action taken"):
        close_alert(alert=raised, action_taken="  ", by=people["manager"])
    close_alert(alert=raised, action_taken="Strategy discussion held.", by=people["manager"])
    raised.refresh_from_db()
    assert raised.action_taken == "Strategy discussion held."
    assert raised.closed_by == people["manager"] and raised.closed_at
    # Closing an alert nobody acknowledged acknowledges it too.
    assert raised.acknowledged_by == people["manager"]
    with pytest.raises(AlertNotAllowed, match="already closed"):
        close_alert(alert=raised, action_taken="Again", by=people["qa_lead"])
    with pytest.raises(AlertNotAllowed, match="already closed"):
        acknowledge_alert(alert=raised, by=people["qa_lead"])


def test_every_change_to_an_alert_is_kept_in_its_history(raised, people):
    acknowledge_alert(alert=raised, by=people["manager"])
    close_alert(alert=raised, action_taken="Done.", by=people["manager"])
    history = list(raised.history.order_by("history_id"))
    assert [entry.history_user for entry in history] == [
        people["reviewer_independent"],
        people["manager"],
        people["manager"],
    ]


# Escalation -------------------------------------------------------------------------------------


def test_escalation_moves_up_the_chain_each_time_the_clock_runs_out(
    raised, people, mailoutbox, django_capture_on_commit_callbacks
):
    make_overdue(raised)  # due Friday 13 November 2026, 10:00
    mailoutbox.clear()

    assert escalate_overdue_alerts(now=london(2026, 11, 13, 9, 59)) == []

    with django_capture_on_commit_callbacks(execute=True):
        (first,) = escalate_overdue_alerts(now=london(2026, 11, 13, 10, 0))
    raised.refresh_from_db()
    assert (first.from_level, first.to_level) == (0, 1)
    assert raised.escalation_level == 1 and raised.escalated_at == london(2026, 11, 13, 10, 0)
    assert raised.acknowledge_by == london(2026, 11, 16, 10, 0)  # Monday
    assert recipients(mailoutbox) == ["qa.lead@council.example"]
    assert "escalated to the QA lead" in mailoutbox[0].subject
    assert CONCERN not in mailoutbox[0].body and f"{SITE}/alerts/{raised.pk}/" in mailoutbox[0].body

    # Idempotent within the new deadline.
    assert escalate_overdue_alerts(now=london(2026, 11, 16, 9, 0)) == []

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (second,) = escalate_overdue_alerts(now=london(2026, 11, 16, 10, 5))
    raised.refresh_from_db()
    assert (second.from_level, second.to_level) == (1, 2)
    assert raised.acknowledge_by == london(2026, 11, 17, 10, 5)
    assert recipients(mailoutbox) == ["senior.leader@council.example"]

    # At the top, senior leaders are reminded each time the clock runs out.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (third,) = escalate_overdue_alerts(now=london(2026, 11, 17, 10, 5))
    raised.refresh_from_db()
    assert (third.from_level, third.to_level) == (2, 2) and raised.escalation_level == 2
    assert recipients(mailoutbox) == ["senior.leader@council.example"]
    assert "reminded senior leaders" in str(third)


def test_acknowledged_and_closed_alerts_do_not_escalate(raised, elsewhere, people):
    make_overdue(raised)
    make_overdue(elsewhere)
    acknowledge_alert(alert=raised, by=people["manager"])
    close_alert(alert=elsewhere, action_taken="Visits booked.", by=people["qa_lead"])
    assert escalate_overdue_alerts(now=london(2026, 11, 20, 12, 0)) == []


def test_the_escalate_alerts_command_prints_what_it_did_and_is_idempotent(
    raised, elsewhere, mailoutbox, django_capture_on_commit_callbacks
):
    make_overdue(raised)
    mailoutbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_alerts", stdout=out)
    assert f"{raised.reference} escalated from the manager to the QA lead (1 email)" in (
        out.getvalue()
    )
    assert elsewhere.reference not in out.getvalue()
    assert recipients(mailoutbox) == ["qa.lead@council.example"]

    again = StringIO()
    call_command("escalate_alerts", stdout=again)
    assert again.getvalue() == "No alerts to escalate.\n"


def test_the_command_runs_as_practice_review_escalate_alerts(raised, capsys):
    practice_review_command(["practice-review", "escalate-alerts"])
    assert "No alerts to escalate." in capsys.readouterr().out


# Who sees what ----------------------------------------------------------------------------------

VISIBLE = {
    "qa_lead": {"C1003", "C1004"},
    "senior_leader": {"C1003", "C1004"},
    "reviewer_independent": {"C1004"},
    "reviewer_internal": {"C1003"},
    "manager": {"C1004"},
    "practitioner": set(),
    "admin": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("person", list(VISIBLE))
def test_each_role_sees_exactly_the_alerts_it_should(raised, elsewhere, people, person):
    seen = set(alerts_visible_to(people[person]).values_list("review__child__case_ref", flat=True))
    assert seen == VISIBLE[person]


def test_the_manager_sees_an_alert_before_the_review_is_submitted(raised, people, client):
    Review.objects.filter(pk=raised.review_id).update(status=ReviewStatus.IN_PROGRESS)
    client.force_login(people["manager"])
    assert client.get(reverse("review_detail", args=[raised.review_id])).status_code == 404
    page = client.get(reverse("alert_detail", args=[raised.pk]))
    assert page.status_code == 200
    assert CONCERN in page.content.decode()
    # Without a link to a review they cannot open.
    assert reverse("review_detail", args=[raised.review_id]) not in page.content.decode()


# The pages, for every role: allowed, forbidden and out of scope ---------------------------------

LIST_ALLOWED = {"qa_lead", "senior_leader", "reviewer_independent", "reviewer_internal", "manager"}


@pytest.mark.parametrize("person", list(VISIBLE))
def test_the_alert_list_shows_only_what_the_person_may_see(
    raised, elsewhere, people, client, person
):
    client.force_login(people[person])
    response = client.get(reverse("alert_list"))
    assert response.status_code == (200 if person in LIST_ALLOWED else 404)
    if response.status_code == 200:
        page = response.content.decode()
        assert (raised.reference in page) == ("C1004" in VISIBLE[person])
        assert (elsewhere.reference in page) == ("C1003" in VISIBLE[person])


@pytest.mark.parametrize("person", list(VISIBLE))
def test_alert_pages_are_404_out_of_scope(raised, elsewhere, people, client, person):
    client.force_login(people[person])
    for alert, case in [(raised, "C1004"), (elsewhere, "C1003")]:
        response = client.get(reverse("alert_detail", args=[alert.pk]))
        assert response.status_code == (200 if case in VISIBLE[person] else 404)


def test_a_missing_alert_is_404(people, client):
    client.force_login(people["qa_lead"])
    assert client.get(reverse("alert_detail", args=[999999])).status_code == 404


# Who may acknowledge and close the alert on BA's case at each escalation level.
MAY_ACT = {
    "qa_lead": (True, True),
    "manager": (True, True),
    "senior_leader": (False, True),  # only once it has reached them
    "reviewer_independent": (False, False),  # raised it; sees it, cannot acknowledge it
    "reviewer_internal": (False, False),  # out of scope
    "practitioner": (False, False),
    "admin": (False, False),
    "outsider": (False, False),
}


@pytest.mark.parametrize("person", list(MAY_ACT))
@pytest.mark.parametrize("level", [0, 2])
def test_acknowledging_through_the_page(raised, people, client, person, level):
    Alert.objects.filter(pk=raised.pk).update(escalation_level=level)
    allowed = MAY_ACT[person][level == 2]
    client.force_login(people[person])
    response = client.post(reverse("alert_acknowledge", args=[raised.pk]))
    raised.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert raised.acknowledged_by == people[person]
        page = client.get(response.url).content.decode()
        assert f"You acknowledged {raised.reference}" in page
        assert "Acknowledge alert" not in page
    else:
        assert response.status_code == 404
        assert raised.acknowledged_at is None


@pytest.mark.parametrize("person", list(MAY_ACT))
def test_closing_through_the_page(raised, people, client, person):
    allowed = MAY_ACT[person][0]
    client.force_login(people[person])
    url = reverse("alert_close", args=[raised.pk])
    response = client.post(url, {"action_taken": "Strategy discussion held; plan updated."})
    raised.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert raised.closed_by == people[person]
        page = client.get(response.url).content.decode()
        assert "Strategy discussion held; plan updated." in page
        assert "Close alert" not in page
    else:
        assert response.status_code == 404
        assert raised.closed_at is None


def test_closing_without_the_action_taken_shows_a_gov_uk_error(raised, people, client):
    client.force_login(people["manager"])
    response = client.post(reverse("alert_close", args=[raised.pk]), {"action_taken": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert "Enter what was done before closing the alert" in page
    assert 'href="#id_action_taken"' in page
    raised.refresh_from_db()
    assert raised.closed_at is None


def test_acknowledging_twice_says_so(raised, people, client):
    client.force_login(people["qa_lead"])
    client.post(reverse("alert_acknowledge", args=[raised.pk]))
    response = client.post(reverse("alert_acknowledge", args=[raised.pk]), follow=True)
    assert "already acknowledged by" in response.content.decode()


def test_acknowledge_and_close_only_accept_post(raised, people, client):
    client.force_login(people["qa_lead"])
    assert client.get(reverse("alert_acknowledge", args=[raised.pk])).status_code == 405
    assert client.get(reverse("alert_close", args=[raised.pk])).status_code == 405


def test_the_detail_page_shows_the_overdue_warning_and_the_actions(raised, people, client):
    make_overdue(raised)
    client.force_login(people["manager"])
    page = client.get(reverse("alert_detail", args=[raised.pk])).content.decode()
    assert "This alert is overdue" in page
    assert "Acknowledge alert" in page and "Close alert" in page
    client.force_login(people["reviewer_independent"])
    page = client.get(reverse("alert_detail", args=[raised.pk])).content.decode()
    assert CONCERN in page and "Overdue" in page
    assert "Acknowledge alert" not in page and "Close alert" not in page


# Who may raise an alert on BA's case (C1004, reviewed by the Independent Associate): the
# manager and the practitioner can see the (final) review but not raise; the internal reviewer
# cannot see it at all.
MAY_RAISE = {
    "qa_lead": 200,
    "reviewer_independent": 200,
    "reviewer_internal": 404,
    "manager": 404,
    "senior_leader": 404,
    "practitioner": 404,
    "admin": 404,
    "outsider": 404,
}


@pytest.mark.parametrize("person", list(MAY_RAISE))
def test_the_raise_page_is_only_for_the_assigned_reviewer_and_the_qa_lead(
    people, bas_case, client, person
):
    client.force_login(people[person])
    url = reverse("alert_raise", args=[bas_case.pk])
    assert client.get(url).status_code == MAY_RAISE[person]
    answers = {"concern": CONCERN, "severity": "high", "must_act": bas_case.supervisor_id}
    response = client.post(url, answers)
    assert response.status_code == (302 if MAY_RAISE[person] == 200 else 404)
    assert Alert.objects.exists() == (MAY_RAISE[person] == 200)


def test_raising_through_the_page_emails_and_shows_the_alert(
    people, bas_case, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people["reviewer_independent"])
    url = reverse("alert_raise", args=[bas_case.pk])
    form = client.get(url).content.decode()
    assert f'<option value="{bas_case.supervisor_id}" selected>' in form  # the manager first
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"concern": CONCERN, "severity": "medium", "must_act": bas_case.supervisor_id}
        )
    alert = Alert.objects.get()
    assert response.url == reverse("alert_detail", args=[alert.pk])
    assert (alert.concern, alert.severity, alert.must_act) == (
        CONCERN,
        "medium",
        bas_case.supervisor,
    )
    assert recipients(mailoutbox) == ["manager@council.example", "qa.lead@council.example"]
    page = client.get(response.url).content.decode()
    assert f"Alert {alert.reference} raised and emailed" in page


def test_raising_with_nothing_filled_in_names_every_missing_answer(people, bas_case, client):
    client.force_login(people["reviewer_independent"])
    response = client.post(reverse("alert_raise", args=[bas_case.pk]), {"must_act": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Raise an alert" in page
    assert "Enter what the concern is" in page
    assert "Select how serious the concern is" in page
    assert "Select who must act" in page
    assert not Alert.objects.exists()


# The includes: the review page and the home page ------------------------------------------------


def render_review_alerts(review, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "alerts/review_alerts.html", {"review": review, "user": user}, request=request
    )


def test_the_review_page_include_lists_alerts_and_offers_raising_to_the_reviewer(
    raised, bas_case, people
):
    as_reviewer = render_review_alerts(bas_case, people["reviewer_independent"])
    assert raised.reference in as_reviewer
    assert reverse("alert_raise", args=[bas_case.pk]) in as_reviewer
    as_manager = render_review_alerts(bas_case, people["manager"])
    assert raised.reference in as_manager
    assert reverse("alert_raise", args=[bas_case.pk]) not in as_manager
    assert render_review_alerts(bas_case, people["practitioner"]).strip() == ""


def test_the_review_page_include_says_when_there_are_none(people, other_case):
    page = render_review_alerts(other_case, people["reviewer_internal"])
    assert "No alerts have been raised on this review" in page
    assert "Raise an alert" in page


def counts(summary):
    return summary["open"], summary["overdue"]


def test_home_alerts_count_what_each_person_must_act_on(raised, elsewhere, people):
    now = london(2026, 11, 20, 12, 0)
    make_overdue(raised)  # overdue, still with the manager
    assert counts(home_alerts(people["manager"], now)) == (1, 1)
    assert counts(home_alerts(people["qa_lead"], now)) == (2, 1)
    assert counts(home_alerts(people["senior_leader"], now)) == (0, 0)
    assert home_alerts(people["senior_leader"], now)["acts_on_alerts"]
    for person in ["reviewer_independent", "practitioner", "admin", "outsider"]:
        summary = home_alerts(people[person], now)
        assert counts(summary) == (0, 0) and not summary["acts_on_alerts"]

    escalate_overdue_alerts(now=now)
    make_overdue(raised, level=2)
    assert counts(home_alerts(people["senior_leader"], now)) == (1, 1)
    assert counts(home_alerts(people["manager"], now)) == (1, 1)

    acknowledge_alert(alert=raised, by=people["senior_leader"])
    assert counts(home_alerts(people["senior_leader"], now)) == (1, 0)  # open until closed
    close_alert(alert=raised, action_taken="Done.", by=people["senior_leader"])
    assert counts(home_alerts(people["senior_leader"], now)) == (0, 0)
    assert counts(home_alerts(people["qa_lead"], now)) == (1, 0)


def test_home_alerts_list_overdue_first(raised, elsewhere, people):
    make_overdue(elsewhere)
    rows = home_alerts(people["qa_lead"], london(2026, 11, 20, 12, 0))["alerts"]
    assert [row.reference for row in rows] == [elsewhere.reference, raised.reference]
    assert rows[0].status == "Overdue" and rows[1].status == "Awaiting acknowledgement"


def test_the_home_page_include_shows_the_counts_and_the_overdue_warning(raised, people):
    make_overdue(raised)
    page = render_to_string(
        "alerts/home_alerts.html", {"home_alerts": home_alerts(people["manager"])}
    )
    assert "Alerts to act on: 1 open, 1 overdue" in page
    assert "1 alert has not been acknowledged in time" in page
    assert raised.reference in page and reverse("alert_detail", args=[raised.pk]) in page
    assert render_to_string("alerts/home_alerts.html", {}).strip() == ""
