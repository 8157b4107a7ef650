"""Deny by default and object-level access, proved against the access table (url_access.py).

docs/spec/quality.md#deny-by-default: "walk the URLconf: anonymous GET and POST to every pattern"
(every non-public URL redirects to sign-in or refuses; no exception) and
docs/spec/quality.md#object-level-access: "role x URL x in-scope/out-of-scope object matrix, kept as
one data table" (0 mismatches; no URL left unclassified; out of scope is 404). Each request runs in
a transaction rolled back afterwards, so one person's POST (a sign-off, an acknowledgement) cannot
change what the next request finds.
"""

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from tests.integration.access_world import build_world
from tests.integration.url_access import (
    ACCESS,
    PUBLIC,
    is_admin,
    kwargs_for,
    may_use,
    named_patterns,
    nonexistent_kwargs,
    pick,
    stale_rows,
    unclassified,
)

pytestmark = pytest.mark.django_db

# Case references and the cohort names: none may appear in a page shown to someone anonymous.
CASE_DATA = ["C1001", "C1003", "C09001", "September 2024", "Access cohort", "Access report"]
ALLOWED_STATUSES = {200, 302, 400, 409}  # a page, a redirect after acting, a form with errors


@pytest.fixture
def world(cast):
    return build_world(cast)


def attempt(client, url, post=False):
    """One request whose writes are rolled back, so every request sees the same world."""
    with transaction.atomic():
        response = client.post(url, {}) if post else client.get(url)
        transaction.set_rollback(True)
    return response


def sent_to_sign_in(response, sign_in):
    return response.status_code == 302 and response["Location"].startswith(sign_in)


def app_urls():
    """(name, url) for every non-admin pattern: with a real object's ids and with ids that name
    nothing, where the URL names an object."""
    for route in named_patterns():
        if is_admin(route):
            continue
        access = ACCESS[route.name]
        if access.object is None:
            yield route.name, reverse(route.name, kwargs=access.extra or None)
            continue
        sample = access.object.candidates().order_by("pk").first()
        assert sample is not None, f"the access world has no {access.object.name}"
        yield route.name, reverse(route.name, kwargs=kwargs_for(access, sample))
        yield route.name, reverse(route.name, kwargs=nonexistent_kwargs(access, sample))


ADMIN_KWARG_VALUES = {"object_id": "1", "content_type_id": 1, "app_label": "accounts", "url": "x"}


def admin_urls():
    for route in named_patterns():
        if not is_admin(route) or route.name.endswith("(unnamed)"):
            continue
        if route.positional:
            yield route.name, reverse(route.name, args=["1"] * route.positional)
            continue
        kwargs = {name: ADMIN_KWARG_VALUES.get(name, "1") for name in route.kwarg_names}
        try:
            yield route.name, reverse(route.name, kwargs=kwargs or None)
        except NoReverseMatch:  # the app list of an app other than "accounts"
            kwargs["app_label"] = next(
                model._meta.app_label
                for model in admin.site._registry
                if reverse_or_none(route.name, {**kwargs, "app_label": model._meta.app_label})
            )
            yield route.name, reverse(route.name, kwargs=kwargs)


def reverse_or_none(name, kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def test_every_url_pattern_has_a_row_in_the_access_table(db):
    """docs/spec/quality.md#object-level-access: role x URL matrix: no URL left unclassified (nor a
    row for a removed URL)."""
    assert unclassified() == []
    assert stale_rows() == []


def test_anonymous_requests_to_every_url_are_sent_to_sign_in_or_refused(client, world):
    """docs/spec/quality.md#deny-by-default: walk the URLconf: anonymous GET and POST to every
    pattern -> every non-public URL redirects to sign-in or refuses; no exception. Public pages show
    no case data."""
    sign_in = reverse("login")
    problems, walked = [], 0
    for name, url in app_urls():
        for post in (False, True):
            response = attempt(client, url, post)
            walked += 1
            method = "POST" if post else "GET"
            if ACCESS[name].who == PUBLIC:
                page = response.content.decode(errors="replace")
                if response.status_code >= 500 or any(ref in page for ref in CASE_DATA):
                    problems.append(f"{method} {url}: public page gave {response.status_code}")
            elif not (sent_to_sign_in(response, sign_in) or 400 <= response.status_code < 500):
                problems.append(f"{method} {url}: {response.status_code}")
    print(f"{walked} anonymous requests")
    assert problems == []
    assert walked >= 2 * len(ACCESS)


def test_anonymous_requests_to_django_admin_go_to_its_sign_in(client, world):
    """docs/spec/quality.md#deny-by-default: walk the URLconf (the admin group): staff only, through
    the admin's own sign-in; nothing but the sign-in and signed-out pages answers anonymous
    people."""
    admin_sign_in = reverse("admin:login")
    problems, walked = [], 0
    for name, url in admin_urls():
        for post in (False, True):
            response = attempt(client, url, post)
            walked += 1
            if name in ("admin:login", "admin:logout"):
                ok = response.status_code < 500
            else:
                ok = (
                    sent_to_sign_in(response, admin_sign_in)
                    or sent_to_sign_in(response, reverse("login"))
                    or 400 <= response.status_code < 500
                )
            if not ok:
                problems.append(f"{'POST' if post else 'GET'} {url}: {response.status_code}")
    assert problems == []
    assert walked > 20


def allowed(response):
    location = response.get("Location", "")
    return response.status_code in ALLOWED_STATUSES and not location.startswith(reverse("login"))


def test_each_role_reaches_exactly_what_the_access_table_allows(client, cast, world):
    """docs/spec/quality.md#object-level-access: role x URL x in-scope/out-of-scope object matrix,
    kept as one data table -> 0 mismatches; out of scope is 404. Every row, every person of the
    cast: an object they may act on is allowed when their role may use the URL and 404 otherwise; an
    object in their scope but not theirs to act on, and an object out of their scope, are 404
    always."""
    mismatches, gaps, requests = [], [], 0
    for person, user in cast.items():
        client.force_login(user)
        for name, access in ACCESS.items():
            if access.who == PUBLIC or name == "logout":  # signing out ends the session
                continue
            role_may = may_use(access, user.role)
            if access.object is None:
                cases = [("", access.extra, role_may)]
            else:
                acting, in_scope_not_theirs, out_of_scope = pick(access, user)
                if role_may and acting is None:
                    gaps.append(f"{person} {name}: no {access.object.name} to act on")
                cases = [
                    (label, kwargs_for(access, obj), expect)
                    for label, obj, expect in (
                        ("in scope", acting, role_may),
                        ("in scope, not theirs to act on", in_scope_not_theirs, False),
                        ("out of scope", out_of_scope, False),
                    )
                    if obj is not None
                ]
            for label, kwargs, expect in cases:
                url = reverse(name, kwargs=kwargs or None)
                response = attempt(client, url, post=access.post_only)
                requests += 1
                if allowed(response) if expect else response.status_code == 404:
                    continue
                mismatches.append(
                    f"{person:<22} {name:<24} {label:<31} expected "
                    f"{'allowed' if expect else '404'}, got {response.status_code} {url}"
                )
    print(f"{requests} requests; mismatches:", *mismatches, "gaps:", *gaps, sep="\n")
    assert mismatches == []
    # Only the outsider (a practitioner on no review) has nothing to act on.
    assert [gap for gap in gaps if not gap.startswith("outsider")] == []
