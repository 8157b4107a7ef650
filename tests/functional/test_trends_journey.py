"""Issue 17's browser journey: a senior leader opens Trends, widens the date range, looks at one
team, downloads the CSV and reads the equity lens; axe-core checks every state of the page, at
desktop width and on a 320 pixel wide screen.

Besides the seed cohorts (July and September 2024, each under 20 reviews), three later cohorts
of 24 reviews each are imported from the seed file with their dates moved on, so the default
range (the last 24 months) has a trend and the whole range has five cohorts."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practice_review.accounts.models import StaffMember, Team
from practice_review.core.dates import add_months
from practice_review.reviews.importing import import_reviews
from tests.functional.conftest import SCREENS
from tests.functional.test_journeys import sign_in
from tests.integration.helpers import csv_bytes, seed_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEAM = "North Children in Need"
REGIONS_SETTLED = """() => [...document.querySelectorAll('.app-table-scroll')].every(
    (region) => (region.scrollWidth > region.clientWidth) === region.hasAttribute('tabindex'))"""
# (name, months before today of its reviews, practice grades lowered to requires improvement)
LATER_COHORTS = [("Spring audit", 20, 6), ("Autumn audit", 14, 3), ("Latest audit", 3, 1)]


CSV_LINK = "Every cohort’s figures, and each group’s in each cohort, as a spreadsheet (CSV)"


def import_later_cohorts(actor):
    today = timezone.localdate()
    rows = []
    for name, months_ago, lowered in LATER_COHORTS:
        start = add_months(today, -months_ago)
        for place, row in enumerate(seed_rows()):
            rows.append({**row, "cohort": name,
                         "review_date": (start + datetime.timedelta(days=place)).isoformat(),
                         "practice_grade": "requires_improvement" if place < lowered
                         else row["practice_grade"]})  # fmt: skip
    result = import_reviews(data=csv_bytes(rows), file_name="later.csv", by=actor)
    assert result.ok, [str(problem) for problem in result.problems]


def test_a_senior_leader_reads_the_trends_filters_them_and_downloads_the_csv(
    drive, cast, actor, axe, screenshot, tmp_path
):
    import_later_cohorts(actor)
    StaffMember.objects.filter(name="RL").update(team=Team.objects.create(name=TEAM))
    downloaded = {}

    def rows(page):
        return page.locator('[data-table="cohorts"] tbody tr')

    def journey(page):
        sign_in(page, "senior.leader")
        page.get_by_role("link", name="Trends", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Trends")
        # The last 24 months: the three later cohorts, oldest first, with their charts.
        expect(rows(page)).to_have_count(3)
        expect(rows(page).first).to_contain_text("Spring audit")
        expect(page.locator("[data-chart] img")).to_have_count(2)
        axe(page)

        # All five cohorts: the seed cohorts are small, and say so in words.
        page.get_by_label("From date").fill("1/1/2024")
        page.get_by_role("button", name="Show trends").click()
        expect(rows(page)).to_have_count(5)
        expect(rows(page).first).to_contain_text("July 2024 Practice Assurance Fortnight")
        expect(rows(page).first).to_contain_text("Fewer than 20 reviews")
        assert "date_from=1%2F1%2F2024" in page.url
        axe(page)
        screenshot(page, "trends-desktop")
        page.set_viewport_size({"width": 320, "height": 640})
        # The tables' scroll regions take their tab stops back once their observer has run.
        page.wait_for_function(REGIONS_SETTLED)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        axe(page)
        screenshot(page, "trends-320")
        page.set_viewport_size({"width": 1280, "height": 900})

        # One team: RL's reviews only.
        page.get_by_label("Social worker's team").select_option(label=TEAM)
        page.get_by_role("button", name="Show trends").click()
        expect(page.get_by_text(f"reviews of social workers in {TEAM}")).to_be_visible()
        first_reviews = rows(page).first.locator('[data-figure="reviews"]')
        expect(first_reviews).not_to_have_text("14")
        axe(page)

        # The CSV counts what the page shows.
        with page.expect_download() as download:
            page.get_by_role("link", name=CSV_LINK).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        downloaded["name"] = download.value.suggested_filename
        downloaded["rows"] = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
        downloaded["reviews"] = first_reviews.inner_text()

        # Each chart as a picture for slides, over the same team (kept for a person to look at).
        for name, link in (("grades", "Chart of grades good or better (PNG)"),
                           ("standards", "Chart of practice standards met (PNG)")):  # fmt: skip
            with page.expect_download() as picture:
                page.get_by_role("link", name=link).click()
            picture.value.save_as(SCREENS / f"trends-{name}.png")
            downloaded[name] = picture.value.suggested_filename

        # The equity lens: a table for each group of children, and what is withheld.
        expect(page.get_by_role("heading", name="Equity lens", exact=False)).to_be_visible()
        expect(page.get_by_role("heading", name="Gender", exact=True)).to_be_visible()
        expect(page.get_by_role("table", name="Gender: good or better by group")).to_be_visible()

    drive(journey)
    today = timezone.localdate()
    assert downloaded["name"] == f"trends-2024-01-01-to-{today.isoformat()}.csv"
    for name in ("grades", "standards"):
        assert downloaded[name] == f"trends-{name}-2024-01-01-to-{today.isoformat()}.png"
        assert (SCREENS / f"trends-{name}.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    header, *lines = downloaded["rows"]
    assert header[:4] == ["cohort", "first_review", "last_review", "series"]
    reviews = [line for line in lines if line[0].startswith("July") and line[5] == "reviews"
               and line[3] == "all"]  # fmt: skip
    assert reviews and reviews[0][6] == downloaded["reviews"]
