"""Lockout, session timeouts and deactivation.

docs/spec/quality.md#lockout: "11 bad passwords in 5 minutes" (refused; lockout logged; other users
unaffected), docs/spec/quality.md#session-timeouts: "idle 30 minutes; 12 hours absolute" (signed
out) and, from docs/spec/quality.md#revoked-access, the "deactivate a user" half of "revoke an
assignment or deactivate a user, reuse the live session" (the next request is refused). Times are
moved by rewriting the stored timestamps, never by waiting.
"""

import datetime
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice_review.accounts.models import User
from practice_review.accounts.session_clock import LAST_SEEN_AT, SIGNED_IN_AT
from practice_review.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(browser, username, password=PASSWORD):
    return browser.post(reverse("login"), {"username": username, "password": password})


def is_signed_in(browser):
    return "_auth_user_id" in browser.session


# Lockout ------------------------------------------------------------------------------------


def test_eleven_wrong_passwords_lock_that_username_and_the_lockout_is_logged(cast, caplog):
    """docs/spec/quality.md#lockout: "11 bad passwords in 5 minutes": refused, even with the right
    password afterwards; the lockout is in the audit trail; no log line names the person or
    address."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="axes")  # every line axes could write, quiet or not
    browser = Client()
    for attempt in range(1, 10):
        response = sign_in(browser, "qa.lead", f"wrong password {attempt}")
        assert response.status_code == 200, attempt  # the sign-in page with its error
    # The tenth wrong password locks the username: it and the eleventh are refused...
    assert sign_in(browser, "qa.lead", "wrong password 10").status_code == 429
    assert sign_in(browser, "qa.lead", "wrong password 11").status_code == 429
    # ...and so is the right password, for 5 minutes.
    response = sign_in(browser, "qa.lead")
    page = response.content.decode()
    assert response.status_code == 429
    assert not is_signed_in(browser)
    assert "<title>You cannot sign in for 5 minutes" in page
    assert "Wait 5 minutes" in page and "qa.lead" not in page

    lockouts = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT)
    assert lockouts.exists()
    assert all(event.details == {"username": "qa.lead"} for event in lockouts)
    assert all(event.actor is None for event in lockouts)
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert failures.count() == 12
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN).exists()
    # No personal data in ordinary logs: neither the username nor the address.
    assert "qa.lead" not in caplog.text and "127.0.0.1" not in caplog.text


def lock_out(username):
    browser = Client()
    for attempt in range(10):
        sign_in(browser, username, f"wrong {attempt}")
    assert sign_in(browser, username).status_code == 429


def test_a_lockout_leaves_other_people_on_the_same_address_alone(cast):
    """docs/spec/quality.md#lockout: other users unaffected (council staff often share one public
    address)."""
    lock_out("qa.lead")
    colleague = Client()  # the same address, 127.0.0.1
    response = sign_in(colleague, "senior.leader")
    assert response.status_code == 302
    assert is_signed_in(colleague)


def test_ten_wrong_passwords_lock_that_address_for_that_username_not_the_person_elsewhere(cast):
    """Issue 12 item 11: by username alone, anyone could keep the QA lead out by sending 10 wrong
    passwords every 5 minutes. The lockout is of the username from that address: the attacker's
    address stays locked, the QA lead at their own desk signs in."""
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for attempt in range(10):
        sign_in(attacker, "qa.lead", f"wrong {attempt}")
    assert sign_in(attacker, "qa.lead").status_code == 429  # even the right password, from there
    lockouts = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT)
    assert lockouts.exists() and all(e.details == {"username": "qa.lead"} for e in lockouts)

    at_their_desk = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(at_their_desk, "qa.lead").status_code == 302
    assert is_signed_in(at_their_desk)
    # Signing in clears their own address's count only: the attacker's address stays locked.
    assert sign_in(attacker, "qa.lead").status_code == 429


def age_attempts(by):
    """Pretend every stored attempt happened `by` earlier."""
    for model in (AccessAttempt, AccessFailureLog):
        model.objects.update(attempt_time=F("attempt_time") - by)


def test_fifty_wrong_passwords_in_an_hour_from_many_addresses_lock_the_username_everywhere(cast):
    """Issue 12 item 11: 9 wrong passwords every 9 minutes, each from new addresses (never 10
    from one address, nor 10 in 5 minutes), reach 50 within the hour: the username is locked from
    every address, and the lockout is in the audit trail. The 49th leaves it open."""
    addresses = (f"192.0.2.{n}" for n in range(1, 255))

    def wrong_passwords(count):
        statuses = [sign_in(Client(REMOTE_ADDR=next(addresses)), "qa.lead", "wrong").status_code
                    for _ in range(count)]  # fmt: skip
        return statuses

    for _ in range(5):  # 45 wrong passwords over 45 minutes
        assert set(wrong_passwords(9)) == {200}
        age_attempts(datetime.timedelta(minutes=9))
    assert set(wrong_passwords(4)) == {200}  # 49 in the hour
    someone = Client(REMOTE_ADDR=next(addresses))
    assert sign_in(someone, "qa.lead").status_code == 302  # the person themselves, still
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT).count() == 0

    assert wrong_passwords(1) == [429]  # the 50th locks the username
    anywhere = Client(REMOTE_ADDR=next(addresses))
    response = sign_in(anywhere, "qa.lead")
    assert response.status_code == 429 and not is_signed_in(anywhere)
    assert "<title>You cannot sign in for up to an hour" in response.content.decode()
    lockouts = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT)
    assert lockouts.count() >= 2
    assert all(e.details == {"username": "qa.lead"} and e.actor is None for e in lockouts)
    # Other people are not affected.
    assert sign_in(Client(REMOTE_ADDR=next(addresses)), "senior.leader").status_code == 302

    # Once the oldest wrong passwords are more than an hour old, fewer than 50 are left.
    age_attempts(datetime.timedelta(minutes=16))
    assert sign_in(Client(REMOTE_ADDR=next(addresses)), "qa.lead").status_code == 302


def behind_a_proxy(client_address, proxy="10.0.0.2"):
    """A browser whose requests reach the app through the council's proxy, which appends the
    address it saw to X-Forwarded-For (after whatever the browser itself claimed)."""
    return Client(REMOTE_ADDR=proxy,
                  HTTP_X_FORWARDED_FOR=f"198.51.100.99, {client_address}")  # fmt: skip


def test_behind_a_proxy_the_lockout_is_of_the_real_address(cast, settings):
    """Issue 12 item 11: behind the council's proxy every request comes from the proxy's address;
    the lockout must be of the address the proxy saw (the right-most of X-Forwarded-For), not the
    proxy's (that would lock everyone) nor one the browser claims (that would lock no one)."""
    settings.PROXY_COUNT = 1
    attacker = behind_a_proxy("203.0.113.9")
    for attempt in range(10):
        sign_in(attacker, "qa.lead", f"wrong {attempt}")
    assert sign_in(attacker, "qa.lead").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # The QA lead, through the same proxy from their own desk, claiming the same first address.
    assert sign_in(behind_a_proxy("198.51.100.7"), "qa.lead").status_code == 302


def test_after_five_minutes_the_person_can_sign_in_again(cast):
    lock_out("qa.lead")
    # Five minutes and a second pass.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=5, seconds=1)
    )
    browser = Client()
    assert sign_in(browser, "qa.lead").status_code == 302
    assert is_signed_in(browser)
    # Success wipes the slate: the count starts again from nothing.
    assert not AccessAttempt.objects.filter(username="qa.lead").exists()


def test_wrong_passwords_spread_over_more_than_five_minutes_do_not_lock(cast):
    browser = Client()
    for attempt in range(9):
        sign_in(browser, "qa.lead", f"wrong {attempt}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=6))
    sign_in(browser, "qa.lead", "wrong again")
    assert sign_in(browser, "qa.lead").status_code == 302


def test_signing_in_and_out_is_in_the_audit_trail(cast):
    browser = Client()
    sign_in(browser, "qa.lead")
    browser.post(reverse("logout"))
    person = cast["qa_lead"]
    actions = (
        AuditEvent.objects.filter(actor=person).order_by("id").values_list("action", flat=True)
    )
    assert list(actions) == [AuditEvent.Action.SIGNED_IN, AuditEvent.Action.SIGNED_OUT]


# Session timeouts ---------------------------------------------------------------------------


def move_session_clock(browser, **ago):
    """Pretend the sign-in and the last request happened this long ago."""
    session = browser.session
    now = int(timezone.now().timestamp())
    for key, delta in ago.items():
        session[key] = now - int(delta.total_seconds())
    session.save()


def test_thirty_minutes_without_activity_signs_the_person_out(client, cast):
    """docs/spec/quality.md#session-timeouts: "idle 30 minutes": signed out, and told why on the
    sign-in page."""
    client.force_login(cast["qa_lead"])
    assert client.get(reverse("home")).status_code == 200
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=31))
    response = client.get(reverse("my_reviews"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/my-reviews/"
    assert not is_signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_activity_within_thirty_minutes_keeps_the_session(client, cast):
    client.force_login(cast["qa_lead"])
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=29))
    assert client.get(reverse("home")).status_code == 200
    # The request counted as activity: the idle clock starts again from now.
    assert int(timezone.now().timestamp()) - client.session[LAST_SEEN_AT] < 60


def test_twelve_hours_after_signing_in_the_person_is_signed_out_however_busy(client, cast):
    """docs/spec/quality.md#session-timeouts: "12 hours absolute": signed out even though the last
    request was just now."""
    client.force_login(cast["qa_lead"])
    move_session_clock(
        client,
        signed_in_at=datetime.timedelta(hours=12, seconds=1),
        last_seen_at=datetime.timedelta(seconds=5),
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not is_signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 12 hours" in page


def test_an_autosave_counts_as_activity(client, cast):
    """Typing is activity: the reviewer's autosaves keep the session alive."""
    client.force_login(cast["reviewer_independent"])
    move_session_clock(client, last_seen_at=datetime.timedelta(minutes=20))
    # The save itself is the form's business (and this review is not theirs); the clock moves.
    client.post("/reviews/1/form/child/", {}, headers={"X-Autosave": "1"})
    assert int(timezone.now().timestamp()) - client.session[LAST_SEEN_AT] < 60


def test_the_session_clock_starts_at_sign_in(cast):
    browser = Client()
    sign_in(browser, "qa.lead")
    session = browser.session
    now = int(timezone.now().timestamp())
    assert now - session[SIGNED_IN_AT] < 60 and session[SIGNED_IN_AT] == session[LAST_SEEN_AT]


# Deactivation -------------------------------------------------------------------------------


def test_a_deactivated_person_is_refused_on_their_next_request(client, cast):
    """docs/spec/quality.md#revoked-access: "deactivate a user, reuse the live session": the next
    request is refused.

    The account is switched off behind Django's back (no save signal, so the stored session
    stays): Django itself refuses an inactive user on every request."""
    person = cast["practitioner"]
    client.force_login(person)
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert Session.objects.filter(pk=client.session.session_key).exists()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_deactivating_a_person_deletes_their_stored_sessions(client, cast):
    person = cast["practitioner"]
    client.force_login(person)
    elsewhere = Client()
    elsewhere.force_login(person)  # a second computer
    colleague = Client()
    colleague.force_login(cast["manager"])
    person.is_active = False
    person.save()
    assert not Session.objects.filter(pk=client.session.session_key).exists()
    assert not Session.objects.filter(pk=elsewhere.session.session_key).exists()
    assert Session.objects.filter(pk=colleague.session.session_key).exists()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_deactivating_in_the_admin_ends_the_sessions_too(client, cast):
    person = cast["practitioner"]
    theirs = Client()
    theirs.force_login(person)
    key = theirs.session.session_key
    administrator = cast["admin"]
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200
    data = {
        "username": person.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": person.role,
        "staff_member": person.staff_member_id or "",
        "is_staff": "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": person.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        # is_active left out: the checkbox unticked.
    }
    response = client.post(f"/admin/accounts/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert not person.is_active
    assert not Session.objects.filter(pk=key).exists()
