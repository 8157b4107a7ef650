"""Signing in with the council's account, where no provider needs to answer: the command that
prints the address to register, and the sign-in page with and without a provider configured
(docs/spec/interchange.md#practice-review-oidc-redirect-uri; docs/signing-in.md). The sign-ins
themselves are in test_council_sign_in.py, against a real provider."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from practice_review.accounts import single_sign_on, two_factor
from practice_review.accounts.models import StaffMember

CONFIGURED = single_sign_on.configuration(
    issuer="https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
    client_id="client",
    client_secret="secret",
    role_groups="qa_lead=g1",
)


def printed(tmp_path, *arguments):
    """The command's output in a fresh process whose environment has no OIDC_* setting."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "PRACTICE_REVIEW_DATA_DIR": str(tmp_path),
        "PRACTICE_REVIEW_SITE_URL": "https://practice-review.council.example/",
    }
    return subprocess.run(
        [sys.executable, "-m", "practice_review.cli", "oidc-redirect-uri", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def test_the_redirect_uri_is_printed_before_any_oidc_setting_exists(tmp_path):
    assert (
        printed(tmp_path) == "https://practice-review.council.example/sign-in/council/callback/\n"
    )
    assert printed(tmp_path, "--sign-out") == "https://practice-review.council.example/sign-in/\n"


@pytest.mark.django_db
def test_without_a_provider_the_council_pages_are_not_found(client, settings):
    settings.SINGLE_SIGN_ON = single_sign_on.Configuration()
    assert client.get(reverse("council_sign_in")).status_code == 404
    assert client.get(reverse("council_sign_in_callback")).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "council account" not in page and 'name="password"' in page


@pytest.mark.django_db
def test_with_a_provider_the_council_account_comes_first(client, settings):
    settings.SINGLE_SIGN_ON = CONFIGURED
    page = client.get(reverse("login") + "?next=/reports/").content.decode()
    button = page.index("Sign in with your council account")
    assert page.index("Sign in with a username and password") > button
    assert f'href="{reverse("council_sign_in")}?next=/reports/"' in page


@pytest.mark.django_db
def test_with_local_sign_in_off_passwords_are_neither_offered_nor_taken(
    client, settings, django_user_model
):
    settings.SINGLE_SIGN_ON = CONFIGURED
    django_user_model.objects.create_user(
        "break.glass", password="a-long-password-1", is_staff=True, is_superuser=True
    )
    open_session = client.__class__()
    open_session.login(username="break.glass", password="a-long-password-1")
    settings.LOCAL_SIGN_IN = False
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with your council account" in page
    assert 'name="password"' not in page
    credentials = {"username": "break.glass", "password": "a-long-password-1"}
    assert client.post(reverse("login"), credentials).status_code == 403
    assert "_auth_user_id" not in client.session
    # Nor through the Django admin's own sign-in page.
    client.post(reverse("admin:login"), credentials)
    assert "_auth_user_id" not in client.session
    # A session opened with a password before is not honoured either.
    assert open_session.get(reverse("home"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_council_callback_that_no_sign_in_began_is_refused(client, settings):
    settings.SINGLE_SIGN_ON = CONFIGURED
    response = client.get(
        reverse("council_sign_in_callback"), {"code": "c", "state": "s"}, follow=True
    )
    assert response.status_code == 400
    assert "Signing in did not finish" in response.content.decode()


@pytest.mark.django_db
def test_the_refusal_page_without_a_refusal_goes_to_sign_in(client, settings):
    settings.SINGLE_SIGN_ON = CONFIGURED
    response = client.get(reverse("council_sign_in_refused"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_our_second_factor_is_asked_of_a_session_only_for_its_own_person(
    rf, settings, django_user_model, db
):
    """OIDC_REQUIRE_MFA_CLAIM's mark in a session asks the person it names, nobody else, and
    never someone not signed in (two_factor.required)."""
    settings.TWO_FACTOR_REQUIRED = False
    request = rf.get("/")
    request.session = {}
    request.user = AnonymousUser()
    assert two_factor.required(request) is False
    person = django_user_model.objects.create_user("person")
    request.user = person
    assert two_factor.required(request) is False
    request.session[two_factor.ASK_OWN_SECOND_FACTOR_KEY] = person.pk
    assert two_factor.required(request) is True
    request.user = django_user_model.objects.create_user("someone.else")
    assert two_factor.required(request) is False


@pytest.mark.django_db
def test_the_admin_shows_a_council_accounts_role_read_only_and_suggests_its_staff_member(
    client, django_user_model
):
    StaffMember.objects.create(name="Jo Bloggs", initials="JB")
    council = django_user_model.objects.create(
        username="jo.bloggs@council.example",
        email="jo.bloggs@council.example",
        provider_subject="https://idp.example#jo",
        role="reviewer",
    )
    local = django_user_model.objects.create(username="local.person", role="reviewer")
    client.force_login(django_user_model.objects.create_superuser("super", password="x" * 14))
    page = client.get(reverse("admin:accounts_user_change", args=[council.pk])).content.decode()
    assert 'name="role"' not in page
    assert "Their role comes from the groups they are in" in page
    assert "Jo Bloggs (JB)" in page  # suggested by the name part of the email address
    page = client.get(reverse("admin:accounts_user_change", args=[local.pk])).content.decode()
    assert 'name="role"' in page
