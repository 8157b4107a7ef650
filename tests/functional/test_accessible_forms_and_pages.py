"""Issue 13's smaller accessibility failures, each found by a keyboard-only journey, in Chromium.

- WCAG 3.3.1: an error inside the new child's details opens them, so the error summary's link
  reaches the field with the keyboard and its message shows.
- WCAG 1.3.1 and 2.4.6: the themes page names each group of learning topics, and each
  "before the practice window" checkbox, by its theme.
- WCAG 2.4.2: the task list and the review's own page have titles of their own; a refused
  reflection says "Error: " first. (tests/integration/test_page_titles.py checks every page.)
- "Change the comparison" lands on the question; a table's scroll region is a tab stop only
  while it scrolls; back links are in a landmark; the autosave status shows beside Save while
  typing; a clash with someone else's save is marked at the question, once.

axe-core runs on each page these change; screenshots go to /tmp/screens/.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practice_review.core.vocabulary import THEMES
from practice_review.reports import actions as report_actions
from practice_review.reviews import actions
from practice_review.reviews.models import Review
from practice_review.reviews.queries import find_cohort
from tests.conftest import JULY, SEPTEMBER
from tests.functional.conftest import SCREENS
from tests.functional.test_review_journey import (
    SAVED_AT,
    assigned_review,
    autosave_started,
    autosave_status,
    group,
    is_autosave,
    new_signed_in_page,
    reference_data,  # noqa: F401 (autouse: the learning topics the themes page offers)
    sign_in,
    success_banner,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page):
    """What has focus: its tag, id and accessible text, for messages."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}#${e.id} ${(e.innerText || '').trim().slice(0, 60)}`; }"
    )


def tab_to(page, locator, limit=80):
    """Press Tab until `locator` has focus (as a keyboard user would), failing after `limit`."""
    for _ in range(limit):
        if locator.evaluate("(e) => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab never reached it; focus is on {focused(page)}")


def wait_for_error_summary_focus(page):
    page.wait_for_function(
        "() => document.activeElement?.closest('.govuk-error-summary') !== null", timeout=5_000
    )


# --------------------------------------------------------------------------- 3.3.1


def test_an_error_in_the_new_childs_details_opens_them_for_the_summary_link(
    drive, cast, axe, screenshot
):
    cohort = actions.create_cohort(
        by=cast["qa_lead"], name="Error in the details", period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30), selected_by="SLT", selection_reason="mixed",
    )  # fmt: skip
    due = (timezone.localdate() + datetime.timedelta(days=14)).strftime("%d/%m/%Y")

    def journey(page):
        sign_in(page, "qa.lead")
        page.goto(f"/cohorts/{cohort.id}/add/")
        # A child already known, so the new child's details need not be opened, but a date of
        # birth typed into them that is not a date.
        page.get_by_label("Case reference").fill("C1001")
        page.locator("summary", has_text="A child new to Practice Review").click()
        page.get_by_label("Date of birth").fill("31/02/2012")
        page.get_by_label("Allocated social worker").select_option(label="RL – social worker")
        page.get_by_label("Reviewer", exact=True).select_option(
            label="Independent Associate – reviewer"
        )
        group(page, "Type of reviewer").get_by_label("Independent").check()
        page.get_by_label("Date the review is due").fill(due)
        page.get_by_role("button", name="Add case and assign").click()

        expect(page).to_have_title(re.compile(r"^Error: "))
        wait_for_error_summary_focus(page)
        # Keyboard only: from the error summary, Tab to its link and follow it.
        link = page.locator(".govuk-error-summary").get_by_role(
            "link", name="The date of birth must be a real date, like 17/09/2024"
        )
        tab_to(page, link, limit=3)
        page.keyboard.press("Enter")
        field = page.get_by_label("Date of birth")
        expect(field).to_be_focused()
        expect(field).to_be_visible()
        expect(field).to_have_value("31/02/2012")
        expect(page.locator("#id_date_of_birth-error")).to_be_visible()
        expect(page.locator("details", has=field)).to_have_attribute("open", "")
        axe(page)
        screenshot(page, "a11y-add-case-error-in-details")

    drive(journey)


# --------------------------------------------------------------------------- 1.3.1, 2.4.6


def test_each_theme_names_its_learning_topics_and_before_window_checkbox(
    drive, cast, axe, screenshot
):
    review = assigned_review(cast)

    def journey(page):
        sign_in(page, "reviewer.independent")
        page.goto(f"/reviews/{review.id}/form/themes/")
        before = "This includes a finding from before the practice window"
        # No two groups, and no two "before the window" boxes, share a name any more.
        expect(page.get_by_role("group", name="Learning topics", exact=True)).to_have_count(0)
        expect(page.get_by_role("checkbox", name=before, exact=True)).to_have_count(0)
        for _key, title in THEMES:
            topics = page.get_by_role("group", name=f"Learning topics ({title})", exact=True)
            expect(topics).to_have_count(1)
            expect(topics.get_by_role("checkbox", name="Chronology", exact=True)).to_have_count(1)
            expect(
                page.get_by_role("checkbox", name=f"{before} ({title})", exact=True)
            ).to_have_count(1)
        axe(page)
        screenshot(page, "a11y-themes")

    drive(journey)


# --------------------------------------------------------------------------- 2.4.2


def test_the_task_list_and_the_review_have_titles_of_their_own(drive, cast, axe):
    review = assigned_review(cast)

    def journey(page):
        sign_in(page, "reviewer.independent")
        page.goto(f"/reviews/{review.id}/form/")
        tasks_title = page.title()
        axe(page)
        page.get_by_role("link", name="View the review as others will see it").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(review.child.initials)
        assert page.title() != tasks_title, f"both pages are titled {tasks_title!r}"
        axe(page)

    drive(journey)


def test_a_refused_reflection_starts_the_title_with_error(drive, cast, axe):
    practitioner = cast["practitioner"]
    review = Review.objects.filter(social_worker=practitioner.staff_member, status="final").first()

    def journey(page):
        sign_in(page, "practitioner")
        page.goto(f"/reviews/{review.id}/")
        title = page.title()
        page.get_by_role("button", name="Add my reflection and response").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        expect(page).to_have_title(f"Error: {title}")
        axe(page)

    drive(journey)


# --------------------------------------------------------------------------- the smaller ones


def test_change_the_comparison_lands_on_the_comparison_question(drive, cast, axe, screenshot):
    report = report_actions.create_report(
        by=cast["qa_lead"], title="Comparison report", cohorts=[find_cohort(SEPTEMBER)],
        comparator=find_cohort(JULY),
    )  # fmt: skip

    def journey(page):
        sign_in(page, "qa.lead")
        page.goto(f"/reports/{report.pk}/")
        tab_to(page, page.get_by_role("link", name="Change the comparison"), limit=120)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Change what the report covers")
        target = page.locator(":target")
        expect(target).to_have_count(1)
        expect(target).to_be_in_viewport()
        expect(group(page, "Compare with")).to_contain_text(JULY)
        assert target.evaluate("(e) => e.closest('fieldset').innerText").startswith("Compare with")
        axe(page)
        page.screenshot(path=str(SCREENS / "a11y-change-the-comparison.png"))  # the window

    drive(journey)


def scroll_regions(page):
    """Each table scroll region: its table's caption, whether it scrolls, and its tabindex."""
    return page.locator(".app-table-scroll").evaluate_all(
        """(regions) => regions.map((r) => ({
            caption: r.querySelector('caption')?.innerText.trim(),
            scrolls: r.scrollWidth > r.clientWidth,
            tabindex: r.getAttribute('tabindex'),
            role: r.getAttribute('role'),
        }))"""
    )


def test_a_table_scroll_region_is_a_tab_stop_only_while_it_scrolls(drive, cast, axe, screenshot):
    def tab_stops(page):
        """Every element Tab reaches, from the top of the page round to the top again."""
        page.locator("body").focus()
        reached = []
        for _ in range(150):
            page.keyboard.press("Tab")
            here = page.evaluate(
                "() => document.activeElement.classList.contains('app-table-scroll')"
                " ? document.activeElement.getAttribute('aria-label') : null"
            )
            if page.evaluate("() => document.activeElement === document.body"):
                break
            reached.append(here)
        return [label for label in reached if label]

    def journey(page):
        sign_in(page, "qa.lead")
        expect(page.get_by_role("table", name="Cohorts you can see")).to_be_visible()
        regions = scroll_regions(page)
        assert regions and not any(region["scrolls"] for region in regions), regions
        assert all(region["tabindex"] is None for region in regions), regions
        assert tab_stops(page) == [], "a region that does not scroll is a tab stop"
        axe(page)

        # Narrow the window: the cohorts table no longer fits, so its region takes focus.
        page.set_viewport_size({"width": 320, "height": 640})
        page.wait_for_function(
            "() => [...document.querySelectorAll('.app-table-scroll')]"
            ".some((r) => r.scrollWidth > r.clientWidth && r.tabIndex === 0)"
        )
        scrolling = [region for region in scroll_regions(page) if region["scrolls"]]
        assert scrolling and all(
            region["tabindex"] == "0" and region["role"] == "region" for region in scrolling
        ), scrolling
        assert "Cohorts you can see (scrolls sideways)" in tab_stops(page)
        axe(page)
        screenshot(page, "a11y-scroll-region-320")

        # And wide again: no longer a stop.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_function(
            "() => [...document.querySelectorAll('.app-table-scroll')]"
            ".every((r) => !r.hasAttribute('tabindex'))"
        )

    drive(journey)


def test_back_links_are_in_a_landmark(drive, cast, axe):
    review = assigned_review(cast)

    def journey(page):
        sign_in(page, "reviewer.independent")
        for path in (f"/reviews/{review.id}/form/", f"/reviews/{review.id}/form/grades/"):
            page.goto(path)
            back = page.locator(".govuk-back-link")
            expect(back).to_have_count(1)
            assert back.evaluate(
                "(a) => a.closest('main, nav, header, footer, aside, [role]') !== null"
            ), f"the back link on {path} is outside every landmark"
            expect(page.get_by_role("navigation", name="Back").get_by_role("link")).to_be_visible()
            # Still before <main>, as GOV.UK places it: Skip to main content skips it.
            assert back.evaluate("(a) => !a.closest('main')")
            axe(page)

    drive(journey)


SAVED_AT_ON_SCREEN = """() => [...document.querySelectorAll('form *')].some((element) => {
    const saved = /^Saved at \\d\\d:\\d\\d:\\d\\d\\.$/;
    if (element.children.length || !saved.test(element.textContent.trim())) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
})"""


def test_the_autosave_status_shows_where_the_person_is_typing(drive, cast, axe, screenshot):
    review = assigned_review(cast)

    def journey(page):
        sign_in(page, "reviewer.independent")
        page.goto(f"/reviews/{review.id}/form/themes/")
        autosave_started(page)
        field = page.locator(f"#id_strengths_{THEMES[0][0]}")
        tab_to(page, field)
        with page.expect_response(is_autosave):
            page.keyboard.type("Good direct work.")
        # Announced from beside Save, as before...
        expect(autosave_status(page)).to_have_text(SAVED_AT)
        # ... and seen where the person is typing, without scrolling away from the question.
        page.wait_for_function(SAVED_AT_ON_SCREEN)
        expect(field).to_be_focused()
        axe(page)
        screenshot(page, "a11y-autosave-status-while-typing")

    drive(journey)


def test_a_clash_is_listed_once_and_marked_at_its_question(
    drive, cast, axe, live_server, screenshot
):
    review = assigned_review(cast)
    path = f"/reviews/{review.id}/form/child/"
    errors = []

    def journey(page_a):
        sign_in(page_a, "reviewer.independent")
        page_b = new_signed_in_page(
            page_a.context.browser, live_server.url, "reviewer.independent", errors
        )
        try:
            for page in (page_a, page_b):
                page.goto(path)
                autosave_started(page)
            page_a.get_by_label("Age at the review").fill("10")
            page_a.get_by_role("button", name="Save and return to the review").click()
            expect(success_banner(page_a)).to_contain_text("saved")
            with page_b.expect_response(is_autosave):
                page_b.get_by_label("Age at the review").fill("11")
            page_b.get_by_role("button", name="Save and return to the review").click()

            summary = page_b.locator(".govuk-error-summary")
            expect(summary).to_contain_text("Someone else saved this section")
            expect(summary.get_by_role("link")).to_have_text(["Age at the review"])
            wait_for_error_summary_focus(page_b)
            tab_to(page_b, summary.get_by_role("link", name="Age at the review"), limit=3)
            page_b.keyboard.press("Enter")
            field = page_b.get_by_label("Age at the review")
            expect(field).to_be_focused()
            expect(field).to_have_value("11")
            message = page_b.locator("#id_age_at_review-error")
            expect(message).to_be_visible()
            expect(message).to_contain_text("Someone else saved “10”")
            assert "id_age_at_review-error" in field.get_attribute("aria-describedby")
            axe(page_b)
            screenshot(page_b, "a11y-conflict-marked-at-the-question")
        finally:
            page_b.context.close()

    drive(journey)
    assert not errors, errors
