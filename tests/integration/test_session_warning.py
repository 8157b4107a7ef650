"""The session page and "Stay signed in" (issue 13: WCAG 2.2.1 Timing adjustable).

The browser asks how long is left before it warns, and "Stay signed in" restarts the idle clock
(accounts/session_views.py). Asking must not lengthen the session, or an open tab would keep
everyone signed in for ever; nothing lengthens the absolute limit. Times are moved by rewriting
the stored timestamps, as in test_sign_in_security.py.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice_review.accounts.session_clock import LAST_SEEN_AT, SIGNED_IN_AT
from tests.conftest import TwoFactorClient

pytestmark = pytest.mark.django_db

STATUS = "/accounts/session/"
EXTEND = "/accounts/session/extend/"


def now():
    return int(timezone.now().timestamp())


def move_session_clock(browser, **ago):
    session = browser.session
    for key, delta in ago.items():
        session[key] = now() - int(delta.total_seconds())
    session.save()


def test_the_session_page_says_how_long_is_left_without_making_it_longer(client, cast):
    client.force_login(cast["reviewer_independent"])
    move_session_clock(
        client,
        signed_in_at=datetime.timedelta(hours=2),
        last_seen_at=datetime.timedelta(minutes=10),
    )
    last_seen = client.session[LAST_SEEN_AT]
    response = client.get(STATUS)
    assert response.status_code == 200
    left = response.json()
    assert 20 * 60 - 5 <= left["idle_seconds_left"] <= 20 * 60
    assert 10 * 3600 - 5 <= left["absolute_seconds_left"] <= 10 * 3600
    assert (left["idle_timeout_seconds"], left["warning_seconds"]) == (30 * 60, 2 * 60)
    assert client.session[LAST_SEEN_AT] == last_seen  # asking is not activity
    assert "no-store" in response["Cache-Control"]


def test_the_session_page_of_an_ended_session_signs_out_and_sends_to_sign_in(client, cast):
    client.force_login(cast["reviewer_independent"])
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=31))
    response = client.get(STATUS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_stay_signed_in_restarts_the_idle_clock(client, cast):
    client.force_login(cast["reviewer_independent"])
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=29))
    response = client.post(EXTEND)
    assert response.status_code == 200
    assert response.json()["idle_seconds_left"] >= 30 * 60 - 2
    assert now() - client.session[LAST_SEEN_AT] <= 2
    # Twenty more minutes on, the person is still signed in: without it they would not be.
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=20))
    assert client.get(reverse("home")).status_code == 200


def test_stay_signed_in_cannot_pass_the_absolute_limit(client, cast):
    client.force_login(cast["reviewer_independent"])
    move_session_clock(
        client,
        signed_in_at=datetime.timedelta(hours=11, minutes=59),
        last_seen_at=datetime.timedelta(minutes=29),
    )
    signed_in_at = client.session[SIGNED_IN_AT]
    left = client.post(EXTEND).json()
    assert left["absolute_seconds_left"] <= 60
    assert client.session[SIGNED_IN_AT] == signed_in_at
    move_session_clock(client, signed_in_at=datetime.timedelta(hours=12))
    response = client.post(EXTEND)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_stay_signed_in_does_not_bring_an_ended_session_back(client, cast):
    client.force_login(cast["reviewer_independent"])
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=31))
    response = client.post(EXTEND)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_stay_signed_in_needs_someone_signed_in_and_the_forms_token(cast):
    anonymous = Client()
    response = anonymous.post(EXTEND)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert anonymous.get(STATUS)["Location"].startswith(reverse("login"))
    # Another site cannot keep someone signed in: the POST needs the CSRF token.
    browser = TwoFactorClient(enforce_csrf_checks=True)
    browser.force_login(cast["reviewer_independent"])
    move_session_clock(browser, last_seen_at=datetime.timedelta(minutes=29))
    assert browser.post(EXTEND).status_code == 403
    assert now() - browser.session[LAST_SEEN_AT] >= 29 * 60
    assert browser.get(EXTEND).status_code == 405


def test_every_autosave_restarts_the_idle_clock_to_the_second(client, cast):
    """The page restarts its own clock after each save, so the server's must agree: a page
    view is noted once a minute, a save at once."""
    client.force_login(cast["reviewer_independent"])
    move_session_clock(client, last_seen_at=datetime.timedelta(seconds=40))
    client.get(reverse("home"))
    assert now() - client.session[LAST_SEEN_AT] >= 39  # a page view within the minute
    client.post("/reviews/1/form/child/", {}, headers={"X-Autosave": "1"})
    assert now() - client.session[LAST_SEEN_AT] <= 2


def test_pages_of_a_signed_in_person_carry_the_warning_and_the_time_left(client, cast):
    client.force_login(cast["reviewer_independent"])
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=5))
    page = client.get(reverse("home")).content.decode()
    assert '<dialog id="session-timeout"' in page
    idle = int(re.search(r'data-idle-seconds-left="(\d+)"', page).group(1))
    assert 30 * 60 - 5 <= idle <= 30 * 60  # this page view was activity
    assert "Stay signed in" in page and "we will sign you out in <strong" in page
    # Who they are is not in the page's key for what the browser keeps: a keyed hash is.
    owner = re.search(r'data-session-owner="([0-9a-f]+)"', page).group(1)
    assert str(cast["reviewer_independent"].pk) != owner and "reviewer.independent" not in owner
    signed_out = Client().get(reverse("login")).content.decode()
    assert "session-timeout" not in signed_out and "data-session-owner" not in signed_out


def test_the_warning_and_the_messages_take_their_lengths_from_settings(client, cast, settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=15)
    settings.SESSION_ABSOLUTE_TIMEOUT = datetime.timedelta(hours=8)
    settings.SESSION_WARNING_BEFORE = datetime.timedelta(minutes=3)
    client.force_login(cast["qa_lead"])
    page = client.get(reverse("home")).content.decode()
    assert 'data-warning-seconds="180"' in page and 'data-idle-timeout-seconds="900"' in page
    assert "we will sign you out in <strong data-session-countdown>3 minutes</strong>" in page
    assert "You can stay signed in for 8 hours at most" in page
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=16))
    response = client.get(reverse("home"))
    message = client.get(response["Location"]).content.decode()
    assert "You were signed out after 15 minutes without activity" in message
