"""The coverage page (/coverage/): per team and per social worker in the current caseload
extract, their last review and how many of their children were reviewed in the last 12 months
(docs/sampling.md#coverage).

The world is built straight from the models, no importer: two teams, three social workers, a
former worker named only on a review, and a child the extract gives no team or worker. Today is
the real today, so the 12-month edge is checked on the day itself and the day before.
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice_review.accounts.models import StaffMember, Team
from practice_review.core.dates import add_months
from practice_review.core.vocabulary import ReviewStatus
from practice_review.reviews.models import AuditTemplate, Child, Cohort, Review
from practice_review.sampling.models import CaseloadEntry, CaseloadExtract
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/coverage/"
EXPORT_URL = "/coverage/coverage.csv"
TODAY = timezone.localdate()
SINCE = add_months(TODAY, -12)  # the first day of the last 12 months


def long_date(day):
    return f"{day:%-d %B %Y}"


class World:
    """Who is in the extract and what was reviewed, named for the tests."""

    def __init__(self, actor):
        self.cohort = Cohort.objects.create(
            name="Monthly audits", template=AuditTemplate.objects.built_in()
        )
        self.assessment = Team.objects.create(name="Assessment team")
        self.in_care = Team.objects.create(name="Children in care team")
        self.amy = StaffMember.objects.create(name="Amy Adams", initials="AA")
        self.ben = StaffMember.objects.create(name="Ben Brown", initials="BB")
        self.cara = StaffMember.objects.create(name="Cara Cole", initials="CC")
        self.dan = StaffMember.objects.create(name="Dan Dale", initials="DD")  # left the team
        self.extract = CaseloadExtract.objects.create(
            file_name="open-cases.csv", sha256="0" * 64, rows=6, imported_by=actor
        )
        # Amy: one child reviewed on the first day of the last 12 months, one the day before.
        self.edge = self.entry("C1", self.assessment, self.amy)
        self.review(self.edge, SINCE, self.amy)
        self.day_before = self.entry("C2", self.assessment, self.amy)
        self.review(self.day_before, SINCE - timedelta(days=1), self.amy)
        # Ben: his child never reviewed; his last review was of a child not in the extract.
        self.entry("C3", self.assessment, self.ben)
        self.two_years_ago = add_months(TODAY, -24)
        self.review(self.child("C9"), self.two_years_ago, self.ben)
        # Cara: one child's review is assigned but has no review date yet (not counted); the
        # other was reviewed last month, in progress, when Dan was the worker.
        not_yet = self.entry("C4", self.in_care, self.cara)
        self.review(not_yet, TODAY, self.cara, confirmed=False, status=ReviewStatus.ASSIGNED)
        self.last_month = add_months(TODAY, -1)
        self.dans_child = self.entry("C5", self.in_care, self.cara)
        self.review(self.dans_child, self.last_month, self.dan, status=ReviewStatus.IN_PROGRESS)
        # The extract names no team and no worker for this child.
        self.entry("C6", None, None)

    def child(self, case_ref):
        return Child.objects.create(case_ref=case_ref, initials=case_ref, gender="female")

    def entry(self, case_ref, team, worker):
        child = self.child(case_ref)
        CaseloadEntry.objects.create(
            extract=self.extract,
            child=child,
            legal_status="child_in_need",
            team=team,
            social_worker=worker,
        )
        return child

    def review(self, child, day, worker, confirmed=True, status=ReviewStatus.FINAL):
        return Review.objects.create(
            cohort=self.cohort,
            template=self.cohort.template,
            child=child,
            review_date=day,
            review_date_confirmed=confirmed,
            status=status,
            reviewer_type="internal",
            social_worker=worker,
            legal_status="child_in_need",
            gender="female",
        )


@pytest.fixture
def world(actor):
    return World(actor)


@pytest.fixture
def qa_lead(client, db):
    user = make_user("qa.lead", "qa_lead")
    client.force_login(user)
    return client


def table_rows(html, caption):
    """The rows of the table with `caption`, as lists of cell texts (header row left out)."""
    table = re.search(
        rf"<table[^>]*>\s*<caption[^>]*>\s*{re.escape(caption)}\s*</caption>(.*?)</table>",
        html,
        re.S,
    )
    assert table, f"no table captioned {caption!r}"
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", table[1], re.S)[1]
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(
            r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]  # fmt: skip


def test_each_team_and_social_worker_has_their_last_review_and_children_reviewed(world, qa_lead):
    html = qa_lead.get(URL).content.decode()

    assert table_rows(html, "Teams") == [
        ["Not given in the extract", "No review", "0 of 1 (0%)"],
        ["Assessment team", long_date(SINCE), "1 of 3 (33%)"],
        ["Children in care team", long_date(world.last_month), "1 of 2 (50%)"],
    ]
    assert table_rows(html, "Social workers") == [
        ["Ben Brown (BB)", long_date(world.two_years_ago), "0 of 1 (0%)"],
        ["Not given in the extract", "No review", "0 of 1 (0%)"],
        ["Amy Adams (AA)", long_date(SINCE), "1 of 2 (50%)"],
        ["Cara Cole (CC)", "No review", "1 of 2 (50%)"],
    ]
    assert f"on or after {long_date(SINCE)}" in html
    assert "open-cases.csv" in html


def test_the_last_12_months_start_on_the_same_day_a_year_ago(world, qa_lead):
    """A review on that day counts; a review the day before does not."""
    html = qa_lead.get(URL).content.decode()
    amy = [row for row in table_rows(html, "Social workers") if row[0] == "Amy Adams (AA)"]
    assert amy == [["Amy Adams (AA)", long_date(SINCE), "1 of 2 (50%)"]]

    Review.objects.filter(child=world.edge).update(review_date=SINCE - timedelta(days=1))
    html = qa_lead.get(URL).content.decode()
    amy = [row for row in table_rows(html, "Social workers") if row[0] == "Amy Adams (AA)"]
    assert amy == [["Amy Adams (AA)", long_date(SINCE - timedelta(days=1)), "0 of 2 (0%)"]]


def test_only_the_current_extract_is_read(world, qa_lead, actor):
    newer = CaseloadExtract.objects.create(
        file_name="newer.csv", sha256="1" * 64, rows=1, imported_by=actor
    )
    CaseloadEntry.objects.create(
        extract=newer, child=world.dans_child, legal_status="child_in_need",
        team=world.in_care, social_worker=world.dan,
    )  # fmt: skip
    html = qa_lead.get(URL).content.decode()

    assert table_rows(html, "Teams") == [
        ["Children in care team", long_date(world.last_month), "1 of 1 (100%)"]
    ]
    assert table_rows(html, "Social workers") == [
        ["Dan Dale (DD)", long_date(world.last_month), "1 of 1 (100%)"]
    ]


def test_before_any_extract_the_page_says_how_to_get_one(qa_lead):
    response = qa_lead.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "No caseload extract has been uploaded yet" in html
    assert "Caseload" in html
    assert "<table" not in html


def test_the_csv_has_both_tables_with_formula_cells_neutralised(world, qa_lead):
    Team.objects.filter(pk=world.assessment.pk).update(name="=HYPERLINK(1)")
    StaffMember.objects.filter(pk=world.amy.pk).update(name="@SUM(1)", initials="")

    response = qa_lead.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="coverage-{TODAY:%Y-%m-%d}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Table", "Name", "Last review", "Children reviewed in the last 12 months",
        "Children in the extract", "Percentage reviewed",
    ]  # fmt: skip
    assert ["Team", "'=HYPERLINK(1)", SINCE.isoformat(), "1", "3", "33"] in rows
    assert ["Social worker", "'@SUM(1)", SINCE.isoformat(), "1", "2", "50"] in rows
    assert ["Social worker", "Cara Cole (CC)", "", "1", "2", "50"] in rows
    assert len(rows) == 1 + 3 + 4


def test_senior_leaders_see_the_page_and_its_csv(world, client):
    client.force_login(make_user("senior.leader", "senior_leader"))

    assert "Amy Adams (AA)" in client.get(URL).content.decode()
    assert "Amy Adams" in client.get(EXPORT_URL).content.decode("utf-8-sig")


@pytest.mark.parametrize("role", ["practitioner", "manager", "reviewer", "admin"])
def test_other_roles_are_told_the_page_is_not_found(world, client, role):
    client.force_login(make_user(role, role, "Amy Adams"))

    assert client.get(URL).status_code == 404
    assert client.get(EXPORT_URL).status_code == 404


def test_the_navigation_links_to_coverage_for_those_who_may_see_it(world, client):
    client.force_login(make_user("senior.leader", "senior_leader"))
    assert f'href="{URL}"' in client.get("/").content.decode()

    client.force_login(make_user("manager", "manager", "Amy Adams"))
    assert f'href="{URL}"' not in client.get("/").content.decode()


def test_the_number_of_queries_does_not_grow_with_the_workers(world, qa_lead, actor):
    def queries_for(url):
        with CaptureQueriesContext(connection) as captured:
            assert qa_lead.get(url).status_code == 200
        return len(captured)

    before = queries_for(URL), queries_for(EXPORT_URL)
    for number in range(10):
        team = Team.objects.create(name=f"Team {number}")
        worker = StaffMember.objects.create(name=f"Worker {number}")
        child = world.entry(f"N{number}", team, worker)
        world.review(child, TODAY, worker)
    after = queries_for(URL), queries_for(EXPORT_URL)

    assert after == before
