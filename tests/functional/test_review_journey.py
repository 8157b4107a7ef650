"""Running a review in the browser (issue 3): the whole journey, autosave, and edit conflicts.

The journey goes through every person who takes part, in one browser context, signing in and
out: the QA lead creates a cohort and assigns a new child's case; the reviewer fills in the
form, raises an alert and submits; the manager acknowledges the alert; the practitioner reads
the review and adds a reflection. axe-core runs on every distinct page the browser shows, and
each step is saved as a numbered full-page screenshot, 1200 px wide.

Screenshots go to /tmp/screens/journey/ on an ordinary run (the pages carry today's dates and
times, so a run would otherwise change tracked files). `UPDATE_SCREENSHOTS=1` writes them to
docs/screenshots/ instead, where docs/screenshots/README.md describes each one.

As in test_journeys.py, database work happens in the test's own thread before (or after)
`drive(journey)`; the journey runs in the browser thread and only talks to the browser.
"""

import contextlib
import datetime
import importlib
import os
import re
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from practice_review.accounts.models import StaffMember
from practice_review.alerts.models import Alert
from practice_review.core.vocabulary import PRACTICE_STANDARDS, THEMES
from practice_review.reviews import actions
from practice_review.reviews.models import Child, Review, ReviewResponse
from practice_review.reviews.queries import reviews_awaiting_response
from practice_review.reviews.review_forms import SECTION_FORMS, ThemesSectionForm
from tests.conftest import PASSWORD
from tests.functional.conftest import ROOT, SCREENS, enter_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_DIR = (
    ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else SCREENS / "journey"
)
SCREENSHOT_WIDTH = 1200
# "Reasonably small": most steps are 40-300 KB; the longest pages (the review as read, about
# 3,800 px tall, and the themes section, about 7,000 px) come to 380-420 KB.
MAX_SCREENSHOT_BYTES = 450_000
SAVED_AT = re.compile(r"Saved at \d{2}:\d{2}:\d{2}\.")

COHORT = "Journey cohort"
CASE_REF = "C9001"
INITIALS = "ZQ"  # in no seed review, so the child's initials identify this case on every page
CONCERN = "The young person told me they are staying with an adult not known to the service."
REFLECTION = "I have arranged a strategy discussion and will update the pathway plan."


# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The grade descriptors and learning topics the migrations put in.

    A transactional test ends by flushing every table, and those rows go with it, so a browser
    test that runs after another would find the descriptors blank and no learning topics.
    (pytest-django's serialized_rollback cannot put them back here: it collides with the
    content types that the flush recreates.) The migration's own function is idempotent.
    """
    module = importlib.import_module("practice_review.reviews.migrations.0002_reference_data")
    module.seed(django_apps, None)


class PageChecks:
    """axe on every distinct page and a numbered screenshot of every step, in one place.

    Every document the page navigates to is noted; `assert_every_page_checked` fails if axe
    never ran on one of them. Minor and moderate violations (which do not fail the test) are
    kept so the run can print them.
    """

    def __init__(self, page, axe, prefix=""):
        self.page = page
        self.axe = axe
        self.prefix = prefix
        self.visited = []
        self.checked = set()
        self.minor = []
        self.shots = []
        page.on("framenavigated", self._note)

    def _note(self, frame):
        if frame == self.page.main_frame:
            path = self._path(frame.url)
            if path not in self.visited:
                self.visited.append(path)

    @staticmethod
    def _path(url):
        return re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]

    def axe_check(self):
        results = self.axe(self.page)
        self.checked.add(self._path(self.page.url))
        for violation in results["violations"]:
            self.minor.append((self._path(self.page.url), violation["id"], violation["impact"]))
        return results

    def step(self, name):
        """axe on the page as it is now, then its screenshot as the next numbered step."""
        self.axe_check()
        number = len(self.shots) + 1
        path = SCREENSHOT_DIR / f"{self.prefix}{number:02d}-{name}.png"
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True, animations="disabled")
        size = path.stat().st_size
        assert size < MAX_SCREENSHOT_BYTES, f"{path.name} is {size} bytes"
        self.shots.append((path.name, size))
        return path

    def assert_every_page_checked(self):
        unchecked = [path for path in self.visited if path not in self.checked]
        assert not unchecked, f"axe never ran on {unchecked}"


def sign_in(page, username, checks=None):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if checks:  # the code page is a page of the journey like any other
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
        checks.axe_check()
    enter_second_factor(page, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))


def success_banner(page):
    return page.locator(".govuk-notification-banner--success")


def group(page, name):
    """A fieldset (radios or checkboxes) by its legend."""
    return page.get_by_role("group", name=name, exact=True)


def is_autosave(response):
    request = response.request
    return request.method == "POST" and request.headers.get("x-autosave") == "1"


def autosave_status(page):
    return page.locator("[data-autosave-status]")


def last_input_then_saved(page, last_input):
    """Make the section's last change and wait for the autosave it starts to be answered."""
    with page.expect_response(is_autosave, timeout=10_000) as saved:
        last_input()
    assert saved.value.ok, saved.value.status
    expect(autosave_status(page)).to_have_text(SAVED_AT)


def age_at(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def watch_for_errors(page, errors):
    """Script errors and broken assets on a page `drive` did not open itself (as drive does for
    its own page). Autosave's answers are left out: a 409 is how it learns of a conflict."""
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400
            and response.request.resource_type not in ("document", "fetch", "xhr")
            else None
        ),
    )


class ServerAnswers:
    """Tells the browser thread when the live server has answered an autosave of one page.

    Playwright never reports the save a page sends as it closes (the page is gone before the
    request event), so the test learns of it from Django's own request signals instead.
    """

    def __init__(self, path):
        self.path = path
        self.answered = threading.Event()
        self._request = threading.local()

    def _started(self, sender, environ, **kwargs):
        self._request.watched = (
            environ.get("PATH_INFO") == self.path
            and environ.get("REQUEST_METHOD") == "POST"
            and environ.get("HTTP_X_AUTOSAVE") == "1"
        )

    def _finished(self, sender, **kwargs):
        if getattr(self._request, "watched", False):
            self._request.watched = False
            self.answered.set()

    def __enter__(self):
        request_started.connect(self._started, weak=False, dispatch_uid=id(self))
        request_finished.connect(self._finished, weak=False, dispatch_uid=id(self))
        return self

    def __exit__(self, *exc):
        request_started.disconnect(dispatch_uid=id(self))
        request_finished.disconnect(dispatch_uid=id(self))


def new_signed_in_page(browser, base_url, username, errors):
    """A page in a browser context of its own, signed in: a second device or a second person."""
    context = browser.new_context(
        base_url=base_url, viewport={"width": SCREENSHOT_WIDTH, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch_for_errors(page, errors)
    sign_in(page, username)
    return page


def staff(name):
    return StaffMember.objects.get(name=name)


def assigned_review(cast):
    """A review of seed child C1008 (SY) assigned to the Independent Associate, not started."""
    today = timezone.localdate()
    cohort = actions.create_cohort(
        by=cast["qa_lead"], name="Autosave and conflicts", period_start=today.replace(day=1),
        period_end=today + datetime.timedelta(days=30), selected_by="Senior leadership team",
        selection_reason="mixed",
    )  # fmt: skip
    return actions.assign_review(
        by=cast["qa_lead"], cohort=cohort, child=Child.objects.get(case_ref="C1008"),
        reviewer=staff("Independent Associate"), reviewer_type="independent",
        due_date=today + datetime.timedelta(days=14), social_worker=staff("RL"),
        supervisor=staff("BA"),
    )  # fmt: skip


def autosave_started(page):
    """autosave.js has started on the page (it rewrites the status line when it does)."""
    expect(autosave_status(page)).to_have_text("Changes are saved automatically as you type.")


# --------------------------------------------------------------------------- 1. the journey


def test_a_review_from_cohort_to_the_practitioners_reflection(drive, cast, axe):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=21)
    period_start = today.replace(day=1)
    period_end = (period_start + datetime.timedelta(days=62)).replace(day=1) - datetime.timedelta(
        days=1
    )  # the end of next month
    started = datetime.datetime.now(ZoneInfo(settings.TIME_ZONE))
    # The seed reviews of RL's cases wait for the practitioner's response too.
    awaiting = len(reviews_awaiting_response(cast["practitioner"]))
    assert awaiting > 0
    assert not Child.objects.filter(case_ref=CASE_REF).exists()
    assert not Review.objects.filter(child__initials=INITIALS).exists()

    def journey(page):
        page.set_viewport_size({"width": SCREENSHOT_WIDTH, "height": 900})
        checks = PageChecks(page, axe)

        # ---------------------------------------------------------------- the QA lead
        page.goto("/sign-in/")
        checks.step("sign-in")
        sign_in(page, "qa.lead", checks)
        checks.step("qa-lead-home")

        page.get_by_role("link", name="Create a cohort").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Create a cohort")
        checks.axe_check()
        page.get_by_label("Name of the cohort").fill(COHORT)
        page.get_by_label("Start of the period").fill(period_start.strftime("%d/%m/%Y"))
        page.get_by_label("End of the period").fill(period_end.strftime("%d/%m/%Y"))
        page.get_by_label("Who selected the cohort").fill("Senior leadership team")
        group(page, "Why these cases").get_by_label("Mixed").check()
        checks.step("create-cohort")
        page.get_by_role("button", name="Create cohort").click()

        expect(page.get_by_role("heading", level=1)).to_contain_text(COHORT)
        expect(success_banner(page)).to_contain_text(f"Cohort {COHORT} created")
        checks.step("cohort-created")

        page.get_by_role("link", name="Add a child's case").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Add a child's case and assign a reviewer"
        )
        checks.axe_check()  # the details closed, as the page first appears
        page.get_by_label("Case reference").fill(CASE_REF)
        page.locator("summary", has_text="A child new to Practice Review").click()
        page.get_by_label("Child's initials").fill(INITIALS)
        group(page, "Gender").get_by_label("Female", exact=True).check()
        page.get_by_label("Date of birth").fill("02/05/2012")
        page.get_by_label("Ethnicity").fill("White British")
        page.get_by_label("First language").fill("English")
        group(page, "Needs an interpreter").get_by_label("No", exact=True).check()
        page.get_by_label("Allocated social worker").select_option(label="RL – social worker")
        page.get_by_label("Social worker's supervisor").select_option(label="BA – supervisor")
        page.get_by_label("Reviewer", exact=True).select_option(
            label="Independent Associate – reviewer"
        )
        group(page, "Type of reviewer").get_by_label("Independent").check()
        page.get_by_label("Date the review is due").fill(due.strftime("%d/%m/%Y"))
        checks.step("add-a-new-childs-case")
        page.get_by_role("button", name="Add case and assign").click()

        expect(success_banner(page)).to_contain_text(
            f"{INITIALS}'s case added and assigned to Independent Associate"
        )
        reviews = page.get_by_role("table", name="Reviews")
        expect(reviews.locator("tbody tr")).to_have_count(1)
        expect(reviews).to_contain_text("Assigned")
        checks.step("case-assigned")
        sign_out(page)

        # ---------------------------------------------------------------- the reviewer
        sign_in(page, "reviewer.independent")
        expect(page.get_by_role("heading", name=re.compile(r"My reviews: 1 to do"))).to_be_visible()
        checks.axe_check()
        page.get_by_role("link", name="My reviews").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My reviews")
        row = page.get_by_role("table", name="Reviews to do").locator("tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(COHORT)
        expect(row).to_contain_text(due.strftime("%-d %B %Y"))
        expect(row).to_contain_text("Assigned")
        checks.step("reviewer-my-reviews")

        row.get_by_role("link", name=f"{INITIALS} review").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Review of {INITIALS}")
        expect(page.get_by_text("You have completed 0 of 5 required sections")).to_be_visible()
        checks.step("task-list")
        tasks_url = page.url

        def task(title):
            return page.locator(".govuk-task-list__item").filter(
                has=page.get_by_role("link", name=title, exact=True)
            )

        # The child at the review: the snapshot starts from the child's record.
        task("The child at the review").get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The child at the review")
        # The date the file was reviewed is the reviewer's to give, not the due date.
        expect(page.get_by_label("Date of the review")).to_have_value("")
        expect(page.get_by_label("Age at the review")).to_have_value(
            str(age_at(datetime.date(2012, 5, 2), due))
        )
        expect(group(page, "Gender").get_by_label("Female", exact=True)).to_be_checked()
        expect(autosave_status(page)).to_have_text("Changes are saved automatically as you type.")
        checks.axe_check()
        page.get_by_label("Date of the review").fill(today.strftime("%d/%m/%Y"))
        group(page, "Legal or practice framework").get_by_label(
            "Child in care (looked after)"
        ).check()
        page.get_by_label("Religion").fill("None")
        last_input_then_saved(
            page, lambda: page.get_by_label("Ethnicity").fill("White British and Irish")
        )
        checks.step("section-child")
        page.get_by_role("button", name="Save and return to the review").click()
        expect(success_banner(page)).to_contain_text("The child at the review saved")
        expect(task("The child at the review")).to_contain_text("Completed")

        # Practice standards: seven met, one not met and put right, each with a comment.
        task("Practice standards").get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Practice standards")
        checks.axe_check()
        for key, label in PRACTICE_STANDARDS:
            result = "Not met" if key == "chronology_current" else "Met"
            group(page, label).get_by_label(result, exact=True).check()
            page.locator(f"#id_{key}_comment").fill(f"{result}: seen on the file.")
        last_input_then_saved(
            page, lambda: page.locator("#id_chronology_current_put_right").check()
        )
        checks.step("section-standards")
        page.get_by_role("button", name="Save and return to the review").click()
        expect(task("Practice standards")).to_contain_text("Completed")

        # Strengths and areas for development, with a learning topic.
        task("Strengths and areas for development").get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Strengths and areas for development"
        )
        checks.axe_check()
        for key, title in THEMES:
            page.locator(f"#id_strengths_{key}").fill(f"Strengths seen under “{title}”.")
        group(page, f"Learning topics ({THEMES[0][1]})").get_by_label(
            "Chronology", exact=True
        ).check()
        last_input_then_saved(
            page,
            lambda: page.locator("#id_development_multi_agency").fill(
                "The school was not invited to the last review."
            ),
        )
        checks.step("section-themes")
        page.get_by_role("button", name="Save and return to the review").click()
        expect(task("Strengths and areas for development")).to_contain_text("Completed")

        # Grades: outstanding practice, outcomes that require improvement, and why.
        task("Grades").get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Grades")
        expect(page.get_by_role("heading", name="Grade descriptors")).to_be_visible()
        checks.axe_check()
        group(page, "Social work practice").get_by_label("Outstanding").check()
        page.get_by_label("Reasons for the grade for social work practice").fill(
            "Persistent, creative work to keep her engaged."
        )
        group(page, "Outcomes for the child").get_by_label(
            "Requires improvement to be good"
        ).check()
        page.get_by_label("Reasons for the grade for outcomes for the child").fill(
            "She is not yet attending school."
        )
        last_input_then_saved(
            page,
            lambda: page.get_by_label(
                "Why outcomes are not good when practice is good or better"
            ).fill("She will not engage with education despite the worker's efforts."),
        )
        checks.step("section-grades")
        page.get_by_role("button", name="Save and return to the review").click()
        expect(task("Grades")).to_contain_text("Completed")
        expect(page.get_by_text("You have completed 4 of 5 required sections")).to_be_visible()

        # Checking before the conversation is recorded names exactly what is missing.
        page.get_by_role("link", name="Check and submit").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("The review is not finished: 1 thing still needed")
        expect(summary.locator("li")).to_have_count(1)
        expect(summary).to_contain_text(
            "Conversations: Record at least one conversation with the practitioner, manager, "
            "child or family"
        )
        expect(page.get_by_role("button", name="Submit the review")).to_have_count(0)
        checks.step("submit-names-what-is-missing")

        summary.get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Conversations")
        checks.axe_check()
        group(page, "Who the conversation was with").get_by_label("Practitioner").check()
        page.get_by_label("Date of the conversation").fill(
            (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
        )
        group(page, "How it was held").get_by_label("Video call").check()
        page.get_by_label("What they said, in their words").fill(
            "We have tried everything we can think of to get her back into school."
        )
        page.get_by_role("button", name="Add conversation").click()
        expect(success_banner(page)).to_contain_text("Conversation added")
        expect(page.get_by_role("heading", name="Conversations recorded")).to_be_visible()
        checks.step("conversation-added")

        page.goto(tasks_url)
        task("Recommendations for the child").get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Recommendations for the child")
        checks.axe_check()
        page.get_by_label("What should be done").fill(
            "Hold an education planning meeting with the virtual school."
        )
        page.get_by_label("Who will do it").select_option(label="RL")
        page.get_by_label("Date it should be done by").fill(
            (today + datetime.timedelta(days=28)).strftime("%d/%m/%Y")
        )
        page.get_by_label("How success will be seen").fill("She has a school place she attends.")
        page.get_by_role("button", name="Add recommendation").click()
        expect(success_banner(page)).to_contain_text("Recommendation added")
        expect(page.get_by_role("heading", name="Recommendation 1")).to_be_visible()
        checks.step("recommendation-added")

        page.get_by_role("link", name="Back to the review").first.click()
        expect(page.get_by_text("You have completed 5 of 5 required sections")).to_be_visible()
        for title in [
            "The child at the review",
            "Practice standards",
            "Strengths and areas for development",
            "Conversations",
            "Grades",
            "Recommendations for the child",
        ]:
            expect(task(title).locator(".govuk-task-list__status")).to_have_text("Completed")
        checks.step("task-list-complete")

        # An alert, raised from the review page before submitting.
        page.get_by_role("link", name="View the review as others will see it").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(INITIALS)
        expect(page.get_by_text("No alerts have been raised on this review")).to_be_visible()
        checks.axe_check()
        page.get_by_role("link", name="Raise an alert").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Raise an alert")
        # The manager of the allocated worker is chosen already.
        expect(page.get_by_label("Who must act?").locator("option:checked")).to_have_text("BA")
        page.get_by_label("What is the concern?").fill(CONCERN)
        group(page, "How serious is it?").get_by_label("High: a child may be at risk").check()
        checks.step("raise-an-alert")
        page.get_by_role("button", name="Raise alert").click()

        expect(success_banner(page)).to_contain_text(re.compile(r"Alert \S+ raised and emailed"))
        reference = page.get_by_role("heading", level=1).inner_text().split()[-1]
        expect(page.get_by_text(CONCERN)).to_be_visible()
        expect(page.get_by_role("button", name="Acknowledge alert")).to_have_count(0)
        checks.step("alert-raised")

        page.get_by_role("link", name=re.compile(rf"^{INITIALS}, review on ")).click()
        alerts = page.get_by_role("table", name="Alerts raised on this review")
        expect(alerts.get_by_role("link", name=reference)).to_be_visible()
        checks.step("review-with-the-alert")

        page.get_by_role("link", name="Continue the review").click()
        page.get_by_role("link", name="Check and submit").click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        checks.step("check-and-submit")
        page.get_by_role("button", name="Submit the review").click()

        expect(success_banner(page)).to_contain_text(
            "Review submitted. The practitioner and their manager can now read it."
        )
        expect(page.locator(".govuk-tag").first).to_have_text("Submitted")
        timeline = page.get_by_role("heading", name="Timeline").locator("xpath=following::ol[1]")
        expect(timeline.locator("li")).to_have_count(3)
        expect(timeline).to_contain_text("In progress to Submitted, by reviewer.independent")
        checks.step("review-submitted")
        sign_out(page)

        # ---------------------------------------------------------------- the manager
        sign_in(page, "manager")
        home_alerts = page.locator("section[aria-labelledby='home-alerts-heading']")
        expect(home_alerts.get_by_role("heading")).to_have_text("Alerts to act on: 1 open")
        row = home_alerts.get_by_role("table", name="Open alerts for you to act on").locator(
            "tbody tr"
        )
        expect(row).to_have_count(1)
        expect(row).to_contain_text(INITIALS)
        expect(row).to_contain_text("High")
        expect(row).to_contain_text("Awaiting acknowledgement")
        expect(
            page.get_by_role("link", name=re.compile(rf"^{INITIALS}, reviewed"))
        ).to_be_visible()  # and the review to read and respond to
        checks.step("manager-home-shows-the-alert")

        row.get_by_role("link", name=reference).click()
        expect(page.get_by_text(CONCERN)).to_be_visible()
        checks.axe_check()
        page.get_by_role("button", name="Acknowledge alert").click()
        expect(success_banner(page)).to_contain_text(f"You acknowledged {reference}")
        expect(page.get_by_role("button", name="Acknowledge alert")).to_have_count(0)
        acknowledged = page.locator(".govuk-summary-list__row").filter(has_text="Acknowledged")
        expect(acknowledged).to_contain_text("by manager")
        checks.step("manager-acknowledged-the-alert")

        page.get_by_role("link", name="Home").first.click()
        expect(row).to_contain_text("Acknowledged")
        checks.axe_check()
        sign_out(page)

        # ---------------------------------------------------------------- the practitioner
        sign_in(page, "practitioner")
        to_respond = page.get_by_role("heading", name=re.compile("Reviews to read and respond to"))
        expect(to_respond).to_have_text(f"Reviews to read and respond to: {awaiting + 1}")
        expect(page.get_by_role("heading", name=re.compile("Alerts to act on"))).to_have_count(0)
        checks.step("practitioner-home")

        page.get_by_role("link", name=re.compile(rf"^{INITIALS}, reviewed")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(INITIALS)
        expect(page.get_by_text("Persistent, creative work to keep her engaged.")).to_be_visible()
        expect(page.get_by_text(CONCERN)).to_have_count(0)  # alerts are not the practitioner's
        expect(page.get_by_text("None yet.")).to_be_visible()
        checks.axe_check()
        page.get_by_label("Your reflection and response").fill(REFLECTION)
        page.get_by_role("button", name="Add my reflection and response").click()

        expect(success_banner(page)).to_contain_text("Your reflection and response has been added")
        entry = page.locator(".govuk-inset-text").filter(has_text=REFLECTION)
        expect(entry).to_have_count(1)
        finished = datetime.datetime.now(ZoneInfo(settings.TIME_ZONE))
        dated = entry.locator("p").first.inner_text()
        days = {f"{moment:%-d %B %Y}" for moment in (started, finished)}
        assert re.fullmatch(r"practitioner, \d{1,2} \w+ \d{4} \d{2}:\d{2}", dated), dated
        assert any(day in dated for day in days), (dated, days)
        expect(page.get_by_text("None yet.")).to_have_count(0)
        checks.step("practitioner-reflection-added")

        page.goto("/")  # answered, so no longer waiting for them
        expect(to_respond).to_have_text(f"Reviews to read and respond to: {awaiting}")
        expect(page.get_by_role("link", name=re.compile(rf"^{INITIALS}, reviewed"))).to_have_count(
            0
        )
        checks.axe_check()
        sign_out(page)

        checks.assert_every_page_checked()
        return {
            "reference": reference,
            "pages": checks.visited,
            "minor": checks.minor,
            "shots": checks.shots,
        }

    began = time.monotonic()
    result = drive(journey)
    seconds = time.monotonic() - began

    review = Review.objects.get(child__case_ref=CASE_REF)
    assert review.status == "submitted"
    assert (review.grade("practice"), review.grade("outcome")) == (
        "outstanding",
        "requires_improvement",
    )
    assert review.conversations.count() == 1 and review.recommendations.count() == 1
    alert = Alert.objects.get(review=review)
    assert alert.reference == result["reference"]
    assert alert.acknowledged_by.username == "manager" and alert.closed_at is None
    response = ReviewResponse.objects.get(review=review)
    assert (response.by.username, response.text) == ("practitioner", REFLECTION)
    print(f"\njourney: {seconds:.1f} s, {len(result['pages'])} distinct pages, axe on each")
    for path in result["pages"]:
        print(f"  {path}")
    print(f"minor or moderate axe findings: {result['minor'] or 'none'}")
    for name, size in result["shots"]:
        print(f"  {name}: {size // 1000} KB")


# --------------------------------------------------------------------------- 2. autosave


def test_autosave_survives_closing_the_page(drive, cast, live_server):
    review = assigned_review(cast)
    path = f"/reviews/{review.id}/form/grades/"
    saved_text = "Typed, saved, then the tab was closed."
    unsaved_text = "Typed and closed at once, before the autosave was due."
    errors = []

    def journey(page):
        sign_in(page, "reviewer.independent")

        # Typed, saved ("Saved at ..."), closed: the text is there in a new page.
        editor = page.context.new_page()
        watch_for_errors(editor, errors)
        editor.goto(path)
        autosave_started(editor)
        last_input_then_saved(
            editor,
            lambda: editor.get_by_label("Reasons for the grade for social work practice").fill(
                saved_text
            ),
        )
        editor.close()
        reopened = page.context.new_page()
        watch_for_errors(reopened, errors)
        reopened.goto(path)
        expect(
            reopened.get_by_label("Reasons for the grade for social work practice")
        ).to_have_value(saved_text)
        reopened.close()

        # Typed and closed well inside the 1.5 s wait: the pagehide handler sends the save
        # at once (fetch with keepalive), and the server gets it although the page is gone.
        editor = page.context.new_page()
        watch_for_errors(editor, errors)
        editor.goto(path)
        autosave_started(editor)
        server.answered.clear()
        typed = time.monotonic()
        editor.get_by_label("Reasons for the grade for outcomes for the child").fill(unsaved_text)
        editor.close()
        closed_after = time.monotonic() - typed
        assert closed_after < 1.0, f"closing took {closed_after:.2f} s: the debounce may have fired"
        # Reopening at once could race the save that is still in flight (the test server
        # shares one SQLite connection between its threads, so the two could collide), so wait
        # for the server to have answered it.
        assert server.answered.wait(5), "no autosave reached the server as the page closed"
        reopened = page.context.new_page()
        watch_for_errors(reopened, errors)
        reopened.goto(path)
        expect(
            reopened.get_by_label("Reasons for the grade for outcomes for the child")
        ).to_have_value(unsaved_text)
        expect(
            reopened.get_by_label("Reasons for the grade for social work practice")
        ).to_have_value(saved_text)
        return closed_after

    with ServerAnswers(path) as server:
        closed_after = drive(journey)
    assert not errors, errors
    review.refresh_from_db()
    assert (review.grade("practice", "rationale"), review.grade("outcome", "rationale")) == (
        saved_text,
        unsaved_text,
    )
    print(f"\nclosed {closed_after * 1000:.0f} ms after typing; the keepalive save arrived")


# --------------------------------------------------------------------------- 3. conflicts


def open_grades_in_two_contexts(page_a, browser, base_url, path, errors):
    """Both contexts open the grades section of one review, A first, then B."""
    page_b = new_signed_in_page(browser, base_url, "reviewer.independent", errors)
    for page in (page_a, page_b):
        page.goto(path)
        autosave_started(page)
    return page_b


def a_saves_then_b_saves_differently(page_a, page_b):
    """A chooses Good and saves; B, still on the page as it was, chooses Inadequate and saves.

    Each save is awaited before the next request: the test server shares one SQLite connection
    between its threads, so two requests at once could collide.
    """
    practice = "Social work practice"
    last_input_then_saved(
        page_a, lambda: group(page_a, practice).get_by_label("Good", exact=True).check()
    )
    page_a.get_by_role("button", name="Save and return to the review").click()
    expect(success_banner(page_a)).to_contain_text("Grades saved")

    # B's own autosave is refused (409) and says so; autosave stops for B.
    with page_b.expect_response(is_autosave) as refused:
        group(page_b, practice).get_by_label("Inadequate", exact=True).check()
    assert refused.value.status == 409
    expect(autosave_status(page_b)).to_contain_text(
        "someone else has changed the same answers in this section"
    )
    page_b.get_by_role("button", name="Save and return to the review").click()


def test_two_contexts_editing_one_section_get_the_conflict_page(drive, cast, axe, live_server):
    review = assigned_review(cast)
    path = f"/reviews/{review.id}/form/grades/"
    errors = []

    def journey(page_a):
        sign_in(page_a, "reviewer.independent")
        page_b = open_grades_in_two_contexts(
            page_a, page_a.context.browser, live_server.url, path, errors
        )
        try:
            a_saves_then_b_saves_differently(page_a, page_b)

            expect(page_b).to_have_title(re.compile(r"^Error: Grades"))
            summary = page_b.locator(".govuk-error-summary")
            expect(summary).to_contain_text(
                "Someone else saved this section while you were editing it"
            )
            expect(summary.get_by_role("link")).to_have_text(["Social work practice"])
            table = page_b.get_by_role("table", name="What changed")
            expect(table.locator("thead th")).to_have_text(
                ["Question", "Saved by the other person", "Yours"]
            )
            expect(table.locator("tbody tr")).to_have_count(1)
            expect(table.locator("tbody tr th")).to_have_text("Social work practice")
            expect(table.locator("tbody tr td")).to_have_text(["Good", "Inadequate"])
            # Nothing B chose is lost: the form still holds it.
            expect(
                group(page_b, "Social work practice").get_by_label("Inadequate", exact=True)
            ).to_be_checked()
            checks = PageChecks(page_b, axe, prefix="conflict-")
            checks.step("someone-else-saved-this-section")

            # What was saved is still A's.
            page_a.goto(path)
            expect(
                group(page_a, "Social work practice").get_by_label("Good", exact=True)
            ).to_be_checked()
        finally:
            page_b.context.close()

    drive(journey)
    assert not errors, errors
    review.refresh_from_db()
    assert review.grade("practice") == "good"


def test_save_while_an_autosave_is_on_its_way_is_not_a_conflict(drive, cast):
    """A reviewer's own saves never conflict: Save waits for the autosave still on its way.

    (It did not until 6b44a16: Save posted the version from before that autosave, and the
    reviewer was told that someone else had saved the section.)
    """
    review = assigned_review(cast)
    path = f"/reviews/{review.id}/form/grades/"

    def journey(page):
        sign_in(page, "reviewer.independent")
        page.goto(path)
        autosave_started(page)
        # A slow connection: the server saves the autosave, its answer is held back.
        held = []

        def hold_autosave_answer(route):
            if route.request.headers.get("x-autosave") == "1" and not held:
                held.append((route, route.fetch()))
            else:
                route.continue_()

        page.route(f"**{path}", hold_autosave_answer)
        group(page, "Social work practice").get_by_label("Good", exact=True).check()
        while not held:  # the autosave went 1.5 s later and the server has saved it
            page.wait_for_timeout(100)
        page.get_by_label("Reasons for the grade for social work practice").fill(
            "Clear, purposeful work."
        )
        page.get_by_role("button", name="Save and return to the review").click(no_wait_after=True)
        route, answer = held[0]
        # The answer arrives after all (if the page has moved on, it dropped the request).
        with contextlib.suppress(PlaywrightError):
            route.fulfill(response=answer)
        expect(page.get_by_text("Someone else saved this section")).to_have_count(0)
        expect(success_banner(page)).to_contain_text("Grades saved")

    drive(journey)


def open_in_two_tabs(tab_a, path, errors):
    """A second tab of the same browser (one session) on the page tab A opens too."""
    tab_b = tab_a.context.new_page()
    watch_for_errors(tab_b, errors)
    for tab in (tab_a, tab_b):
        tab.goto(path)
        autosave_started(tab)
    return tab_b


def tab_a_saves_a_grade_and_its_reasons(tab_a):
    group(tab_a, "Social work practice").get_by_label("Good", exact=True).check()
    tab_a.get_by_label("Reasons for the grade for social work practice").fill("Tab A's reasons.")
    # Save waits for any autosave on its way, so the two never overlap.
    tab_a.get_by_role("button", name="Save and return to the review").click()
    expect(success_banner(tab_a)).to_contain_text("Grades saved")


def test_two_tabs_changing_different_answers_keep_both(drive, cast):
    """docs/spec/quality.md#no-lost-update: "two people edit the same review". Tab B, opened
    before tab A saved, changes another answer: A's answers are kept (and shown in B), not put
    back as B loaded them."""
    review = assigned_review(cast)
    path = f"/reviews/{review.id}/form/grades/"
    errors = []

    def journey(tab_a):
        sign_in(tab_a, "reviewer.independent")
        tab_b = open_in_two_tabs(tab_a, path, errors)
        tab_a_saves_a_grade_and_its_reasons(tab_a)
        # B's autosave meets A's save: merged, saved, and A's answers put into B's page.
        with tab_b.expect_response(is_autosave) as merged:
            tab_b.get_by_label("Reasons for the grade for outcomes for the child").fill(
                "Tab B's reasons."
            )
        assert merged.value.status == 200
        expect(autosave_status(tab_b)).to_contain_text(
            "Someone else's changes to other questions in this section were kept."
        )
        expect(
            group(tab_b, "Social work practice").get_by_label("Good", exact=True)
        ).to_be_checked()
        expect(tab_b.get_by_label("Reasons for the grade for social work practice")).to_have_value(
            "Tab A's reasons."
        )
        tab_b.get_by_role("button", name="Save and return to the review").click()
        expect(success_banner(tab_b)).to_contain_text("Grades saved")

    drive(journey)
    assert not errors, errors
    review.refresh_from_db()
    assert (review.grade("practice"), review.grade("practice", "rationale"),
            review.grade("outcome", "rationale")) == (
        "good", "Tab A's reasons.", "Tab B's reasons."
    )  # fmt: skip


def test_two_tabs_changing_the_same_answer_are_asked_about_that_answer_only(
    drive, cast, axe, screenshot
):
    review = assigned_review(cast)
    path = f"/reviews/{review.id}/form/grades/"
    errors = []

    def journey(tab_a):
        sign_in(tab_a, "reviewer.independent")
        tab_b = open_in_two_tabs(tab_a, path, errors)
        tab_a_saves_a_grade_and_its_reasons(tab_a)
        # B changes the same grade: its autosave is refused and says why; autosave stops.
        with tab_b.expect_response(is_autosave) as refused:
            group(tab_b, "Social work practice").get_by_label("Inadequate", exact=True).check()
        assert refused.value.status == 409
        expect(autosave_status(tab_b)).to_contain_text("Choose Save to see both versions")
        tab_b.get_by_label("Reasons for the grade for outcomes for the child").fill(
            "Tab B's reasons."
        )
        tab_b.get_by_role("button", name="Save and return to the review").click()

        table = tab_b.get_by_role("table", name="What changed")
        expect(table.locator("tbody tr")).to_have_count(1)
        expect(table.locator("tbody tr th")).to_have_text("Social work practice")
        expect(table.locator("tbody tr td")).to_have_text(["Good", "Inadequate"])
        # The form holds B's grade, A's reasons (B never touched them) and B's own reasons.
        practice = group(tab_b, "Social work practice")
        expect(practice.get_by_label("Inadequate", exact=True)).to_be_checked()
        expect(tab_b.get_by_label("Reasons for the grade for social work practice")).to_have_value(
            "Tab A's reasons."
        )
        expect(
            tab_b.get_by_label("Reasons for the grade for outcomes for the child")
        ).to_have_value("Tab B's reasons.")
        axe(tab_b)
        screenshot(tab_b, "two-tabs-one-answer-both-changed")
        tab_b.get_by_role("button", name="Save and return to the review").click()  # again
        expect(success_banner(tab_b)).to_contain_text("Grades saved")

    drive(journey)
    assert not errors, errors
    review.refresh_from_db()
    assert (review.grade("practice"), review.grade("practice", "rationale"),
            review.grade("outcome", "rationale")) == (
        "inadequate", "Tab A's reasons.", "Tab B's reasons."
    )  # fmt: skip


def review_ready_to_submit(cast):
    """An assigned review with every required section done, through the form's own rules."""
    review = assigned_review(cast)
    by = cast["reviewer_independent"]
    today = timezone.localdate()
    answers = {
        "child": {"review_date": f"{today:%d/%m/%Y}", "age_at_review": "17",
                  "legal_status": "looked_after", "gender": "male"},
        "standards": {key: "met" for key, _label in PRACTICE_STANDARDS},
        "themes": {f"strengths_{key}": "A strength." for key, _title in THEMES},
        "grades": {"practice_grade": "good", "practice_rationale": "Clear work.",
                   "outcome_grade": "good", "outcome_rationale": "Settled."},
    }  # fmt: skip
    for section, data in answers.items():
        form = SECTION_FORMS[section]({**data, "version": 0}, review=review)
        assert form.is_valid(), form.errors
        result = actions.save_section(review_id=review.id, section=section,
                                      values=form.values(), seen_version=0, by=by)  # fmt: skip
        assert result.ok
        review.refresh_from_db()
    actions.add_conversation(review=review, by=by, held_with="practitioner", held_on=today,
                             method="video", their_words="We spoke.")  # fmt: skip
    return review


def test_a_tab_left_open_after_submitting_says_so_and_so_does_the_back_button(
    drive, cast, axe, screenshot
):
    review = review_ready_to_submit(cast)
    submitted = f"Submitted on {timezone.localdate():%-d %B %Y}: it can no longer be changed."
    errors = []

    def journey(tab_a):
        sign_in(tab_a, "reviewer.independent")
        tab_b = open_in_two_tabs(tab_a, f"/reviews/{review.id}/form/grades/", errors)
        tab_a.goto(f"/reviews/{review.id}/submit/")
        tab_a.get_by_role("button", name="Submit the review").click()
        expect(success_banner(tab_a)).to_contain_text("Review submitted")
        # The tab left open: what is typed there is not saved, and the page says why.
        with tab_b.expect_response(is_autosave) as refused:
            tab_b.get_by_label("Reasons for the grade for social work practice").fill(
                "Second thoughts."
            )
        assert refused.value.status == 409
        expect(autosave_status(tab_b)).to_have_text(f"Not saved. {submitted}")
        tab_b.get_by_role("button", name="Save and return to the review").click()
        expect(tab_b).to_have_url(re.compile(rf"/reviews/{review.id}/$"))
        expect(tab_b.locator(".govuk-notification-banner")).to_contain_text(submitted)
        axe(tab_b)
        screenshot(tab_b, "submitted-review-from-a-tab-left-open")
        # The back button, to the submit page: the review's page again, not "Page not found".
        tab_a.go_back()
        expect(tab_a).to_have_url(re.compile(rf"/reviews/{review.id}/$"))
        expect(tab_a.locator(".govuk-notification-banner")).to_contain_text(submitted)

    drive(journey)
    assert not errors, errors
    review.refresh_from_db()
    assert review.status == "submitted" and review.grade("practice", "rationale") == "Clear work."


# --------------------------------------------------------------------------- bugs found


def test_typing_on_the_conflict_page_does_not_overwrite_the_other_save(drive, cast, live_server):
    review = assigned_review(cast)
    path = f"/reviews/{review.id}/form/grades/"
    errors = []

    def journey(page_a):
        sign_in(page_a, "reviewer.independent")
        page_b = open_grades_in_two_contexts(
            page_a, page_a.context.browser, live_server.url, path, errors
        )
        try:
            a_saves_then_b_saves_differently(page_a, page_b)
            expect(page_b.get_by_role("table", name="What changed")).to_be_visible()
            # B starts writing the reasons, without choosing Save again.
            page_b.get_by_label("Reasons for the grade for social work practice").fill(
                "Still thinking."
            )
            page_b.wait_for_timeout(2_500)  # longer than autosave's 1.5 s wait, and its answer
            said = autosave_status(page_b).inner_text()
            page_a.goto(path)
            good = group(page_a, "Social work practice").get_by_label("Good", exact=True)
            assert good.is_checked(), (
                f"A's grade was replaced although B never chose Save again; B's page says {said!r}"
            )
        finally:
            page_b.context.close()

    drive(journey)


def test_needs_an_interpreter_offers_not_known(drive, cast):
    review = assigned_review(cast)
    path = f"/reviews/{review.id}/form/child/"

    def journey(page):
        sign_in(page, "reviewer.independent")
        page.goto(path)
        for question in (
            "Needs an interpreter",
            "Arrived as an unaccompanied asylum-seeking child",
        ):
            radios = group(page, question).get_by_role("radio")
            expect(radios).to_have_count(3, timeout=1_000)
            expect(group(page, question).get_by_label("Not known")).to_have_count(1)

    drive(journey)


def test_the_review_page_lists_the_themes_in_the_forms_order(drive, cast):
    review = assigned_review(cast)
    form = ThemesSectionForm(
        {"version": 0, **{f"strengths_{key}": f"Strengths under {title}." for key, title in THEMES}}
    )
    assert form.is_valid(), form.errors
    result = actions.save_section(
        review_id=review.id, section="themes", values=form.values(), seen_version=0,
        by=cast["reviewer_independent"],
    )  # fmt: skip
    assert result.ok

    def journey(page):
        sign_in(page, "reviewer.independent")
        page.goto(f"/reviews/{review.id}/")
        headings = page.get_by_role("heading", level=2, name="Strengths and areas for development")
        titles = headings.locator("xpath=following-sibling::h3").all_inner_texts()
        expect(page.locator("h3", has_text=THEMES[0][1])).to_have_count(1)
        assert titles[: len(THEMES)] == [title for _key, title in THEMES], titles

    drive(journey)


def test_each_comment_box_says_which_standard_or_theme_it_is_for(drive, cast):
    review = assigned_review(cast)
    context_of = """(field) => {
        const labels = [...field.labels].map((label) => label.innerText).join(' ');
        const legends = [];
        let set = field.closest('fieldset');
        while (set) {
            legends.push(set.querySelector('legend')?.innerText || '');
            set = set.parentElement.closest('fieldset');
        }
        const described = (field.getAttribute('aria-describedby') || '').split(' ')
            .map((id) => document.getElementById(id)?.innerText || '').join(' ');
        return [labels, field.getAttribute('aria-label') || '', ...legends, described].join(' ');
    }"""

    def journey(page):
        sign_in(page, "reviewer.independent")
        unnamed = []
        page.goto(f"/reviews/{review.id}/form/standards/")
        for key, label in PRACTICE_STANDARDS:
            for field in (f"#id_{key}_comment", f"#id_{key}_put_right"):
                if label not in page.locator(field).evaluate(context_of):
                    unnamed.append(field)
        page.goto(f"/reviews/{review.id}/form/themes/")
        for key, title in THEMES:
            for field in (f"#id_strengths_{key}", f"#id_development_{key}"):
                if title not in page.locator(field).evaluate(context_of):
                    unnamed.append(field)
        assert not unnamed, f"named without their standard or theme: {unnamed}"

    drive(journey)


def test_the_qa_lead_changes_the_reviewer(drive, cast, axe):
    review = assigned_review(cast)

    def journey(page):
        sign_in(page, "qa.lead")
        page.goto(f"/reviews/{review.id}/")
        page.get_by_role("link", name="Change the reviewer or due date").click()
        axe(page)
        page.get_by_label("Reviewer", exact=True).select_option(
            label="Head of Safeguarding and QA – reviewer"
        )
        page.get_by_label("Internal").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Review assigned to Head of Safeguarding and QA"
        )
        expect(page.get_by_role("main")).to_contain_text("Reassigned from Independent Associate")
        axe(page)

    drive(journey)
