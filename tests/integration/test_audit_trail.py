"""The audit trail (docs/spec/quality.md#audit-trail, security and data protection):

- "a create, update, delete, export and a view of a child's review → exactly the expected events,
  with actor, target, before/after, time";
- "try to alter or delete an audit event through the app → refused".

And the page that searches it (/audit/), for the QA lead and the administrator.
"""

import csv
import datetime
import io
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from practice_review.accounts.models import User, system_actor
from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent, AuditEventIsPermanent
from practice_review.audit.pages import CASE_PAGES, NOT_CASE_NAMESPACES, NOT_CASE_PAGES
from practice_review.reviews import actions
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Cohort, Review
from tests.conftest import PASSWORD, SEED_FILE
from tests.integration.access_world import build_world
from tests.integration.helpers import csv_bytes, seed_rows
from tests.integration.test_running_a_review import GRADES, add_case, post_section
from tests.integration.url_access import ACCESS, kwargs_for, may_use, pick

pytestmark = pytest.mark.django_db

# Signing in and out are the accounts app's events; these tests are about case records.
SIGN_IN_ACTIONS = {"signed_in", "signed_out", "sign_in_failed", "two_factor", "locked_out"}


def events_since(marker):
    return list(
        AuditEvent.objects.filter(id__gt=marker).exclude(action__in=SIGN_IN_ACTIONS).order_by("id")
    )


def last_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def summary(events):
    return [(e.actor_name, e.action, e.target_type, e.target_id) for e in events]


# ------------------------------------------------------------------ a child's review, end to end


@pytest.fixture
def march(cast):
    return actions.create_cohort(
        by=cast["qa_lead"], name="March 2026", period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31), selected_by="Senior leadership team",
        selection_reason="mixed",
    )  # fmt: skip


def test_creating_changing_deleting_exporting_and_viewing_a_review_are_recorded_exactly(
    client, cast, march
):
    """docs/spec/quality.md#audit-trail: a create, update, delete, export and a view of a child's
    review → exactly the expected events, with actor, target, before/after, time."""
    qa_lead, reviewer = cast["qa_lead"], cast["reviewer_independent"]
    client.force_login(qa_lead)
    marker, started = last_id(), timezone.now()

    assert add_case(client, march).status_code == 302  # create: a new child and their review
    review = Review.objects.get(cohort=march)
    client.force_login(reviewer)
    after_create = last_id()
    version = review.section_versions.get("grades", 0)
    assert post_section(client, review, "grades", {**GRADES, "version": version}).status_code == 302
    client.post(
        reverse("review_conversations", args=[review.id]),
        {"held_with": "manager", "held_on": "10/03/2026", "method": "phone",
         "their_words": "Wrong case entirely."},
    )  # fmt: skip
    conversation = review.conversations.get()
    url = reverse("review_remove_item", args=[review.id, "conversations", conversation.id])
    assert client.post(url).status_code == 302  # delete
    assert client.get(reverse("review_document", args=[review.id, "docx"])).status_code == 200
    assert client.get(reverse("review_detail", args=[review.id])).status_code == 200
    finished = timezone.now()

    events = events_since(marker)
    child, r, c = str(review.child_id), str(review.id), str(conversation.id)
    assert summary(events) == [
        ("qa.lead", "created", "child", child),
        ("qa.lead", "created", "review", r),
        ("reviewer.independent", "changed", "review", r),
        ("reviewer.independent", "created", "conversation", c),
        ("reviewer.independent", "deleted", "conversation", c),
        ("reviewer.independent", "exported", "review", r),
        ("reviewer.independent", "viewed", "review", r),
    ]
    assert [e.actor for e in events] == [qa_lead] * 2 + [reviewer] * 5
    assert all(started <= e.at <= finished for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)

    created_child, created_review, changed, added, deleted, exported, viewed = events
    # Who the child is never enters the trail: only that the fields were filled in.
    for field in ("case_ref", "initials", "gender", "date_of_birth"):
        assert created_child.changes[field] == {"changed": True}
    assert created_review.changes["status"] == {"before": None, "after": "assigned"}
    assert created_review.changes["reviewer"] == {
        "before": None,
        "after": review.reviewer_id,
    }
    assert created_review.changes["gender"] == {"changed": True}
    # The update: workflow values before and after, free text only as "changed".
    assert changed.changes == {
        "status": {"before": "assigned", "after": "in_progress"},
        # The grades are in the answers document: their values are kept, their reasons not.
        "answers": {
            "before": {},
            "after": {
                "grades": {
                    "practice": {"grade": "outstanding"},
                    "outcome": {"grade": "requires_improvement"},
                }
            },
        },  # fmt: skip
        "practice_outcome_reason": {"changed": True},
        "section_versions": {"changed": True},
        "version": {"before": 1, "after": 2},
    }
    assert added.changes["their_words"] == {"changed": True}
    assert added.changes["review"] == {"before": None, "after": review.id}
    assert (deleted.changes, deleted.details) == ({}, {})
    assert exported.details == {"format": "docx"}
    assert (viewed.changes, viewed.details) == ({}, {})
    # Each request's events carry its request id (the update is one request, one event).
    assert len({e.request_id for e in events[2:]}) == 5

    stored = " ".join(str(e.changes) + str(e.details) for e in events)
    for words in ("TT", "C5001", "2012-05-02", "Wrong case", "Consistently strong", "female"):
        assert words not in stored, words
    assert last_id() > after_create


def test_a_person_who_is_refused_a_review_leaves_no_view_event(client, cast, seeded):
    """docs/spec/quality.md#audit-trail: only what a person was shown is recorded as viewed."""
    review = Review.objects.filter(child__case_ref="C1008").first()
    client.force_login(cast["outsider"])
    marker = last_id()
    assert client.get(reverse("review_detail", args=[review.id])).status_code == 404
    assert client.post(reverse("review_detail", args=[review.id])).status_code in (404, 405)
    assert events_since(marker) == []


def test_lists_that_show_case_data_are_views_without_a_record_id(client, cast, seeded):
    client.force_login(cast["qa_lead"])
    marker = last_id()
    client.get(reverse("home"))
    client.get(reverse("tracker_export", args=["csv"]))
    assert [(e.action, e.target_type, e.target_id, e.details) for e in events_since(marker)] == [
        ("viewed", "home", "", {}),
        ("exported", "recommendation list", "", {"format": "csv"}),
    ]


def test_one_request_writes_at_most_one_view_event(client, cast, seeded):
    client.force_login(cast["qa_lead"])
    cohort_id = Cohort.objects.first().id
    client.get(reverse("cohort_detail", args=[cohort_id]))
    marker = last_id()
    client.get(reverse("cohort_detail", args=[cohort_id]))
    assert summary(events_since(marker)) == [("qa.lead", "viewed", "cohort", str(cohort_id))]


# ------------------------------------------------------------------ case pages, whatever the method

OTHER_METHODS = ("options", "put", "patch", "delete")


def case_page_urls(cast):
    """(name, person, url) for every page in CASE_PAGES: the first person of the cast who may
    use it, on a record they may act on (url_access.py's table)."""
    for name in CASE_PAGES:
        access = ACCESS[name]
        for user in cast.values():
            if not may_use(access, user.role):
                continue
            if access.object is None:
                yield name, user, reverse(name, kwargs=access.extra or None)
                break
            acting = pick(access, user)[0]
            if acting is not None:
                yield name, user, reverse(name, kwargs=kwargs_for(access, acting))
                break
        else:
            raise AssertionError(f"nobody in the access world may use {name}")


def send(client, method, url):
    """One request whose writes are rolled back; (response, the view events it recorded)."""
    with transaction.atomic():
        marker = last_id()
        response = getattr(client, method)(url)
        recorded = [
            (e.action, e.target_type, e.target_id)
            for e in events_since(marker)
            if e.action in ("viewed", "exported")
        ]
        transaction.set_rollback(True)
    return response, recorded


def test_case_pages_refuse_every_other_method_and_record_nothing(client, cast):
    """Issue 12 item 7: OPTIONS, PUT, PATCH and DELETE to a case page answer 405 with no case data
    in them (the page or file was returned, unrecorded, before)."""
    build_world(cast)
    problems, walked = [], 0
    for name, user, url in case_page_urls(cast):
        client.force_login(user)
        for method in OTHER_METHODS:
            response, recorded = send(client, method, url)
            walked += 1
            if response.status_code != 405 or response.content or recorded:
                problems.append(f"{method.upper()} {url} ({name}): {response.status_code} "
                                f"{len(response.content)} bytes, recorded {recorded}")  # fmt: skip
    assert problems == []
    assert walked == len(OTHER_METHODS) * len(CASE_PAGES)


def test_every_answer_of_a_case_page_that_shows_case_data_is_recorded(client, cast):
    """Issue 12 item 7: GET and HEAD, and a POST to a page with a form (a form with errors shows
    the record too), are recorded whenever they answer with the page; a POST to a page without
    a form is refused (405)."""
    build_world(cast)
    problems, recorded_answers = [], 0
    for name, user, url in case_page_urls(cast):
        client.force_login(user)
        page = CASE_PAGES[name]
        target = page.target_and_details(resolve(url).kwargs)[:2]
        for method in ("get", "head", "post"):
            response, recorded = send(client, method, url)
            status = response.status_code
            if method.upper() not in page.methods:
                if status != 405 or recorded:
                    problems.append(f"{method.upper()} {url}: {status}, recorded {recorded}")
            elif status in (200, 400, 409):
                recorded_answers += 1
                if recorded != [(page.action, *target)]:
                    problems.append(f"{method.upper()} {url}: {status} recorded {recorded}")
            elif recorded:  # a redirect after acting: the change is recorded from history
                problems.append(f"{method.upper()} {url}: {status} recorded {recorded}")
    assert problems == []
    assert recorded_answers >= 2 * len(CASE_PAGES)


def test_case_pages_take_a_post_exactly_when_the_access_table_says_it_is_a_form_post():
    """The audit table's methods agree with url_access.py: a post_only URL takes POST alone."""
    for name, page in CASE_PAGES.items():
        if ACCESS[name].post_only:
            assert page.methods == ("POST",), name
        else:
            assert {"GET", "HEAD"} <= set(page.methods), name


def test_options_on_a_review_document_is_refused_not_a_download(client, cast, seeded):
    """Issue 12 item 7: `OPTIONS /reviews/<id>/document.pdf` as the QA lead returned the file and
    recorded nothing."""
    review = Review.objects.filter(child__case_ref="C1008").first()
    client.force_login(cast["qa_lead"])
    marker = last_id()
    response = client.options(reverse("review_document", args=[review.id, "pdf"]))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.content == b""
    assert events_since(marker) == []


def test_every_url_is_classified_for_the_audit_trail():
    """A new page must say whether opening it is a case view (audit/pages.py)."""
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in NOT_CASE_NAMESPACES:
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    assert names - set(CASE_PAGES) - set(NOT_CASE_PAGES) == set()
    assert set(CASE_PAGES) & set(NOT_CASE_PAGES) == set()
    assert set(CASE_PAGES) - names == set(), "rows for URLs that no longer exist"


# ------------------------------------------------------------------ imports and the command line


def test_an_import_is_one_event_with_its_counts_and_the_acting_user(cast, seeded):
    qa_lead = cast["qa_lead"]
    rows = seed_rows()
    grade = "inadequate" if rows[0]["practice_grade"] != "inadequate" else "good"
    rows[0] = {**rows[0], "practice_grade": grade}
    new = {**rows[1], "child_ref": "N9001", "initials": "NN"}
    marker = last_id()
    with CaptureQueriesContext(connection) as queries:
        result = import_reviews(data=csv_bytes([*rows, new]), file_name="march.csv", by=qa_lead)
    assert result.ok, result.problems
    # One event for the file, and the audit trail costs the import nothing else (no per-row
    # reads or writes): the 50,000-row benchmark stays as fast as it was.
    assert sum("audit_auditevent" in q["sql"] for q in queries.captured_queries) == 1

    (event,) = events_since(marker)
    assert (event.actor, event.action, event.target_type) == (qa_lead, "imported", "importrecord")
    assert event.details == {
        "ok": True,
        "file_name": "march.csv",
        "rows": len(rows) + 1,
        "created": 1,
        "updated": 1,
        "unchanged": len(rows) - 1,
        "template": {"key": "practice_and_impact", "version": 1},
    }
    assert "NN" not in str(event.details) and "N9001" not in str(event.details)


def test_a_refused_import_records_the_attempt_and_the_number_of_problems_only(cast, seeded):
    bad = [{**row, "practice_grade": '=HYPERLINK("x")'} for row in seed_rows()[:3]]
    marker = last_id()
    result = import_reviews(data=csv_bytes(bad), file_name="bad.csv", by=cast["qa_lead"])
    assert not result.ok

    (event,) = events_since(marker)
    assert (event.actor, event.action) == (cast["qa_lead"], "imported")
    assert event.details == {
        "ok": False,
        "file_name": "bad.csv",
        "problems": len(result.problems),
        "template": {"key": "practice_and_impact", "version": 1},
    }
    assert event.changes == {}


def test_an_import_from_the_command_line_is_attributed_to_the_system_actor(db, tmp_path):
    path = tmp_path / "seed.csv"
    path.write_bytes(SEED_FILE.read_bytes())
    call_command("import_reviews", str(path), stdout=io.StringIO())
    system = system_actor()
    assert system.username.startswith("system:")
    # The command's first act is to make the system actor, which is an account change too.
    made, imported = events_since(0)
    assert summary([made]) == [(system.username, "created", "user", str(system.pk))]
    assert (imported.actor, imported.action) == (system, "imported")
    assert imported.details["created"] == 24


def test_a_change_made_outside_a_web_request_is_attributed_to_the_system_actor(actor, seeded):
    """A command that saves without naming a user (escalate-alerts, say) still has an author."""
    july = Cohort.objects.first()
    marker = last_id()
    july.period_end = july.period_end.replace(year=july.period_end.year + 1)
    july.save()
    (event,) = events_since(marker)
    assert (event.actor, event.action, event.target_type) == (actor, "changed", "cohort")
    assert set(event.changes) == {"period_end"}


def test_account_changes_are_recorded_without_secrets(client, cast):
    admin_user = cast["admin"]
    manager = cast["manager"]
    marker = last_id()
    manager.role = "qa_lead"
    manager._history_user = admin_user
    manager.save()
    manager.set_password("a brand new long password 42")
    manager.save()
    (event,) = events_since(marker)
    assert (event.actor, event.action, event.target_type) == (admin_user, "changed", "user")
    assert event.changes == {"role": {"before": "manager", "after": "qa_lead"}}
    assert "password" not in str(AuditEvent.objects.values_list("changes", flat=True))


# ------------------------------------------------------------------ tamper resistance


@pytest.fixture
def event(cast):
    return record(AuditEvent.Action.VIEWED, by=cast["qa_lead"], target_type="review", target_id=1)


def test_the_app_cannot_change_or_delete_an_event(event):
    """docs/spec/quality.md#tamper-resistance: try to alter or delete an audit event through the
    app → refused."""
    event.action = "changed"
    with pytest.raises(AuditEventIsPermanent):
        event.save()
    with pytest.raises(AuditEventIsPermanent):
        event.delete()
    with pytest.raises(AuditEventIsPermanent):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AuditEventIsPermanent):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditEventIsPermanent):
        AuditEvent.objects.bulk_update([event], ["action"])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.target_id) == ("viewed", "1")


def test_the_database_refuses_an_update_whatever_code_asks(event):
    """docs/spec/quality.md#tamper-resistance: a raw SQL UPDATE is refused by a trigger (SQLite and
    PostgreSQL)."""
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'changed' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "viewed"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's DELETE is refused by the app only"
)
def test_postgresql_refuses_a_raw_delete_of_an_event(event):
    """docs/spec/quality.md#tamper-resistance, PostgreSQL (CI's second pass): a raw SQL DELETE is
    refused by the trigger. On SQLite the app refuses it
    (test_the_app_cannot_change_or_delete_an_event): Django's own test teardown deletes rows there,
    so no DELETE trigger can be installed."""
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_django_admin_offers_no_way_to_change_or_delete_an_event(client, event):
    """docs/spec/quality.md#tamper-resistance: even a superuser finds no change or delete in the
    admin."""
    User.objects.create_superuser("root", password=PASSWORD)
    client.login(username="root", password=PASSWORD)
    model_admin = admin.site._registry.get(AuditEvent)
    if model_admin is not None:
        request = type("Request", (), {"user": User.objects.get(username="root")})()
        assert not model_admin.has_change_permission(request, event)
        assert not model_admin.has_delete_permission(request, event)
        assert not model_admin.has_add_permission(request)
    base = f"/admin/audit/auditevent/{event.pk}"
    for url in (f"{base}/change/", f"{base}/delete/"):
        assert client.post(url, {"action": "changed", "post": "yes"}).status_code in (403, 404)
    assert client.post("/admin/audit/auditevent/add/", {"action": "viewed"}).status_code in (
        403,
        404,
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "viewed"


# ------------------------------------------------------------------ the search page


@pytest.fixture
def trail(cast):
    """A few events to search: two people, three kinds of record, over three days."""
    qa_lead, reviewer = cast["qa_lead"], cast["reviewer_independent"]
    review = Review.objects.first()
    made = [
        record("viewed", by=reviewer, target=review),
        record(
            "changed",
            by=reviewer,
            target=review,
            changes={"status": {"before": "assigned", "after": "in_progress"}},
        ),  # fmt: skip
        record(
            "exported", by=qa_lead, target_type="recommendation list", details={"format": "csv"}
        ),  # fmt: skip
        record("viewed", by=qa_lead, target_type="cohort", target_id=review.cohort_id),
    ]
    return made, review


def rows_of(page):
    return re.findall(r'<tr class="govuk-table__row">\s*<td', page)


@pytest.mark.parametrize("person", ["qa_lead", "admin"])
def test_the_qa_lead_and_the_administrator_search_the_trail(client, cast, trail, person):
    made, review = trail
    client.force_login(cast[person])
    marker = last_id()
    page = client.get(reverse("audit_log")).content.decode()
    assert "Audit trail" in page and "reviewer.independent" in page
    assert 'href="/audit/"' in page  # the navigation offers it
    who = client.get(reverse("audit_log"), {"who": "Reviewer.Independent"}).content.decode()
    assert len(rows_of(who)) == 2 and "qa.lead" not in who.split("<tbody")[1]
    what = client.get(reverse("audit_log"), {"action": "exported"}).content.decode()
    assert len(rows_of(what)) == 1 and "recommendation list" in what
    by_record = client.get(reverse("audit_log"), {"record": f"review {review.id}"}).content.decode()
    assert len(rows_of(by_record)) == 2
    assert "status: assigned → in_progress" in by_record
    # The QA lead may open the review; the administrator sees no case data, so no link.
    link = f'href="{reverse("review_detail", args=[review.id])}"'
    assert (link in by_record) == (person == "qa_lead")
    today = timezone.localdate().strftime("%d/%m/%Y")
    dated = client.get(reverse("audit_log"), {"date_from": today, "date_to": today})
    assert f"{AuditEvent.objects.count()} events matching the filters" in dated.content.decode()
    before = client.get(reverse("audit_log"), {"date_to": "01/01/2020"}).content.decode()
    assert "No events match the filters" in before
    # Looking at the trail is not itself a case view.
    assert events_since(marker) == []


@pytest.mark.parametrize(
    "person", ["senior_leader", "reviewer_independent", "practitioner", "manager", "outsider"]
)
def test_no_one_else_may_see_the_trail(client, cast, trail, person):
    client.force_login(cast[person])
    assert client.get(reverse("audit_log")).status_code == 404
    assert client.get(reverse("audit_log_export")).status_code == 404
    assert 'href="/audit/"' not in client.get(reverse("home")).content.decode()


def test_bad_filters_are_explained_in_an_error_summary(client, cast, trail):
    client.force_login(cast["qa_lead"])
    page = client.get(
        reverse("audit_log"),
        {"record": "review twelve!", "action": "hacked", "date_from": "31/02/2025",
         "date_to": "01/01/2020"},
    ).content.decode()  # fmt: skip
    assert "<title>Error:" in page and "govuk-error-summary" in page
    assert "Enter a kind of record and its number, like review 12" in page
    assert "Select what they did from the list" in page
    assert "The date from must be a real date" in page
    assert 'href="#id_record"' in page and not rows_of(page)
    backwards = client.get(
        reverse("audit_log"), {"date_from": "02/01/2025", "date_to": "01/01/2025"}
    )
    assert "The date to must be the same as or after the date from" in backwards.content.decode()


def test_the_trail_is_paged_newest_first(client, cast, settings):
    settings.AUDIT_PAGE_SIZE = 10
    for number in range(1, 26):
        record("viewed", by=cast["qa_lead"], target_type="review", target_id=number)
    client.force_login(cast["admin"])
    first = client.get(
        reverse("audit_log"), {"who": "qa.lead", "action": "viewed"}
    ).content.decode()
    assert len(rows_of(first)) == 10 and 'class="govuk-pagination"' in first
    assert "review 25<" in first and "review 16<" in first and "review 15<" not in first
    assert 'href="?who=qa.lead&amp;action=viewed&amp;page=2"' in first
    last = client.get(reverse("audit_log"), {"who": "qa.lead", "action": "viewed", "page": 3})
    assert len(rows_of(last.content.decode())) == 5 and "review 1<" in last.content.decode()


def test_the_page_makes_the_same_number_of_queries_however_many_events(
    client, cast, seeded, django_assert_max_num_queries
):
    client.force_login(cast["qa_lead"])
    # One event of each kind of record first: links cost one query per kind on the page.
    review = Review.objects.first()
    record("viewed", by=cast["qa_lead"], target=review)
    record("changed", by=cast["qa_lead"], target=review.cohort)
    client.get(reverse("audit_log"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit_log"))
    for review in Review.objects.all():
        for action in ("viewed", "exported"):
            record(action, by=cast["reviewer_independent"], target=review)
        record("changed", by=cast["qa_lead"], target=review.cohort)
    assert AuditEvent.objects.count() > 60
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("audit_log"))


def test_the_csv_download_holds_the_filtered_events_and_no_formulas(client, cast, trail):
    made, review = trail
    record("viewed", by=User(username="=cmd|' /C calc'!A0"), target_type="review", target_id=1)
    record("changed", by=cast["qa_lead"], target_type="cohort", target_id=2,
           changes={"status": {"before": "+1", "after": "@SUM(A1)"}})  # fmt: skip
    client.force_login(cast["qa_lead"])
    response = client.get(reverse("audit_log_export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    filtered = client.get(reverse("audit_log_export"), {"record": f"review {review.id}"})
    rows = list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 2  # the header, and the two events about that review
    # Downloading the trail is itself recorded.
    assert AuditEvent.objects.filter(action="exported", target_type="audit trail").count() == 2
