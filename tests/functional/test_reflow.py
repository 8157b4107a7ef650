"""Reflow (WCAG 2.2 1.4.10): at 320 CSS pixels wide no page is wider than the screen.

Each demo person signs in on a 320 x 640 screen and follows every link they are shown,
breadth first, as a person would: no page may make them scroll sideways to read it. A wide
table scrolls inside its own region (`.app-table-scroll`), which is allowed: the page itself
stays 320 pixels wide.

The world is the demo's (the seed cohorts, a cohort of reviews to do, a published summary
report whose draft can still be changed, a closed moderation meeting and a dual review), plus
what a working week adds: an alert, and an open meeting with a submitted review on its agenda.
So the crawl reaches final reviews, cohorts, recurring findings, the narrative editor and the
review form. A page too wide is listed with what sticks out, and its screenshot is left in
/tmp/screens/reflow-<person>-<path>.png.
"""

import datetime
import re
from urllib.parse import urldefrag, urlparse

import pytest

from practice_review.accounts.models import StaffMember, system_actor
from practice_review.alerts.actions import raise_alert
from practice_review.core.vocabulary import ReviewStatus
from practice_review.moderation import actions as moderation_actions
from practice_review.reviews.models import Review
from practice_review.site.management.commands.demo import (
    DEMO_COHORT,
    _moderation,
    _reviews_to_do,
    _summary_report,
    council_staff_records,
)
from tests.conftest import SEPTEMBER
from tests.functional.conftest import SCREENS
from tests.functional.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 320, 640
PAGES_PER_PERSON = 250
PEOPLE = ["qa.lead", "reviewer.independent", "reviewer.internal", "practitioner", "manager",
          "senior.leader"]  # fmt: skip
# Not pages to read: files to download (review and report documents, exports, figures), the
# Django admin, and the one link that changes something on a GET (cancelling a held import).
NOT_PAGES = re.compile(r"\.[a-z]+$|^/static/|^/admin/|^/sign-out/|^/import/cancel/")

# The outermost elements that stick out past the right edge of the screen, leaving out those a
# region that scrolls or clips holds in: what to fix, for the person reading the failure. An
# absolutely positioned element (visually hidden text) escapes every region up to the nearest
# positioned one, its containing block.
STICKING_OUT = """(width) => {
    const heldIn = (element) => {
        let position = getComputedStyle(element).position;
        for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
            if (position === 'fixed') return false;
            const style = getComputedStyle(e);
            if (position === 'absolute' && style.position === 'static') continue;
            if (style.overflowX !== 'visible') return true;
            position = style.position;
        }
        return false;
    };
    const outermost = [];
    for (const element of document.body.querySelectorAll('*')) {
        if (outermost.length === 3) break;
        if (element.getBoundingClientRect().right <= width + 0.5 || heldIn(element)) continue;
        if (!outermost.some((outer) => outer.contains(element))) outermost.push(element);
    }
    return outermost.map((element) => {
        const name = [element.tagName.toLowerCase(), ...element.classList].join('.');
        return `${name} to ${Math.round(element.getBoundingClientRect().right)} px`;
    });
}"""


@pytest.fixture
def demo_world(cast):
    """The demo's data for the cast (who are the demo's people), and a working week's more."""
    qa_lead = cast["qa_lead"]
    council_staff_records(system_actor())
    _reviews_to_do(system_actor())
    _summary_report(qa_lead)
    _moderation(qa_lead)
    to_do = Review.objects.get(cohort__name=DEMO_COHORT, reviewer__name="Independent Associate")
    raise_alert(review=to_do, concern="The child has not been seen for eight weeks.",
                severity="high", must_act=StaffMember.objects.get(initials="BA"),
                by=cast["reviewer_independent"])  # fmt: skip
    submitted = Review.objects.filter(cohort__name=SEPTEMBER).first()
    Review.objects.filter(pk=submitted.pk).update(status=ReviewStatus.SUBMITTED)
    submitted.refresh_from_db()
    moderation_actions.plan_meeting(by=qa_lead, held_on=datetime.date(2025, 4, 9),
                                    attendees="QA lead; Head of Safeguarding and QA",
                                    reviews=[submitted])  # fmt: skip


def crawl_at_320(page, origin, username):
    """Follow every link from the home page, breadth first, up to PAGES_PER_PERSON pages.

    Returns ({path: (width, what sticks out)}, the paths found but not visited)."""
    widths, queue = {}, ["/"]
    while queue and len(widths) < PAGES_PER_PERSON:
        path = queue.pop(0)
        page.goto(path)
        widths[path] = measure(page, f"{username}{path}")
        for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
            target = urlparse(urldefrag(href).url)
            if f"{target.scheme}://{target.netloc}" != origin or NOT_PAGES.search(target.path):
                continue
            found = target.path + (f"?{target.query}" if target.query else "")
            if found not in widths and found not in queue:
                queue.append(found)
    return widths, queue


def measure(page, name):
    """The page's width with everything it folds away opened (as a reader would open it), and
    when it is too wide, what sticks out and a screenshot of it."""
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width <= WIDTH:
        return width, []
    SCREENS.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    page.screenshot(path=str(SCREENS / f"reflow-{slug}.png"), full_page=True)
    return width, page.evaluate(STICKING_OUT, WIDTH)


# The kinds of page the accessibility issue found too wide, which the crawl must reach.
MUST_REACH = {
    "a review": re.compile(r"^/reviews/\d+/$"),
    "a cohort": re.compile(r"^/cohorts/\d+/$"),
    "recurring findings": re.compile(r"^/moderation/recurring/$"),
    "the narrative editor": re.compile(r"^/reports/\d+/narrative/[\w-]+/$"),
    "the review form": re.compile(r"^/reviews/\d+/form/[\w-]+/$"),
}


def test_no_page_is_wider_than_a_320_pixel_screen(drive, demo_world, live_server):
    widths, left = {}, {}  # (person, path) -> (width, what sticks out); person -> not visited

    def journey(page):
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        page.goto("/sign-in/")
        widths["nobody", "/sign-in/"] = measure(page, "sign-in")
        for username in PEOPLE:
            page.context.clear_cookies()  # signed out (the menu hides Sign out at this width)
            sign_in(page, username)
            theirs, left[username] = crawl_at_320(page, live_server.url, username)
            widths.update({(username, path): found for path, found in theirs.items()})

    drive(journey)
    reached = {path for _, path in widths}
    for kind, pattern in MUST_REACH.items():
        assert any(pattern.match(path) for path in reached), f"the crawl never reached {kind}"
    too_wide = [
        f"{username} {path}: {width} px ({'; '.join(sticking_out)})"
        for (username, path), (width, sticking_out) in widths.items()
        if width > WIDTH
    ]
    assert too_wide == [], (
        f"{len(too_wide)} of {len(widths)} pages are wider than a {WIDTH} px screen:\n"
        + "\n".join(too_wide)
    )
    # Every link was followed: the bound only stops a crawl that has run away.
    assert not any(left.values()), f"pages left unvisited after {PAGES_PER_PERSON}: {left}"
