"""Load test: Practice Review's users at work, as their browsers would talk to the server.

    locust -f benchmarks/load/locustfile.py --headless -u 50 -r 10 -t 2m --host http://127.0.0.1:P

Run it through `benchmarks/load/run.py` (or `make load`), which prepares the data, starts the
server and checks the results against docs/spec/quality.md#load. It needs LOAD_USERS_FILE, the JSON
that prepare.py writes (usernames, the password, TOTP keys, ids to open).

Who does what (weights are how many of the 50 simulated people have each role):
- reviewers (30): home, "my reviews", their review's task list, then a section of the form:
  open it, type (an autosave of the whole form every few seconds, as static/js/autosave.js
  sends it: the form's fields, its CSRF token and the section version the last save returned),
  and about half the time press Save (the form POST) and go back to the task list;
- QA leads (6): home, cohort pages, the tracker, the reports list, a report draft, a review;
- practitioners (7) and managers (7): home, their review, now and then a reflection and
  response; managers also the tracker and an update on the recommendation they own.

Every request is named "<kind>: <page>", kind being "page" (a GET of a page), "save" (a POST
that writes) or "sign-in"; run.py reports percentiles for pages and saves separately. Each
person signs in once, the real way: password, then (when the server asks) a TOTP code from
their own device; the working period starts when everyone has signed in. Redirects are never
followed silently: a page must answer 200 and a form POST 302, so a lost session or a
validation error counts as a failure.
"""

import csv
import json
import os
import random
import time
from collections import defaultdict
from urllib.parse import urljoin, urlsplit

import gevent
import gevent.event

# The form reader is a module of its own, so tests can use it without gevent's monkey-patching.
from browser_forms import PHRASES, Forms, set_field, type_into
from django_otp.oath import totp
from locust import HttpUser, between, events, task

USERS_FILE = os.environ.get("LOAD_USERS_FILE", "")
RAW_OUT = os.environ.get("LOAD_RAW_OUT", "")
TWO_FACTOR_PATH = "/account/two-factor/"

# Typing pauses between autosaves: autosave.js saves after a 1.5 s pause, at least every 5 s.
TYPING_SECONDS = (1.5, 5.0)


# ------------------------------------------------------------------------ the people to be


def _load_users():
    if not USERS_FILE:
        return {"users": [], "password": "", "cohorts": [], "reports": [], "reviews": []}
    with open(USERS_FILE) as file:
        return json.load(file)


DATA = _load_users()
_accounts = defaultdict(list)
for _entry in DATA["users"]:
    _accounts[_entry["role"]].append(_entry)


def take_account(role):
    """The next unused account of this role: each simulated person is a different user, so
    each has their own review and TOTP device (a code is accepted once only)."""
    if not _accounts[role]:
        raise RuntimeError(f"no {role} accounts left in {USERS_FILE}: prepare more --users")
    return _accounts[role].pop(0)


def is_second_factor(location):
    return urlsplit(location).path.startswith(TWO_FACTOR_PATH)


# ------------------------------------------------------------------------ signing in first

# Everyone signs in first, then the working period starts for all at once. A sign-in is slow on
# purpose (PBKDF2 with Django's 1,000,000 iterations, about 0.3 s of CPU), so 50 of them in 5
# seconds keep both cores busy for a while: that storm is measured on its own ("sign-in: ..."
# rows), and pages and saves are measured in the working period that follows.
_signed_in = 0
_everyone_in = gevent.event.Event()
SIGN_IN_WAIT_SECONDS = 120


def everyone_signed_in(runner):
    """Count this person in, then wait (at most SIGN_IN_WAIT_SECONDS) for the others."""
    global _signed_in
    _signed_in += 1
    expected = getattr(runner, "target_user_count", None) or 0
    if _signed_in >= expected:
        _everyone_in.set()
    _everyone_in.wait(timeout=SIGN_IN_WAIT_SECONDS)


# ------------------------------------------------------------------------ the raw figures

_raw = []


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, **_):
    status = getattr(response, "status_code", 0) if response is not None else 0
    failed = "" if exception is None else "failed"
    _raw.append((name, round(response_time, 2), status, failed, round(time.time(), 3)))


@events.test_stop.add_listener
def _write_raw(**_):
    """Every request's time, for run.py's percentiles over all pages and over all saves."""
    if not RAW_OUT:
        return
    with open(RAW_OUT, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["name", "ms", "status", "failed", "at"])
        writer.writerows(_raw)


# ------------------------------------------------------------------------ the people


class Person(HttpUser):
    abstract = True
    role = ""
    # A busy person: a few seconds between clicks (real ones read for much longer).
    wait_time = between(1, 4)

    def on_start(self):
        self.account = take_account(self.role)
        self.last_code_step = None
        try:
            self.sign_in()
        finally:
            everyone_signed_in(self.environment.runner)
        # Then the working period: people do not all click at the same instant.
        gevent.sleep(random.uniform(0, 2))

    # -- requests, checked strictly

    def page(self, path, name, kind="page"):
        """GET a page; anything but 200 (a redirect to sign-in, a 404, a 500) is a failure."""
        with self.client.get(
            path, name=f"{kind}: {name}", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for a page")
            return response

    def post(self, path, form, name, *, expect=302, headers=None, to=None):
        """POST a form as the browser does; a form that saves answers 302 (and JSON 200)."""
        with self.client.post(
            path,
            data=[tuple(field) for field in form["fields"]],
            headers=headers,
            name=f"{name}",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code}, expected {expect}")
            elif to and to not in response.headers.get("Location", ""):
                response.failure(f"redirected to {response.headers.get('Location')}")
            return response

    # -- signing in

    def sign_in(self):
        response = self.page("/sign-in/", "page", kind="sign-in")
        form = Forms(response.text).find(has="username")
        set_field(form, "username", self.account["username"])
        set_field(form, "password", DATA["password"])
        response = self.post("/sign-in/", form, "sign-in: password")
        location = response.headers.get("Location", "")
        if location and not is_second_factor(location):
            # The browser follows the redirect (to the home page); a person who still owes their
            # second factor is sent on from there to the code page.
            with self.client.get(
                location, name="sign-in: first page", allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code not in (200, 302):
                    response.failure(f"{response.status_code} after signing in")
                location = response.headers.get("Location", "")
        if is_second_factor(location):
            self.second_factor(urljoin("/sign-in/", location))

    def second_factor(self, url):
        response = self.page(url, "two-factor page", kind="sign-in")
        form = Forms(response.text).find(has="code")
        set_field(form, "code", self.code())
        # A refused code shows the page again (200), which post() counts as a failure.
        self.post(url, form, "sign-in: two-factor code")

    def code(self):
        """The current TOTP code. A code is accepted once: never reuse a 30-second step."""
        step = int(time.time()) // 30
        if step == self.last_code_step:
            gevent.sleep(30 - time.time() % 30 + 0.1)
            step = int(time.time()) // 30
        self.last_code_step = step
        return f"{totp(bytes.fromhex(self.account['totp_key'])):06d}"

    # -- what several roles do

    @task(3)
    def home(self):
        self.page("/", "home")


class Reviewer(Person):
    weight = 30
    role = "reviewer"

    @task(2)
    def my_reviews(self):
        self.page("/my-reviews/", "my reviews")

    @task(3)
    def task_list(self):
        self.page(f"/reviews/{self.account['review']}/form/", "review task list")

    @task(1)
    def conversations(self):
        self.page(f"/reviews/{self.account['review']}/form/conversations/", "review conversations")

    @task(4)
    def fill_in_a_section(self):
        """Open a section, type with autosave, then (about half the time) press Save."""
        review = self.account["review"]
        section = random.choice(["child", "standards", "themes", "grades"])
        path = f"/reviews/{review}/form/{section}/"
        response = self.page(path, f"review section ({section})")
        if response.status_code != 200:
            return
        form = Forms(response.text).find(attr="data-autosave")
        for _ in range(random.randint(1, 3)):
            gevent.sleep(random.uniform(*TYPING_SECONDS))
            type_into(form, section)
            saved = self.post(path, form, "save: autosave", expect=200,
                              headers={"X-Autosave": "1"})  # fmt: skip
            if saved.status_code != 200:
                return
            set_field(form, "version", str(saved.json()["version"]))
        if random.random() < 0.5:
            self.post(path, form, "save: section (Save button)", to=f"/reviews/{review}/form/")
            self.page(f"/reviews/{review}/form/", "review task list")


class QALead(Person):
    weight = 6
    role = "qa_lead"

    @task(3)
    def cohort(self):
        self.page(f"/cohorts/{random.choice(DATA['cohorts'])}/", "cohort")

    @task(2)
    def tracker(self):
        self.page("/recommendations/", "tracker")

    @task(1)
    def reports(self):
        self.page("/reports/", "reports")

    @task(2)
    def report_draft(self):
        self.page(f"/reports/{random.choice(DATA['reports'])}/", "report draft")

    @task(2)
    def review(self):
        self.page(f"/reviews/{random.choice(DATA['reviews'])}/", "review")


class Practitioner(Person):
    weight = 7
    role = "practitioner"

    @task(4)
    def review(self):
        self.page(f"/reviews/{self.account['review']}/", "review")

    @task(1)
    def respond(self):
        review = self.account["review"]
        response = self.page(f"/reviews/{review}/", "review")
        if response.status_code != 200:
            return
        form = Forms(response.text).find(action=f"/reviews/{review}/respond/")
        set_field(form, "text", random.choice(PHRASES))
        if self.post(form["attrs"]["action"], form, "save: response").status_code == 302:
            self.page(f"/reviews/{review}/", "review")


class Manager(Practitioner):
    weight = 7
    role = "manager"

    @task(2)
    def tracker(self):
        self.page("/recommendations/", "tracker")

    @task(1)
    def tracker_update(self):
        recommendation = self.account["recommendation"]
        path = f"/recommendations/{recommendation}/"
        response = self.page(path, "tracker item")
        if response.status_code != 200:
            return
        form = Forms(response.text).find(action=f"{path}update/")
        set_field(form, "text", random.choice(PHRASES))
        if self.post(form["attrs"]["action"], form, "save: tracker update").status_code == 302:
            self.page(path, "tracker item")
