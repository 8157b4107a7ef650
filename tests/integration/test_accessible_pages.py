"""Every page of the access table says what it is in its title, and shows every error it has.

WCAG 2.4.2 (page titled): two different pages about the same thing (a review's task list and the
review itself) must not share a title, and a page showing an error summary starts its title
"Error: ", as GOV.UK asks, so a screen reader user hears at once that the form came back.
WCAG 3.3.1 (error identification): no error message, and no field an error summary links to, may
sit inside a closed details or a hidden conditional reveal, where the link does nothing and the
message cannot be seen. A link to a place on a page (`#id`) finds that place, and every back link
is in a landmark (as the breadcrumbs are), so nothing is left outside them.

The pages are those of the access table (url_access.py), as each person of the cast may open
them, in the access world; each request's writes are rolled back.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.db import transaction
from django.urls import reverse

from practice_review.reviews.review_forms import SECTION_FORMS
from tests.conftest import TwoFactorClient
from tests.integration.access_world import build_world
from tests.integration.url_access import ACCESS, PUBLIC, may_use

pytestmark = pytest.mark.django_db

# Rows whose URL names a part of a page as well as an object: each part is a page of its own.
VARIANTS = {"review_section": [{"section": section} for section in SECTION_FORMS]}
# Refused answers to send besides an empty form: a child's case with a date of birth that is
# not a date, for a child already known (so the new child's details would stay closed).
BAD_ANSWERS = {"cohort_add_case": {"case_ref": "C1001", "date_of_birth": "31/02/2012"}}
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
LINK_WITH_FRAGMENT = re.compile(r'<a [^>]*href="([^"]*#[^"]+)"')


@pytest.fixture
def world(cast):
    return build_world(cast)


def send(client, url, data=None):
    """A GET, or a POST of `data`, whose writes are rolled back, so every request sees the same
    world (as test_access_matrix.attempt)."""
    with transaction.atomic():
        response = client.get(url) if data is None else client.post(url, data)
        transaction.set_rollback(True)
    return response


class Outline(HTMLParser):
    """What a page shows of its errors: each element's id, each error message and the error
    summary's links, noting whether each is hidden inside a closed <details> or a hidden
    conditional reveal (GOV.UK's `govuk-radios__conditional--hidden` and its checkbox twin);
    and its back links, noting whether each is in a landmark."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip
    LANDMARK_TAGS = {"main", "nav", "header", "footer", "aside"}
    LANDMARK_ROLES = {"banner", "navigation", "main", "contentinfo", "complementary", "region",
                      "search", "form"}  # fmt: skip

    def __init__(self):
        super().__init__()
        self.stack = []  # the open elements: (tag, hides what it holds, is a landmark, summary)
        self.ids = {}  # id -> hidden
        self.error_messages = []  # (id, hidden)
        self.summary_links = []  # ids the error summary links to
        self.has_error_summary = False
        self.back_links = []  # (href, in a landmark)

    def inside(self, index):
        return any(element[index] for element in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        classes = attrs.get("class", "").split()
        hidden = self.inside(1)
        if "id" in attrs:
            self.ids[attrs["id"]] = hidden
        if "govuk-error-message" in classes:
            self.error_messages.append((attrs.get("id", "(no id)"), hidden))
        if tag == "a" and self.inside(3) and attrs.get("href", "").startswith("#"):
            self.summary_links.append(attrs["href"][1:])
        if "govuk-back-link" in classes:
            self.back_links.append((attrs.get("href", ""), self.inside(2)))
        if tag in self.VOID:
            return
        hides = (tag == "details" and "open" not in attrs) or any(
            name.endswith("__conditional--hidden") for name in classes
        )
        landmark = tag in self.LANDMARK_TAGS or attrs.get("role") in self.LANDMARK_ROLES
        summary = "govuk-error-summary" in classes
        self.has_error_summary |= summary
        self.stack.append((tag, hides, landmark, summary))

    def handle_endtag(self, tag):
        # Close up to the element this ends, as a browser forgives a missing end tag.
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return


def outline(response):
    parsed = Outline()
    parsed.feed(response.content.decode(errors="replace"))
    parsed.close()
    return parsed


def title_of(response):
    found = TITLE.search(response.content.decode(errors="replace"))
    return " ".join(found.group(1).split()) if found else ""


def is_html(response):
    """An HTML page: not a redirect, a download or JSON."""
    redirect = 300 <= response.status_code < 400
    return not redirect and "text/html" in response.get("Content-Type", "")


def acting(access, user):
    """The objects of the row's kind this person may use its URL on (as url_access.pick)."""
    kind = access.object
    seen = kind.candidates().filter(pk__in=kind.sees(user).values("pk"))
    return access.only(user, seen) if access.only else seen


def page_urls(name, access, objects):
    """(page, url): the row's URL for each object (None: the URL names none) and variant."""
    for extra in VARIANTS.get(name, [access.extra]):
        page = "/".join([name, *map(str, extra.values())])
        for obj in objects:
            ids = access.object.kwargs(obj) if obj is not None else {}
            yield page, reverse(name, kwargs={**extra, **ids} or None)


def pages_each_person_sees(client, cast):
    """(person, page, url, response) for every page each person may open: for a row naming an
    object, each object of a pool holding the first object of every row's kind, so that
    different pages about one review (or cohort, or report) are all seen for it."""
    for person, user in cast.items():
        client.force_login(user)
        rows = {
            name: access
            for name, access in ACCESS.items()
            if access.who != PUBLIC and not access.post_only and may_use(access, user.role)
        }
        pool = defaultdict(dict)  # model -> {pk: object}
        for access in rows.values():
            if access.object is not None:
                first = acting(access, user).order_by("pk").first()
                if first is not None:
                    pool[access.object.candidates().model][first.pk] = first
        for name, access in rows.items():
            objects = [None]
            if access.object is not None:
                pooled = pool[access.object.candidates().model]
                usable = acting(access, user).filter(pk__in=list(pooled))
                objects = [pooled[pk] for pk in sorted(usable.values_list("pk", flat=True))]
            for page, url in page_urls(name, access, objects):
                response = send(client, url)
                if response.status_code == 200 and is_html(response):
                    yield person, page, url, response


def someone_who_may_use(access, cast):
    """The first of the cast whose role may use the row, and an object they may use it on."""
    for user in cast.values():
        if not may_use(access, user.role):
            continue
        if access.object is None:
            return user, None
        obj = acting(access, user).order_by("pk").first()
        if obj is not None:
            return user, obj
    raise AssertionError(f"nobody in the access world may use {access}")


def pages_after_sending(cast):
    """(request, response) for every page of the table as first shown, and as shown after a
    person who may use it sends an empty form (and BAD_ANSWERS'), each as that person."""
    for name, access in ACCESS.items():
        if name == "logout":  # ends the session
            continue
        client = TwoFactorClient()  # signs in with both factors
        obj = None
        if access.who != PUBLIC:
            user, obj = someone_who_may_use(access, cast)
            client.force_login(user)
        for page, url in page_urls(name, access, [obj]):
            if not access.post_only:
                yield f"GET {page}", send(client, url)
            for data in [{}, *([BAD_ANSWERS[name]] if name in BAD_ANSWERS else [])]:
                yield f"POST {page} {data or ''}", send(client, url, data)


def test_no_two_pages_about_the_same_thing_share_a_title(client, cast, world):
    """WCAG 2.4.2: for each person, no title is shared by two kinds of page (a review's task
    list and the review's own page, say, both about one review)."""
    pages_with = defaultdict(set)  # (person, title) -> kinds of page
    for person, page, _url, response in pages_each_person_sees(client, cast):
        pages_with[person, title_of(response)].add(page)
    clashes = [
        f"{person}: {sorted(pages)} are all titled {title!r}"
        for (person, title), pages in pages_with.items()
        if len(pages) > 1
    ]
    assert not clashes, "\n".join(clashes)
    assert len(pages_with) > 100


def test_a_page_showing_an_error_summary_starts_its_title_with_error(cast, world):
    """GOV.UK's rule for every form: "Error: " in front of the title when (and only when) the
    page shows an error summary."""
    wrong, with_errors = [], 0
    for request, response in pages_after_sending(cast):
        if not is_html(response):
            continue
        shows_summary = outline(response).has_error_summary
        with_errors += shows_summary
        if shows_summary != title_of(response).startswith("Error: "):
            summary = "an error summary" if shows_summary else "no error summary"
            wrong.append(f"{request}: {summary}, titled {title_of(response)!r}")
    assert not wrong, "\n".join(wrong)
    assert with_errors >= 15


def test_no_error_is_hidden_in_a_closed_details_or_conditional_reveal(cast, world):
    """WCAG 3.3.1: every error message shows, and every link of the error summary leads to a
    field that is there and not hidden, on every page of the table after a refused form."""
    hidden, checked = [], 0
    for request, response in pages_after_sending(cast):
        if not is_html(response):
            continue
        page = outline(response)
        for id_, is_hidden in page.error_messages:
            checked += 1
            if is_hidden:
                hidden.append(f"{request}: the error message {id_} is hidden")
        for target in page.summary_links:
            if page.ids.get(target, True):
                where = "hidden" if target in page.ids else "not on the page"
                hidden.append(f"{request}: the error summary's link to #{target} is {where}")
    assert not hidden, "\n".join(hidden)
    assert checked >= 20


def test_every_link_to_a_place_on_a_page_finds_it(client, cast, world):
    """A link ending `#id` (Change the comparison, Back to the meeting's agenda...) lands on an
    element with that id, for each person on every page they may open."""
    missing, followed, ids_on = [], 0, {}
    for person, page, url, response in pages_each_person_sees(client, cast):
        for href in LINK_WITH_FRAGMENT.findall(response.content.decode()):
            target = urlparse(urljoin(url, href.replace("&amp;", "&")))
            if target.netloc or target.path.startswith("/static/"):
                continue
            if (person, target.path) not in ids_on:
                shown = response if target.path == url else send(client, target.path)
                opens = shown.status_code == 200 and is_html(shown)  # the crawl checks the rest
                ids_on[person, target.path] = outline(shown).ids if opens else None
            if ids_on[person, target.path] is None:
                continue
            followed += 1
            if target.fragment not in ids_on[person, target.path]:
                missing.append(f"{person} on {page}: {href} finds no #{target.fragment}")
    assert not missing, "\n".join(missing)
    assert followed > 100


def test_every_back_link_is_in_a_landmark(client, cast, world):
    """A back link sits before <main>, where GOV.UK puts it (so Skip to main content skips it),
    inside a <nav> of its own: a screen reader user moving by landmarks finds it, and no
    content is outside every landmark."""
    outside, seen = [], 0
    for person, page, _url, response in pages_each_person_sees(client, cast):
        for href, in_landmark in outline(response).back_links:
            seen += 1
            if not in_landmark:
                outside.append(f"{person} on {page}: the back link to {href}")
    assert not outside, "\n".join(outside)
    assert seen > 20
