"""Importing the caseload extract (docs/sampling.md#the-caseload-extract): matched to the
children, staff and teams the service knows, all or nothing, attributed and audited, at the
command line and at the QA lead's pages."""

import io
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice_review.accounts.models import StaffMember, Team
from practice_review.audit.models import AuditEvent
from practice_review.core.uploads import claim_held_upload, hold_upload
from practice_review.reviews.models import Child
from practice_review.sampling.actions import import_extract
from practice_review.sampling.models import CaseloadEntry, CaseloadExtract
from tests.integration.helpers import csv_bytes

pytestmark = pytest.mark.django_db


def extract_rows():
    return [
        {"case_ref": "CL-1", "initials": "AB", "date_of_birth": "2014-05-06", "gender": "F",
         "ethnicity": "White British", "legal_status": "CIN", "team": "North Children in Need",
         "social_worker": "Jane Smith", "supervisor": "Omar Khan", "open_date": "2025-01-02",
         "uasc": "no"},
        {"case_ref": "CL-2", "initials": "CD", "date_of_birth": "", "age": "15", "gender": "M",
         "ethnicity": "", "legal_status": "LAC", "team": "north children in need",
         "social_worker": "jane  smith", "supervisor": "", "open_date": "", "uasc": "yes"},
    ]  # fmt: skip


def counts():
    models = [CaseloadExtract, CaseloadEntry, Child, StaffMember, Team]
    return {model.__name__: model.objects.count() for model in models} | {
        "child history": Child.history.count()
    }


def test_an_extract_adds_its_children_staff_and_teams_and_becomes_current(actor):
    result = import_extract(by=actor, data=csv_bytes(extract_rows()), file_name="march.csv")

    assert result.ok, [str(p) for p in result.problems]
    assert (result.rows, result.known_children, result.new_children) == (2, 0, 2)
    assert [person.name for person in result.added_staff] == ["Jane Smith", "Omar Khan"]
    assert result.new_teams == ["North Children in Need"]
    extract = CaseloadExtract.objects.current()
    assert extract == result.extract and (extract.rows, extract.imported_by) == (2, actor)
    first, second = extract.entries.order_by("child__case_ref")
    assert (first.legal_status, second.legal_status) == ("child_in_need", "looked_after")
    assert first.team == second.team == Team.objects.get(name="North Children in Need")
    assert first.social_worker == second.social_worker == StaffMember.objects.get(name="Jane Smith")
    assert (first.supervisor.name, second.supervisor) == ("Omar Khan", None)
    assert (str(first.open_date), first.age_years, second.age_years) == ("2025-01-02", None, 15)
    child = Child.objects.get(case_ref="CL-1")
    assert (child.initials, child.gender, str(child.date_of_birth)) == (
        "AB",
        "female",
        "2014-05-06",
    )
    assert (child.ethnicity, child.uasc) == ("White British", False)
    # New children are made with history, attributed to the importer.
    assert child.history.get().history_user == actor


def test_a_known_child_is_matched_by_case_reference_and_left_as_recorded(actor):
    child = Child.objects.create(case_ref="CL-1", initials="ab", gender="female", ethnicity="X")
    team = Team.objects.create(name="North Children in Need")

    result = import_extract(by=actor, data=csv_bytes(extract_rows()), file_name="march.csv")

    assert (result.known_children, result.new_children, result.new_teams) == (1, 1, [])
    entry = CaseloadEntry.objects.get(child__case_ref="CL-1")
    assert (entry.child, entry.team) == (child, team)
    child.refresh_from_db()
    assert child.ethnicity == "X"  # the extract changes no child's details
    assert Child.objects.count() == 2 and Team.objects.count() == 1


def test_a_known_child_with_other_initials_or_gender_refuses_the_extract(actor):
    Child.objects.create(case_ref="CL-1", initials="ZZ", gender="male")
    before = counts()

    result = import_extract(by=actor, data=csv_bytes(extract_rows()), file_name="march.csv")

    assert [str(p) for p in result.problems] == [
        "row 2, column initials: got 'AB'; expected 'ZZ', as already recorded for case_ref 'CL-1'",
        "row 2, column gender: got 'female'; expected 'male', as already recorded for case_ref "
        "'CL-1'",
    ]
    assert counts() == before


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(actor):
    rows = extract_rows() + [{**extract_rows()[0], "case_ref": "CL-3", "gender": "?"}]
    rows += [{**extract_rows()[0], "legal_status": "unknown"}]
    before = counts()

    result = import_extract(by=actor, data=csv_bytes(rows), file_name="march.csv")

    assert [(p.row, p.column) for p in result.problems] == [(4, "gender"), (5, "legal_status")]
    assert counts() == before
    refused = AuditEvent.objects.get(action=AuditEvent.Action.IMPORTED)
    assert refused.details == {
        "ok": False, "kind": "caseload extract", "file_name": "march.csv", "problems": 2
    }  # fmt: skip


def test_the_import_is_one_audit_event_with_counts_and_no_personal_data(actor):
    result = import_extract(by=actor, data=csv_bytes(extract_rows()), file_name="march.csv")

    (event,) = AuditEvent.objects.exclude(target_type="user")  # the actor's own account
    assert (event.action, event.actor, event.target_type, event.target_id) == (
        AuditEvent.Action.IMPORTED, actor, "caseloadextract", str(result.extract.pk)
    )  # fmt: skip
    assert event.details == {"ok": True, "file_name": "march.csv", "rows": 2,
                             "new_children": 2, "added_staff": 2, "new_teams": 1}  # fmt: skip


def test_the_same_file_again_is_a_new_current_extract_and_the_old_one_is_kept(actor):
    data = csv_bytes(extract_rows())
    first = import_extract(by=actor, data=data, file_name="march.csv").extract
    again = import_extract(by=actor, data=data, file_name="march.csv")

    assert (again.known_children, again.new_children, again.added_staff) == (2, 0, [])
    assert CaseloadExtract.objects.current() == again.extract != first
    assert list(CaseloadExtract.objects.all()) == [again.extract, first]
    assert first.entries.count() == again.extract.entries.count() == 2
    assert again.extract.sha256 == first.sha256
    assert Child.objects.count() == 2 and StaffMember.objects.count() == 2


def test_a_staff_name_matching_two_people_refuses_the_extract(actor):
    StaffMember.objects.create(name="Jane Smith", initials="JS")
    StaffMember.objects.create(name="Jo Swift", initials="JS")
    rows = [{**extract_rows()[0], "social_worker": "JS"}]

    result = import_extract(by=actor, data=csv_bytes(rows), file_name="march.csv")

    assert [str(p) for p in result.problems] == [
        "row 2, column social_worker: got 'JS'; expected one member of staff "
        "(it matches Jane Smith (JS), Jo Swift (JS))"
    ]
    assert not CaseloadExtract.objects.exists()


def test_a_social_worker_the_extract_adds_gets_the_team_of_their_first_row(actor):
    rows = [
        {**extract_rows()[0], "team": ""},
        {**extract_rows()[1], "team": "East Disabled Children"},
        {**extract_rows()[0], "case_ref": "CL-3", "team": "North Children in Need"},
    ]

    assert import_extract(by=actor, data=csv_bytes(rows), file_name="march.csv").ok

    worker = StaffMember.objects.get(name="Jane Smith")
    assert worker.team.name == "East Disabled Children"
    assert worker.history.count() == 1  # made with the team, not changed after
    # A supervisor may look after workers of several teams, so is given none.
    assert StaffMember.objects.get(name="Omar Khan").team is None


def test_a_known_social_worker_gets_a_team_only_if_they_had_none(actor):
    south = Team.objects.create(name="South")
    placed = StaffMember.objects.create(name="Jane Smith", team=south)
    unplaced = StaffMember.objects.create(name="Ravi Patel")
    rows = [
        extract_rows()[0],
        {**extract_rows()[1], "initials": "EF", "case_ref": "CL-9", "social_worker": "ravi patel"},
    ]

    assert import_extract(by=actor, data=csv_bytes(rows), file_name="march.csv").ok

    placed.refresh_from_db()
    unplaced.refresh_from_db()
    assert placed.team == south
    assert unplaced.team.name == "North Children in Need"
    assert unplaced.history.latest().history_user == actor


def many_rows(number):
    teams = ["North", "South", "East", "West", "Disabled Children"]
    return [
        {"case_ref": f"BIG-{i}", "initials": "AB", "age": str(i % 18), "gender": "MF"[i % 2],
         "legal_status": ["CIN", "CP", "LAC", "Care leaver"][i % 4], "team": teams[i % 5],
         "social_worker": f"Worker {i % 400}", "supervisor": f"Manager {i % 40}"}
        for i in range(number)
    ]  # fmt: skip


def test_the_queries_of_an_import_do_not_grow_with_its_rows(actor):
    def queries_for(number, name):
        with CaptureQueriesContext(connection) as captured:
            assert import_extract(by=actor, data=csv_bytes(many_rows(number)), file_name=name).ok
        return len(captured)

    # The second import of each size adds nobody, so only the rows differ.
    queries_for(50, "a.csv")
    queries_for(1000, "b.csv")
    assert queries_for(1000, "c.csv") - queries_for(50, "d.csv") <= 10


@pytest.mark.slow
def test_twenty_thousand_children_import_in_reasonable_time(actor):
    data = csv_bytes(many_rows(20_000))
    started = time.perf_counter()
    result = import_extract(by=actor, data=data, file_name="big.csv")
    seconds = time.perf_counter() - started
    assert result.ok and CaseloadEntry.objects.count() == 20_000
    print(f"20,000 children imported in {seconds:.1f} s")  # noqa: T201
    assert seconds < 60


# ---------------------------------------------------------------------------- the command line


def test_the_command_imports_and_attributes_the_extract(actor, tmp_path):
    path = tmp_path / "march.csv"
    path.write_bytes(csv_bytes(extract_rows()))
    out = io.StringIO()

    call_command("caseload", "import", str(path), stdout=out)

    assert out.getvalue().splitlines()[0] == (
        "Imported a caseload extract of 2 children: 0 already known, 2 new."
    )
    assert CaseloadExtract.objects.current().imported_by == actor


def test_the_command_refuses_a_bad_file_with_a_line_per_problem_and_exit_1(actor, tmp_path):
    path = tmp_path / "march.csv"
    path.write_bytes(csv_bytes([{**row, "gender": "?"} for row in extract_rows()]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing imported: 2 problems in march.csv") as raised:
        call_command("caseload", "import", str(path), stderr=err)

    assert raised.value.returncode == 1
    assert [line.split(":")[0] for line in err.getvalue().splitlines()] == [
        "row 2, column gender", "row 3, column gender"
    ]  # fmt: skip
    assert not CaseloadExtract.objects.exists()


@pytest.mark.parametrize("by", ["nobody.here", None])
def test_the_command_exits_2_for_an_unknown_user_or_file(actor, tmp_path, by):
    path = tmp_path / "march.csv"
    if by:
        path.write_bytes(csv_bytes(extract_rows()))
    arguments = ["--by", by] if by else []
    with pytest.raises(CommandError) as raised:
        call_command("caseload", "import", str(path), *arguments)
    assert raised.value.returncode == 2
    assert not CaseloadExtract.objects.exists()


# ---------------------------------------------------------------------------- the pages


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def upload(client, data, name="march.csv"):
    return client.post(reverse("caseload_import"), {"file": SimpleUploadedFile(name, data)})


def test_the_qa_lead_checks_then_imports_an_extract(client, cast):
    client.force_login(cast["qa_lead"])
    before = counts()

    checked = upload(client, csv_bytes(extract_rows()))

    page = text_of(checked)
    assert "<title>Check before importing" in page
    plan = checked.context["plan"]
    assert (plan.rows, plan.known_children, plan.new_children) == (2, 0, 2)
    assert re.search(r"Open children</dt> <dd[^>]*>2</dd>", page)
    assert "North Children in Need" in page and "Jane Smith" in page
    assert counts() == before  # nothing written before Confirm

    imported = client.post(
        reverse("caseload_import_confirm"), {"token": checked.context["token"]}, follow=True
    )

    listed = text_of(imported)
    assert "Imported a caseload extract of 2 children: 0 already known, 2 new." in listed
    assert "march.csv" in listed and "Current" in listed
    assert CaseloadExtract.objects.current().imported_by == cast["qa_lead"]


def test_an_extract_with_problems_lists_them_in_the_error_summary(client, cast):
    client.force_login(cast["qa_lead"])
    rows = [{**extract_rows()[0], "legal_status": "unknown"}]

    response = upload(client, csv_bytes(rows))

    page = text_of(response)
    assert "<title>Error: Import a caseload extract" in page
    assert "The extract was not imported: fix 1 problem" in page
    assert "row 2, column legal_status: got &#x27;unknown&#x27;" in page
    assert not CaseloadExtract.objects.exists()


def test_the_caseload_page_marks_the_current_extract(client, cast, actor):
    import_extract(by=actor, data=csv_bytes(extract_rows()), file_name="january.csv")
    import_extract(by=actor, data=csv_bytes(extract_rows()[:1]), file_name="march.csv")
    client.force_login(cast["qa_lead"])

    page = text_of(client.get(reverse("caseload")))

    assert page.index("march.csv") < page.index("Current") < page.index("january.csv")
    assert page.index("january.csv") < page.index("Replaced")


def test_only_the_qa_lead_sees_the_caseload_link(client, cast):
    for name, user in cast.items():
        client.force_login(user)
        links = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
        assert ("Caseload" in links) == (name == "qa_lead"), name


# ---------------------------------------------------------------------------- personal data


def test_the_subject_access_export_holds_the_childs_caseload_entries_and_nobody_elses(actor):
    from practice_review.data_protection.subject_access import collect

    import_extract(by=actor, data=csv_bytes(extract_rows()), file_name="march.csv")
    child = Child.objects.get(case_ref="CL-2")  # in an extract, never reviewed

    files = collect(child)

    entries = files["caseload_entries.json"]
    assert [entry["fields"]["child"] for entry in entries] == [child.pk]
    assert entries[0]["fields"]["legal_status"] == "looked_after"
    assert [member["fields"]["name"] for member in files["staff.json"]] == ["Jane Smith"]


def test_a_token_held_for_a_review_file_import_is_not_an_extract(client, cast):
    """core/uploads.py: a held upload names the import it is for; another import's confirmation
    refuses it and leaves it to its own (the person's own token, posted to the wrong place)."""
    client.force_login(cast["qa_lead"])
    review_file = csv_bytes(extract_rows())  # `child_ref` is an alias of `case_ref` here too
    details = {"file_name": "march.csv", "cohort": "", "template": None}
    token = hold_upload(review_file, user_id=cast["qa_lead"].pk, kind="review_file",
                        details=details)  # fmt: skip
    before = counts()
    refused = client.post(reverse("caseload_import_confirm"), {"token": token}, follow=True)
    assert "This import could not be confirmed" in text_of(refused)
    assert counts() == before
    held = claim_held_upload(token, user_id=cast["qa_lead"].pk, kind="review_file")
    assert held.data == review_file  # still there for the review import
