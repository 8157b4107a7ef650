"""Journeys through the service in a real Chromium, with axe-core on every page we pass.

Each test does its database work first (fixtures, ids to visit), then drives the browser
through `drive(journey)`; see conftest.py for why the browser lives in a thread of its own.
"""

import re

import pytest
from playwright.sync_api import expect

from practice_review.reviews.models import Review
from tests.conftest import JULY, PASSWORD, SEPTEMBER
from tests.functional.conftest import enter_second_factor
from tests.integration.helpers import csv_bytes, seed_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page):
    """A short description of the focused element: its tag, id and class."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}#${e.id}.${e.className}`; }"
    )


def sign_in(page, username, password=PASSWORD):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if password == PASSWORD:
        enter_second_factor(page, username)


def expect_styled_and_scripted(page):
    """The GOV.UK stylesheet and JavaScript both arrived (a bare page would still 'work')."""
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    styled, plain = page.evaluate(
        """() => {
            const plain = document.createElement('button');
            document.body.append(plain);
            const colours = [document.querySelector('.govuk-footer, .govuk-button'), plain]
                .map((e) => getComputedStyle(e).backgroundColor);
            plain.remove();
            return colours;
        }"""
    )
    assert styled not in (plain, "rgba(0, 0, 0, 0)"), "the GOV.UK stylesheet did not load"
    # The council's GOV.UK build uses Arial, not GDS Transport (which is GOV.UK's own).
    font = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font == "arial, sans-serif", font


def test_the_qa_lead_signs_in_with_the_keyboard_and_reads_a_review(drive, cast, axe, screenshot):
    def journey(page):
        page.goto("/sign-in/")
        expect(page).to_have_title(re.compile(r"^Sign in – Practice Review"))
        expect_styled_and_scripted(page)
        axe(page)
        screenshot(page, "sign-in")

        # Keyboard only from here to the home page. Tab to the username field from wherever
        # focus starts (the next test checks where that is), then type, Tab, type, Enter.
        for _ in range(6):
            if focused(page).startswith("input#id_username"):
                break
            page.keyboard.press("Tab")
        expect(page.get_by_label("Username")).to_be_focused()
        page.keyboard.type("qa.lead")
        page.keyboard.press("Tab")
        expect(page.get_by_label("Password")).to_be_focused()
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")

        # The second factor, by keyboard too: Tab to the code field, type, Enter.
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
        axe(page)
        enter_second_factor(page, "qa.lead", keyboard=True)

        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Home")
        cohorts = page.get_by_role("table", name="Cohorts you can see")
        expect(cohorts.get_by_role("link", name=SEPTEMBER)).to_be_visible()
        expect(cohorts.get_by_role("link", name=JULY)).to_be_visible()
        september_row = cohorts.locator("tr").filter(has_text=SEPTEMBER)
        expect(september_row).to_contain_text("8 of 10 (80%)")
        expect_styled_and_scripted(page)
        axe(page)
        screenshot(page, "home")

        cohorts.get_by_role("link", name=SEPTEMBER).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(SEPTEMBER)
        reviews = page.get_by_role("table", name="Reviews")
        expect(reviews.locator("tbody tr")).to_have_count(10)
        axe(page)
        screenshot(page, "cohort")

        first_review = reviews.get_by_role("link").first
        initials = first_review.evaluate("a => a.firstChild.textContent.trim()")
        first_review.click()
        expect(page).to_have_url(re.compile(r"/reviews/\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text(initials)
        expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(SEPTEMBER)
        axe(page)
        screenshot(page, "review")

        page.get_by_role("link", name="Accessibility statement").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
        axe(page)

        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/sign-in/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Practice Review")
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))

    drive(journey)


def test_the_first_tab_on_the_sign_in_page_reaches_the_skip_link(drive, db):
    def journey(page):
        page.goto("/sign-in/")
        page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")
        assert focused(page).startswith("body"), f"focus starts on {focused(page)}"
        page.keyboard.press("Tab")
        assert "govuk-skip-link" in focused(page), focused(page)
        expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()
        page.keyboard.press("Enter")
        assert focused(page).startswith("main#main-content"), focused(page)
        page.keyboard.press("Tab")
        expect(page.get_by_label("Username")).to_be_focused()

    drive(journey)


def test_a_wrong_password_shows_the_error_summary_and_focuses_it(drive, cast, axe):
    def journey(page):
        sign_in(page, "qa.lead", "not the password")
        expect(page).to_have_title(re.compile(r"^Error: Sign in"))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("There is a problem")
        expect(summary).to_contain_text("Enter a correct username and password")
        # GOV.UK Frontend moves focus to the error summary once its module has started.
        page.wait_for_function(
            "() => document.activeElement?.closest('.govuk-error-summary') !== null",
            timeout=5_000,
        )
        axe(page)

        # With both fields blank, each error links to its field and the link focuses it.
        page.get_by_label("Username").fill("")
        page.get_by_label("Password").fill("")
        page.get_by_role("button", name="Sign in").click()
        summary.get_by_role("link", name="Enter your username").click()
        expect(page.get_by_label("Username")).to_be_focused()
        axe(page)

    drive(journey)


def test_the_qa_lead_imports_a_bad_file_then_checks_and_confirms_a_good_one(
    drive, cast, axe, screenshot, tmp_path
):
    rows = seed_rows()
    rows[0]["gender"] = "Robot"
    rows[5]["outcome_grade"] = "Brilliant"
    bad_file = tmp_path / "two-bad-rows.csv"
    bad_file.write_bytes(csv_bytes(rows))
    good_file = tmp_path / "march.csv"
    good_row = {**seed_rows()[0], "cohort": "March 2025", "review_date": "2025-03-03"}
    good_file.write_bytes(csv_bytes([{**good_row, "social_worker": "Jane Smith"}]))

    def journey(page):
        sign_in(page, "qa.lead")
        page.get_by_role("link", name="Import reviews").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Import reviews")
        axe(page)

        page.get_by_label("Upload a review file").set_input_files(bad_file)
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_title(re.compile(r"^Error: Import reviews"))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("The file was not imported: fix 2 problems")
        problems = summary.locator(".govuk-error-summary__list li")
        expect(problems).to_have_count(2)
        expect(problems.nth(0)).to_contain_text("row 2, column gender: got 'Robot'")
        expect(problems.nth(1)).to_contain_text("row 7, column outcome_grade: got 'Brilliant'")
        page.wait_for_function(
            "() => document.activeElement?.closest('.govuk-error-summary') !== null",
            timeout=5_000,
        )
        axe(page)
        screenshot(page, "import-with-errors")

        page.get_by_label("Upload a review file").set_input_files(good_file)
        page.get_by_role("button", name="Continue").click()
        # Nothing is imported yet: the check names the one member of staff it would add.
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
        added = page.get_by_role("table", name="Staff the service does not know yet")
        expect(added.locator("tbody tr")).to_have_count(1)
        expect(added.locator("tbody tr")).to_contain_text("Jane Smith")
        expect(added.locator("tbody tr")).to_contain_text("Social worker")
        axe(page)
        screenshot(page, "import-check")
        page.get_by_role("button", name="Confirm and import").click()
        expect(page).to_have_url(re.compile(r"/$"))
        banner = page.locator(".govuk-notification-banner--success")
        expect(banner).to_contain_text(
            "Imported 1 review into March 2025: 1 new, 0 updated, 0 unchanged. Added 1 member of "
            "staff not known before: Jane Smith (social worker)."
        )
        cohorts = page.get_by_role("table", name="Cohorts you can see")
        expect(cohorts.get_by_role("link", name="March 2025")).to_be_visible()
        axe(page)

        page.goto("/")  # the banner is shown once
        expect(page.locator(".govuk-notification-banner")).to_have_count(0)
        expect(cohorts.get_by_role("link", name="March 2025")).to_be_visible()

    drive(journey)


def test_the_practitioner_sees_only_their_own_reviews(drive, cast, axe):
    practitioner = cast["practitioner"]
    theirs = Review.objects.filter(social_worker=practitioner.staff_member)
    in_september = theirs.filter(cohort__name=SEPTEMBER).count()
    assert 0 < in_september < 10
    september_id = theirs.filter(cohort__name=SEPTEMBER).first().cohort_id
    not_theirs = Review.objects.exclude(social_worker=practitioner.staff_member).first()
    not_theirs_id, not_theirs_initials = not_theirs.id, not_theirs.child.initials

    def journey(page):
        sign_in(page, "practitioner")
        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.get_by_role("link", name="Import reviews")).to_have_count(0)
        page.get_by_role("link", name=SEPTEMBER).click()
        expect(page).to_have_url(re.compile(rf"/cohorts/{september_id}/$"))
        rows = page.get_by_role("table", name="Reviews").locator("tbody tr")
        expect(rows).to_have_count(in_september)
        for index in range(in_september):
            expect(rows.nth(index).locator("td").nth(2)).to_have_text("RL")
        axe(page)

        # Someone else's review does not exist for them: the service's own 404 page.
        response = page.goto(f"/reviews/{not_theirs_id}/")
        assert response.status == 404
        expect(page).to_have_title(re.compile(r"^Page not found – Practice Review"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_role("heading", name=not_theirs_initials)).to_have_count(0)
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        expect_styled_and_scripted(page)
        axe(page)

        response = page.goto("/import/")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    drive(journey)


def test_the_cohort_page_writes_its_period_as_the_home_page_does(drive, cast):
    cohort_id = Review.objects.filter(cohort__name=SEPTEMBER).first().cohort_id

    def journey(page):
        sign_in(page, "qa.lead")
        period = "17 September 2024 to 11 February 2025"
        expect(page.get_by_role("table", name="Cohorts you can see")).to_contain_text(period)
        page.goto(f"/cohorts/{cohort_id}/")
        text = " ".join(page.get_by_role("main").inner_text().split())
        assert f"10 completed reviews you can see, reviewed {period}." in text

    drive(journey)
