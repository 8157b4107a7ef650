"""Two-factor sign-in for every person outside demo mode.

docs/spec/quality.md#two-factor-sign-in: "password-only session against every protected URL" (all
sent to the second-factor step) and "replay a used TOTP code" (refused). These tests use
django.test.Client directly, not the `client` fixture, whose sign-in gives the second factor by
itself.
"""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from practice_review.accounts import two_factor
from practice_review.accounts.models import AccountChangeRequest
from practice_review.audit.models import AuditEvent
from tests.conftest import PASSWORD, TwoFactorClient

pytestmark = pytest.mark.django_db

# The only pages a password-only session may open (accounts/middleware.py), besides the sign-in
# page itself, which sends a signed-in person on to the home page.
ALLOWED_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "accessibility",
    "health",
    "two_factor_setup",
    "two_factor_verify",
}
# Values tried for each URL argument until the URL reverses (admin's app_list wants an app label).
ARGUMENT_VALUES = ["1", "x", "accounts"]


def url_patterns(resolver=None, namespace="", converters=None):
    """(name, {argument: converter}) for every named URL pattern; namespaced as "ns:name"."""
    resolver = resolver or get_resolver()
    converters = converters or {}
    for pattern in resolver.url_patterns:
        inner_converters = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, inner_converters)
        elif isinstance(pattern, URLPattern) and pattern.name:
            arguments = dict.fromkeys(pattern.pattern.regex.groupindex, None)
            yield namespace + pattern.name, {**arguments, **inner_converters}


def example_value(converter):
    """1 for a number; the first choice of a converter that allows a few words; else "x"."""
    regex = getattr(converter, "regex", "")
    if regex == "[0-9]+":
        return "1"
    if re.fullmatch(r"[\w|-]+", regex) and "|" in regex:
        return regex.split("|")[0]
    return "x"


def some_url(name, arguments):
    """A URL for the pattern: route arguments from their converters; regex ones (the admin's)
    tried with 1, "x" and an app label."""
    guesses = {k: [example_value(c)] if c else ARGUMENT_VALUES for k, c in arguments.items()}
    for attempt in range(len(ARGUMENT_VALUES)):
        kwargs = {k: values[min(attempt, len(values) - 1)] for k, values in guesses.items()}
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            pass
    # A few of the admin's patterns (django-simple-history's) take positional groups.
    for count in range(1, 4):
        try:
            return reverse(name, args=["1"] * count)
        except NoReverseMatch:
            continue
    return None


def code_for(device, step=None):
    """The 6-digit code the person's authenticator app shows now (or at a given time step)."""
    if step is None:
        return f"{totp(device.bin_key):06d}"
    return f"{hotp(device.bin_key, step):06d}"


def password_only(user):
    """A browser that has given the password and nothing more."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return browser


def authenticator_for(user):
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def two_factor_events(user, event):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.TWO_FACTOR, actor=user, details__event=event
    )


def test_the_walk_reaches_every_named_url():
    """Guard for the walk below: a URL it could not build would go unchecked."""
    unbuildable = [name for name, arguments in url_patterns() if some_url(name, arguments) is None]
    assert not unbuildable


def test_a_password_only_session_is_sent_to_the_second_factor_step_from_every_url(cast):
    """docs/spec/quality.md#two-factor-sign-in: "password-only session against every protected URL":
    every GET and POST to every URL pattern (except the short allow-list) goes to set-up or to the
    code page."""
    with_app = cast["qa_lead"]
    authenticator_for(with_app)
    browsers = {
        reverse("two_factor_verify"): password_only(with_app),
        reverse("two_factor_setup"): password_only(cast["practitioner"]),
    }
    checked = 0
    for name, arguments in sorted(url_patterns()):
        if name in ALLOWED_BEFORE_SECOND_FACTOR:
            continue
        url = some_url(name, arguments)
        assert url, name
        for step, browser in browsers.items():
            for method in (browser.get, browser.post):
                response = method(url)
                where = f"{method.__name__.upper()} {url} ({name})"
                assert response.status_code == 302, where
                assert response["Location"].split("?")[0] == step, where
                checked += 1
    assert checked > 4 * 100  # every pattern, twice over: the walk really walked
    # The same sessions reach the home page once the second factor is given.
    verified = browsers[reverse("two_factor_verify")]
    verified.post(reverse("two_factor_verify"), {"code": code_for(with_app.totpdevice_set.get())})
    assert verified.get(reverse("home")).status_code == 200


def test_the_code_page_brings_the_person_back_to_the_page_they_asked_for(cast):
    device = authenticator_for(cast["qa_lead"])
    browser = password_only(cast["qa_lead"])
    wanted = reverse("my_reviews")
    response = browser.get(wanted)
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fmy-reviews%2F"
    response = browser.post(response["Location"], {"code": code_for(device), "next": wanted})
    assert response["Location"] == wanted
    # Another site is never a destination.
    browser = password_only(cast["qa_lead"])
    device.refresh_from_db()
    next_code = code_for(device, step=device.last_t + 1)  # the app's next code, a step ahead
    response = browser.post(
        reverse("two_factor_verify"), {"code": next_code, "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/"


def test_an_autosave_from_a_password_only_session_is_redirected_not_saved(cast):
    """Autosave follows no redirect and tells the reviewer they are signed out (autosave.js)."""
    browser = password_only(cast["reviewer_independent"])
    response = browser.post(
        "/reviews/1/form/child/", {"ethnicity": "x"}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_setup")
    assert "json" not in response.get("Content-Type", "")


def test_before_the_second_factor_the_menu_offers_only_sign_out(cast):
    authenticator_for(cast["qa_lead"])
    page = password_only(cast["qa_lead"]).get(reverse("two_factor_verify")).content.decode()
    assert "Sign out" in page
    assert "govuk-service-navigation__item" in page
    assert 'href="/reports/"' not in page and ">Home<" not in page


# Setting up ---------------------------------------------------------------------------------


def test_the_set_up_page_draws_the_qr_code_itself_and_shows_the_secret_in_fours(cast):
    browser = password_only(cast["practitioner"])
    page = browser.get(reverse("two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=cast["practitioner"], confirmed=False)
    assert '<svg role="img" aria-label="QR code' in page
    # Nothing fetched from anywhere else: no image or script from another host.
    assert not re.search(r'(src|href)="https?://', page)
    secret = two_factor.secret_for_typing(device)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", secret)
    assert secret in page
    assert 'name="code"' in page and 'autocomplete="one-time-code"' in page
    # Reloading keeps the same secret: the person may have typed it already.
    browser.get(reverse("two_factor_setup"))
    assert TOTPDevice.objects.get(user=cast["practitioner"]).key == device.key


def test_a_wrong_set_up_code_is_refused_with_an_error_summary(cast):
    browser = password_only(cast["practitioner"])
    browser.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=cast["practitioner"])
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = browser.post(reverse("two_factor_setup"), {"code": wrong})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error: Set up two-factor" in page
    assert "The code is not correct" in page
    assert not TOTPDevice.objects.filter(user=cast["practitioner"], confirmed=True).exists()
    assert browser.get(reverse("home"))["Location"] == reverse("two_factor_setup")


def test_setting_up_gives_ten_recovery_codes_shown_once(cast):
    person = cast["practitioner"]
    browser = password_only(person)
    browser.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=person)
    response = browser.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert response["Location"] == reverse("two_factor_recovery_codes")
    page = browser.get(reverse("two_factor_recovery_codes")).content.decode()
    codes = list(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in page for code in codes)
    assert "only time you will see these codes" in page
    # Shown once: the page never shows them again.
    again = browser.get(reverse("two_factor_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "You have 10 unused recovery codes" in again
    assert browser.get(reverse("home")).status_code == 200
    assert two_factor_events(person, "set_up").count() == 1


def test_new_recovery_codes_replace_the_old_ones(client, cast):
    person = cast["qa_lead"]
    client.force_login(person)
    old = two_factor.new_recovery_codes(by=person)
    client.post(reverse("two_factor_recovery_codes"))
    page = client.get(reverse("two_factor_recovery_codes")).content.decode()
    new = list(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert all(code in page for code in new)


# Each sign-in ---------------------------------------------------------------------------------


def test_replaying_a_used_code_is_refused(cast):
    """docs/spec/quality.md#two-factor-sign-in: "replay a used TOTP code": refused."""
    person = cast["qa_lead"]
    device = authenticator_for(person)
    code = code_for(device)
    first = password_only(person)
    assert first.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    assert first.get(reverse("home")).status_code == 200

    second = password_only(person)  # someone who saw the code, or the same person again
    response = second.post(reverse("two_factor_verify"), {"code": code})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "The code is not correct" in page
    assert second.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    assert two_factor_events(person, "code_wrong").count() == 1
    assert two_factor_events(person, "verified").count() == 1


def test_a_recovery_code_works_once(cast):
    person = cast["qa_lead"]
    authenticator_for(person)
    codes = two_factor.new_recovery_codes(by=person)
    browser = password_only(person)
    # Typed with capitals and a space, as people copy codes: still accepted.
    typed = f"{codes[0][:4].upper()} {codes[0][4:]}"
    assert browser.post(reverse("two_factor_verify"), {"code": typed})["Location"] == "/"
    assert browser.get(reverse("home")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert two_factor_events(person, "recovery_code_used").get().details["remaining"] == 9

    again = password_only(person)
    response = again.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert again.get(reverse("home")).status_code == 302


def test_wrong_codes_make_the_next_try_wait(cast):
    """django-otp's throttling is on: each wrong code doubles the wait before the next try, so
    even the right code is refused until the wait is over."""
    person = cast["qa_lead"]
    device = authenticator_for(person)
    browser = password_only(person)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    for failures in range(1, 7):
        browser.post(reverse("two_factor_verify"), {"code": wrong})
        device.refresh_from_db()
        assert device.throttling_failure_count == failures
        # Let the wait pass (as if time went by) before the next wrong code.
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - datetime.timedelta(hours=1)
        )
    # Six failures: the next try must wait 32 seconds. This one comes at once.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now())
    response = browser.post(reverse("two_factor_verify"), {"code": code_for(device)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "You have entered too many wrong codes. Wait" in page and "seconds" in page
    assert browser.get(reverse("home")).status_code == 302
    # Once the wait is over, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=33)
    )
    assert browser.post(reverse("two_factor_verify"), {"code": code_for(device)}).status_code == 302
    assert browser.get(reverse("home")).status_code == 200


def test_wrong_recovery_codes_are_throttled_too(cast):
    person = cast["qa_lead"]
    authenticator_for(person)
    codes = two_factor.new_recovery_codes(by=person)
    browser = password_only(person)
    browser.post(reverse("two_factor_verify"), {"code": "notacode"})
    device = StaticDevice.objects.get(user=person)
    assert device.throttling_failure_count == 1
    StaticDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=6, throttling_failure_timestamp=timezone.now()
    )
    response = browser.post(reverse("two_factor_verify"), {"code": codes[1]})
    assert "too many wrong codes" in response.content.decode()
    assert StaticToken.objects.filter(token=codes[1]).exists()


def test_the_second_factor_gives_a_new_session_key(cast):
    """A session id seen before the second factor is worth nothing after it."""
    device = authenticator_for(cast["qa_lead"])
    browser = password_only(cast["qa_lead"])
    before = browser.cookies["sessionid"].value
    browser.post(reverse("two_factor_verify"), {"code": code_for(device)})
    after = browser.cookies["sessionid"].value
    assert before != after
    assert not Session.objects.filter(pk=before).exists()
    assert DEVICE_ID_SESSION_KEY in Session.objects.get(pk=after).get_decoded()


# Demo mode and administrators ---------------------------------------------------------------


def test_in_demo_mode_the_password_is_enough_and_the_banner_says_so(cast, settings):
    settings.DEMO_MODE = True
    settings.TWO_FACTOR_REQUIRED = False
    browser = password_only(cast["qa_lead"])
    response = browser.get(reverse("home"))
    assert response.status_code == 200
    assert "Two-factor sign-in is turned off" in response.content.decode()


def admin_browser(cast):
    administrator = cast["admin"]
    administrator.is_staff = True
    administrator.save()
    browser = Client()
    browser.force_login(administrator)
    device = authenticator_for(administrator)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return browser


def reset_in_admin(browser, *users):
    return browser.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [user.pk for user in users]},
        follow=True,
    )


def test_an_administrator_resets_two_factor_and_the_person_sets_it_up_again(cast):
    """The reset waits for a second person (test_account_approvals.py); once the QA lead
    approves it, the person sets up again."""
    person = cast["practitioner"]
    device = authenticator_for(person)
    two_factor.new_recovery_codes(by=person)
    # The person is signed in with both factors when the reset happens.
    theirs = password_only(person)
    theirs.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert theirs.get(reverse("home")).status_code == 200

    page = reset_in_admin(admin_browser(cast), person).content.decode()
    assert "Waiting for approval by a quality assurance lead or a superuser" in page
    assert TOTPDevice.objects.filter(user=person).exists()
    approver = TwoFactorClient()
    approver.force_login(cast["qa_lead"])
    change = AccountChangeRequest.objects.get(account=person, reset_two_factor=True)
    approver.post(reverse("account_approval", args=[change.pk]), {"decision": "approve"})

    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.TWO_FACTOR, details__event="reset")
    assert (event.actor, event.target_type, event.target_id) == (
        cast["qa_lead"],
        "user",
        str(person.pk),
    )
    # Their live session lost its second factor with the device; the next sign-in sets up anew.
    assert theirs.get(reverse("home"))["Location"] == reverse("two_factor_setup")
    assert password_only(person).get(reverse("home"))["Location"] == reverse("two_factor_setup")


def test_an_administrator_cannot_reset_their_own_two_factor(cast):
    browser = admin_browser(cast)
    page = reset_in_admin(browser, cast["admin"]).content.decode()
    assert "You cannot reset your own two-factor sign-in" in page
    assert TOTPDevice.objects.filter(user=cast["admin"]).exists()
    assert not AuditEvent.objects.filter(details__event="reset").exists()
    assert not AccountChangeRequest.objects.exists()


def test_only_a_superuser_resets_a_superuser(cast):
    boss = cast["senior_leader"]
    boss.is_superuser = True
    boss.save()
    authenticator_for(boss)
    page = reset_in_admin(admin_browser(cast), boss).content.decode()
    assert "Only a superuser can reset two-factor sign-in" in page
    assert TOTPDevice.objects.filter(user=boss).exists()
    assert not AccountChangeRequest.objects.exists()


def test_the_admin_shows_nobody_the_secret_keys(cast):
    browser = admin_browser(cast)
    assert browser.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert browser.get("/admin/otp_static/staticdevice/").status_code == 404
