"""Issue 16's browser journey, as a QA lead new to the service would take it: import a caseload
extract (a file with a mistake first, then the corrected one), draw a cohort from it, add a
drawn child with a reviewer, then see coverage (docs/sampling.md, all three parts). axe-core
checks every page on the way.

The extract holds 40 open children under 3 frameworks and 3 teams. Six are children the seed
cohorts reviewed (tests/conftest.py `seeded`): drawn as of 30 September 2025, leaving out 12
months, the three reviewed on or after 30 September 2024 are left out, the three reviewed before
it are not. The places are worked out here by the largest remainder rule, not by draw.py.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.functional.test_journeys import sign_in
from tests.integration.helpers import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEAMS = {
    "child_in_need": ("North Children in Need", ("Ann Worker", "RL"), "Omar Khan"),
    "child_protection": ("South Child Protection", ("Bea Worker", "PA"), "SC"),
    "looked_after": ("Children in Care", ("Cat Worker", "BS"), "BA"),
}
LABELS = {
    "child_in_need": "Child in Need",
    "child_protection": "Child Protection",
    "looked_after": "Child in care (looked after)",
}
# Seeded children (case_ref, initials, gender, framework, review date in the seed cohorts).
SEEDED = [
    ("C1003", "RK", "F", "child_in_need", "15 October 2024"),
    ("C1004", "MA", "M", "child_protection", "22 October 2024"),
    ("C1008", "SY", "M", "looked_after", "14 January 2025"),
    ("C1001", "VB", "M", "looked_after", "17 September 2024"),
    ("C1002", "NO-A", "M", "looked_after", "24 September 2024"),
    ("C09004", "TB", "M", "looked_after", "3 July 2024"),
]
LEFT_OUT = {"C1003", "C1004", "C1008"}  # reviewed on or after 30 September 2024
NEW = [("child_in_need", "N", 15), ("child_protection", "P", 12), ("looked_after", "L", 7)]
SIZE, SEED = 10, 20250930


def extract_rows():
    def row(number, case_ref, initials, gender, framework):
        team, workers, supervisor = TEAMS[framework]
        return {"case_ref": case_ref, "initials": initials, "gender": gender,
                "age": str(3 + number % 14), "legal_status": framework, "team": team,
                "social_worker": workers[number % 2], "supervisor": supervisor}  # fmt: skip

    rows = [row(n, ref, initials, gender, framework)
            for n, (ref, initials, gender, framework, _) in enumerate(SEEDED)]  # fmt: skip
    for framework, prefix, count in NEW:
        rows += [row(n, f"X{prefix}{n:02}", "ZZ", "MF"[n % 2], framework)
                 for n in range(count)]  # fmt: skip
    return rows


def largest_remainder(eligible, size):
    """docs/sampling.md, "How the places are shared", in whole numbers."""
    total = sum(eligible.values())
    places = {key: size * count // total for key, count in eligible.items()}
    left = size - sum(places.values())
    order = sorted(eligible, key=lambda key: (-(size * eligible[key] % total), -eligible[key], key))
    for key in order[:left]:
        places[key] += 1
    return places


def test_the_qa_lead_goes_from_an_extract_to_a_drawn_cohort_and_its_coverage(
    drive, cast, axe, screenshot, tmp_path
):
    rows = extract_rows()
    assert len(rows) == 40
    extract_file = tmp_path / "caseload-september.csv"
    extract_file.write_bytes(csv_bytes(rows))
    bad_file = tmp_path / "caseload-first-try.csv"
    bad_file.write_bytes(csv_bytes([{**rows[0], "legal_status": "adopted"}, *rows[1:]]))
    population = {key: sum(r["legal_status"] == key for r in rows) for key in TEAMS}
    eligible = {
        key: sum(r["legal_status"] == key and r["case_ref"] not in LEFT_OUT for r in rows)
        for key in TEAMS
    }
    places = largest_remainder(eligible, SIZE)
    assert places == {"child_in_need": 4, "child_protection": 3, "looked_after": 3}
    assert min(places.values()) >= 1  # so the "at least one each" rule changes nothing here

    def journey(page):
        sign_in(page, "qa.lead")
        page.get_by_role("link", name="Caseload").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
        axe(page)
        page.get_by_role("button", name="Import a caseload extract").click()
        axe(page)
        page.get_by_label("Upload a caseload extract").set_input_files(bad_file)
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_title(re.compile(r"^Error: Import a caseload extract"))
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "row 2, column legal_status: got 'adopted'"
        )
        axe(page)
        page.get_by_label("Upload a caseload extract").set_input_files(extract_file)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
        added = page.get_by_role("table", name="Staff the service does not know yet")
        expect(added.locator("tbody tr")).to_have_count(4)  # Ann, Bea, Cat and Omar
        axe(page)
        screenshot(page, "caseload-check")
        page.get_by_role("button", name="Confirm and import").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Imported a caseload extract of 40 children: 6 already known, 34 new."
        )
        expect(page.get_by_role("table").locator("tbody tr").first).to_contain_text("Current")
        axe(page)
        screenshot(page, "caseload-extracts")

        page.get_by_role("button", name="Draw a cohort").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Draw a cohort")
        axe(page)
        page.get_by_label("How many children").fill(str(SIZE))
        page.get_by_label("Legal or practice framework").check()
        page.get_by_label("Leave out children reviewed in the last (months)").fill("12")
        page.get_by_label("Draw first the children of social workers").check()
        page.get_by_label("Date to draw as of").fill("30/09/2025")
        page.get_by_label("Seed").fill(str(SEED))
        page.get_by_role("button", name="Preview the draw").click()
        table = page.get_by_role("table", name="Places in each group")
        expect(table.locator("tbody tr")).to_have_count(3)
        for key, label in LABELS.items():
            cells = table.locator("tbody tr", has_text=label).locator("th, td")
            expect(cells).to_have_text(
                [label, str(population[key]), str(eligible[key]), str(places[key])]
            )
        drawn = page.get_by_role("table", name="Children drawn")
        expect(drawn.locator("tbody tr")).to_have_count(SIZE)
        page.locator("summary", has_text="Children left out").click()
        left_out = page.get_by_role("table", name="Children left out")
        expect(left_out.locator("tbody tr")).to_have_count(len(LEFT_OUT))
        for case_ref, *_, reviewed in SEEDED:
            if case_ref in LEFT_OUT:
                expect(left_out.locator("tr", has_text=case_ref)).to_contain_text(
                    f"Reviewed on {reviewed}"
                )
            else:
                expect(left_out).not_to_contain_text(case_ref)
        axe(page)
        screenshot(page, "draw-preview")
        page.get_by_label("Name of the new cohort").fill("October 2025 audit")
        page.get_by_role("button", name="Create the cohort").click()

        expect(page.get_by_role("heading", level=1)).to_contain_text("October 2025 audit")
        expect(page.get_by_role("heading", name="How this cohort was drawn")).to_be_visible()
        how = page.locator(".govuk-summary-list", has_text="Drawn as of")
        expect(how).to_contain_text("30 September 2025")
        expect(how).to_contain_text(str(SEED))
        expect(how).to_contain_text("(40 children)")
        to_add = page.get_by_role("table", name="Children drawn and not yet added")
        expect(to_add.locator("tbody tr")).to_have_count(SIZE)
        axe(page)
        screenshot(page, "drawn-cohort")
        first_ref = to_add.locator("tbody tr th").first.inner_text()
        to_add.get_by_role("link", name="Add with a reviewer").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Add a child's case and assign a reviewer"
        )
        expect(page.get_by_label("Case reference")).to_have_value(first_ref)
        axe(page)
        page.get_by_label("Reviewer", exact=True).select_option(
            label="Independent Associate – reviewer"
        )
        page.get_by_role("group", name="Type of reviewer").get_by_label("Independent").check()
        page.get_by_label("Date the review is due").fill("31/10/2025")
        page.get_by_role("button", name="Add case and assign").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "case added and assigned to Independent Associate"
        )
        expect(page.get_by_role("table", name="Children drawn and not yet added").locator(
            "tbody tr"
        )).to_have_count(SIZE - 1)  # fmt: skip
        axe(page)

        page.get_by_role("link", name="Coverage", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Coverage: who has been reviewed")
        teams = page.get_by_role("table", name="Teams")
        expect(teams.locator("tbody tr", has_text="North Children in Need")).to_contain_text(
            re.compile(r"\d+ of 16 \(\d+%\)")
        )
        axe(page)

    drive(journey)
