"""Signing in with the council's account, against a real OpenID provider on loopback.

docs/spec/domain.md#council-accounts; docs/security.md#signing-in-with-council-accounts. The
provider is node's oidc-provider (tests/oidc_provider): the app sends the browser there, the test
plays the person on the provider's own login page, and the app's callback gets what a browser
would bring back. Slow: it starts node.
"""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.management import call_command
from django.urls import reverse

from practice_review.accounts import oidc, sign_in_views, single_sign_on
from practice_review.accounts.models import StaffMember, User
from practice_review.accounts.queries import suggested_staff_members
from practice_review.audit.models import AuditEvent
from practice_review.core.vocabulary import Role
from tests.oidc_provider.fixture import (
    ANY_PASSWORD,
    TAMPER_MODES,
    sign_in_at_provider,
    start_provider,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SITE_URL = "http://testserver"
ROLE_GROUPS = "qa_lead=grp-qa-lead,reviewer=grp-reviewer"


@pytest.fixture(scope="module")
def provider():
    provider = start_provider(
        [single_sign_on.redirect_uri(SITE_URL)], [single_sign_on.signed_out_uri(SITE_URL)]
    )
    yield provider
    provider.stop()


def configure(settings, provider, *, role_groups=ROLE_GROUPS, **more):
    settings.SITE_URL = SITE_URL
    settings.SINGLE_SIGN_ON = single_sign_on.configuration(
        issuer=provider.issuer,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        role_groups=role_groups,
        **more,
    )


@pytest.fixture(autouse=True)
def council_accounts(settings, provider):
    provider.reset()
    settings.TWO_FACTOR_REQUIRED = True
    configure(settings, provider)
    yield


def begin(client, next_url=""):
    """The sign-in page's button: the app's redirect to the provider."""
    response = client.get(reverse("council_sign_in") + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response["Location"]


def come_back(client, callback_url):
    """What the browser does with the provider's redirect: ask the app's callback (and, when it
    refuses, follow it to the page that says why)."""
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == single_sign_on.redirect_uri(SITE_URL)
    response = client.get(f"{parts.path}?{parts.query}")
    if response.get("Location") == reverse("council_sign_in_refused"):
        response = client.get(response["Location"])
    return response


def sign_in_as(client, username, next_url=""):
    return come_back(client, sign_in_at_provider(begin(client, next_url), username))


def signed_in_user(client):
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def refusals():
    return AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED)


def test_the_request_to_the_provider_uses_pkce_state_nonce_and_the_printed_redirect_uri(
    client, capsys
):
    url = begin(client)
    params = parse_qs(urlsplit(url).query)
    assert params["response_type"] == ["code"]
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["code_challenge"][0]) == 43
    assert len(params["state"][0]) >= 32 and len(params["nonce"][0]) >= 32
    assert params["scope"] == ["openid profile email"]
    call_command("oidc_redirect_uri")
    assert params["redirect_uri"] == [capsys.readouterr().out.strip()]
    # The verifier stays in the session, never in the URL; the challenge is its SHA-256.
    stored = client.session["oidc_states"][params["state"][0]]
    assert len(stored["code_verifier"]) == 64 and stored["code_verifier"] not in url
    digest = hashlib.sha256(stored["code_verifier"].encode()).digest()
    assert params["code_challenge"] == [base64.urlsafe_b64encode(digest).rstrip(b"=").decode()]
    assert stored["nonce"] == params["nonce"][0]


def test_a_person_in_a_mapped_group_is_signed_in_with_its_role_and_no_second_code(client, provider):
    response = sign_in_as(client, "qa.lead", next_url="/reports/")
    assert response.status_code == 302 and response["Location"] == "/reports/"
    user = signed_in_user(client)
    assert user.role == Role.QA_LEAD and user.is_staff
    assert user.get_full_name() == "Quinn Lead" and user.email == "qa.lead@council.example"
    assert user.provider_subject.startswith(provider.issuer + "#")
    assert not user.has_usable_password()
    # amr says multi-factor: our own second factor is not asked again.
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_IN, actor=user)
    assert event.details["with"] == "council_account"
    assert event.details["groups"] == ["grp-qa-lead"]
    assert event.details["multi_factor_at_provider"] is True
    # The audit trail says so in words.
    trail = client.get(reverse("audit_log"), {"action": "signed_in"}).content.decode()
    assert "groups: grp-qa-lead" in trail and "with: council_account" in trail


def test_without_a_next_page_the_sign_in_ends_on_the_home_page(client):
    # LOGIN_REDIRECT_URL is the URL name "home", not a path: sent as it is, the browser would
    # go to /sign-in/council/callback/home (found by the browser journey).
    response = sign_in_as(client, "qa.lead")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # Someone already signed in who presses the button again goes home too.
    response = client.get(reverse("council_sign_in"))
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_each_sign_in_re_reads_the_groups(client, provider):
    sign_in_as(client, "mover")
    user = signed_in_user(client)
    assert user.role == Role.REVIEWER
    client.post(reverse("logout"))

    provider.set_account("mover", groups=["grp-qa-lead"])
    sign_in_as(client, "mover")
    user.refresh_from_db()
    assert signed_in_user(client) == user and user.role == Role.QA_LEAD
    event = AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN, actor=user).latest("id")
    assert event.details["role_before"] == Role.REVIEWER
    assert User.objects.filter(provider_subject=user.provider_subject).count() == 1


def test_a_person_removed_from_the_group_loses_the_role_at_their_next_sign_in(
    client, provider, django_user_model
):
    sign_in_as(client, "mover")
    user = signed_in_user(client)
    other_browser = client.__class__()
    other_browser.force_login(user, backend="practice_review.accounts.oidc.CouncilAccountBackend")

    provider.set_account("mover", groups=["grp-somewhere-else"])
    client.post(reverse("logout"))
    response = sign_in_as(client, "mover")
    assert response.status_code == 403
    assert signed_in_user(client) is None
    user.refresh_from_db()
    assert user.role == "" and not user.is_staff
    # Their other sessions end with the role.
    assert SESSION_KEY not in other_browser.session


def test_a_person_in_no_mapped_group_is_refused_with_whom_to_ask_and_nothing_is_created(
    client, settings, provider
):
    settings.ACCESS_CONTACT = "the Quality Assurance team (qa@council.example)"
    users_before = User.objects.count()
    response = sign_in_as(client, "no.group")
    assert response.status_code == 403
    page = response.content.decode()
    assert "not in any of the groups" in page
    assert "the Quality Assurance team (qa@council.example)" in page
    assert signed_in_user(client) is None
    # They are still signed in at the provider: the page offers to end that too.
    assert "Sign out of your council account" in page
    assert f'href="{provider.issuer}/session/end?client_id=' in page
    # Reloading the page says the same again (the callback's code is not asked twice).
    again = client.get(reverse("council_sign_in_refused"))
    assert again.status_code == 403 and "not in any of the groups" in again.content.decode()
    assert refusals().count() == 1
    assert User.objects.count() == users_before
    assert refusals().get().details == {
        "with": "council_account",
        "reason": single_sign_on.NO_MAPPED_GROUP,
        "username": "no.group@council.example",
        "groups": [],
    }


def test_the_entra_groups_overage_is_refused_naming_the_fix(client):
    users_before = User.objects.count()
    response = sign_in_as(client, "overage")
    assert response.status_code == 403
    assert "Groups assigned to the application" in response.content.decode()
    assert User.objects.count() == users_before
    assert refusals().get().details["reason"] == single_sign_on.GROUPS_OVERAGE


def test_the_first_mapping_a_person_matches_decides_their_role(client, settings, provider):
    sign_in_as(client, "two.groups")
    assert signed_in_user(client).role == Role.QA_LEAD
    client.post(reverse("logout"))
    configure(settings, provider, role_groups="reviewer=grp-reviewer,qa_lead=grp-qa-lead")
    sign_in_as(client, "two.groups")
    assert signed_in_user(client).role == Role.REVIEWER


def test_without_multi_factor_at_the_provider_our_own_second_factor_is_asked(client):
    sign_in_as(client, "no.mfa")
    assert signed_in_user(client).role == Role.REVIEWER
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_setup")
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_IN)
    assert event.details["multi_factor_at_provider"] is False


def test_require_mfa_claim_asks_our_second_factor_where_it_is_otherwise_off(
    client, settings, provider
):
    settings.TWO_FACTOR_REQUIRED = False
    sign_in_as(client, "no.mfa")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    configure(settings, provider, require_mfa_claim=True)
    sign_in_as(client, "no.mfa")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_setup")
    client.post(reverse("logout"))

    sign_in_as(client, "qa.lead")
    assert client.get(reverse("home")).status_code == 200


def test_a_local_account_of_the_same_name_is_never_taken_over(client, django_user_model):
    # The provider's username for qa.lead is their address (as Entra ID's UPN is).
    taken = "qa.lead@council.example"
    local = django_user_model.objects.create_user(taken, password="a-long-password-1")
    sign_in_as(client, "qa.lead")
    user = signed_in_user(client)
    assert user != local and user.username == f"{taken}-2"
    local.refresh_from_db()
    assert local.provider_subject is None and local.role == ""


def test_a_deactivated_account_is_refused(client):
    sign_in_as(client, "reviewer")
    user = signed_in_user(client)
    still_open = client.__class__()
    still_open.force_login(user, backend=oidc.BACKEND)
    client.post(reverse("logout"))
    # Past the signal that ends their sessions (a bulk update sends none): the backend itself
    # refuses the session's person on its next request.
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert still_open.get(reverse("home"))["Location"].startswith(reverse("login"))
    response = sign_in_as(client, "reviewer")
    assert response.status_code == 403 and signed_in_user(client) is None
    assert refusals().get().details["reason"] == single_sign_on.ACCOUNT_DEACTIVATED


def assert_refused_and_nothing_created(client, response, users_before, check, signed_in=0):
    assert response.status_code == 400
    assert "Signing in did not finish" in response.content.decode()
    assert signed_in_user(client) is None
    assert User.objects.count() == users_before
    event = refusals().get()
    assert event.details["reason"] == single_sign_on.NOT_COMPLETED
    assert check in event.details["check"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN).count() == signed_in


def with_query(url, **changes):
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_wrong_state_is_refused(client):
    users_before = User.objects.count()
    callback = sign_in_at_provider(begin(client), "qa.lead")
    response = come_back(client, with_query(callback, state="not-the-state-we-sent"))
    assert_refused_and_nothing_created(client, response, users_before, "state")


def test_a_callback_is_used_once(client):
    callback = sign_in_at_provider(begin(client), "qa.lead")
    assert come_back(client, callback).status_code == 302
    client.post(reverse("logout"))
    users_before = User.objects.count()
    # Replayed in a browser with no sign-in under way: refused, and nothing written at all.
    response = come_back(client, callback)
    assert response.status_code == 400 and "Signing in did not finish" in response.content.decode()
    assert signed_in_user(client) is None and User.objects.count() == users_before
    assert not refusals().exists()
    # Replayed while a sign-in is under way (another tab, or an attacker's link): refused, and
    # recorded, since this browser did begin a sign-in.
    begin(client)
    response = come_back(client, callback)
    assert_refused_and_nothing_created(client, response, users_before, "state", signed_in=1)


def test_a_sign_in_left_too_long_is_refused(client, monkeypatch):
    users_before = User.objects.count()
    callback = sign_in_at_provider(begin(client), "qa.lead")
    later = time.time() + sign_in_views.STATE_LIFETIME_SECONDS + 1
    monkeypatch.setattr(sign_in_views.time, "time", lambda: later)
    response = come_back(client, callback)
    assert_refused_and_nothing_created(client, response, users_before, "state expired")


def test_a_council_account_cannot_sign_in_with_a_password_anywhere(client):
    """Not on the sign-in page, nor the Django admin's own sign-in page: the backend refuses."""
    sign_in_as(client, "qa.lead")  # a QA lead's account: staff, so the admin would take it
    user = signed_in_user(client)
    client.post(reverse("logout"))
    user.set_password("a-long-password-set-by-mistake")
    user.save()
    credentials = {"username": user.username, "password": "a-long-password-set-by-mistake"}
    response = client.post(reverse("login"), credentials)
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert signed_in_user(client) is None
    response = client.post(reverse("admin:login"), credentials)
    assert response.status_code == 200 and signed_in_user(client) is None


def test_a_wrong_nonce_is_refused(client):
    """The provider is asked for a token with another nonce than the session's (as if a token
    from another sign-in were injected): the token is genuine, but not for this sign-in."""
    users_before = User.objects.count()
    authorize = with_query(begin(client), nonce="a-nonce-this-browser-never-sent")
    response = come_back(client, sign_in_at_provider(authorize, "qa.lead"))
    assert_refused_and_nothing_created(client, response, users_before, "nonce")


@pytest.mark.parametrize(
    "mode, check",
    [
        ("expired", "ExpiredSignatureError"),
        ("wrong-signature", "InvalidSignatureError"),
        ("wrong-audience", "InvalidAudienceError"),
        ("wrong-issuer", "InvalidIssuerError"),
        ("unsigned", "algorithm 'none' is not accepted"),
    ],
)
def test_a_tampered_id_token_is_refused(client, provider, mode, check):
    assert mode in TAMPER_MODES
    users_before = User.objects.count()
    provider.tamper(mode)
    response = sign_in_as(client, "qa.lead")
    assert_refused_and_nothing_created(client, response, users_before, check)


def test_a_wrong_client_secret_is_refused_by_the_provider(client, settings, provider):
    settings.SINGLE_SIGN_ON = single_sign_on.configuration(
        issuer=provider.issuer,
        client_id=provider.client_id,
        client_secret="not-the-secret",
        role_groups=ROLE_GROUPS,
    )
    users_before = User.objects.count()
    response = sign_in_as(client, "qa.lead")
    assert response.status_code == 503
    assert "Signing in did not finish" in response.content.decode()
    assert User.objects.count() == users_before


def test_an_error_from_the_provider_is_refused(client):
    state = parse_qs(urlsplit(begin(client)).query)["state"][0]
    response = client.get(
        reverse("council_sign_in_callback"),
        {"error": "access_denied\nforged line", "state": state},
        follow=True,
    )
    assert response.status_code == 400
    # Only the error code's characters reach the audit trail and the log.
    assert refusals().get().details["check"] == "provider:access_deniedforgedline"
    assert client.session["oidc_states"] == {}


def test_signing_out_ends_our_session_and_the_providers(client, provider):
    sign_in_as(client, "qa.lead")
    response = client.post(reverse("logout"))
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}".startswith(provider.issuer)
    query = parse_qs(location.query)
    assert query["client_id"] == [provider.client_id]
    assert query["post_logout_redirect_uri"] == [single_sign_on.signed_out_uri(SITE_URL)]
    assert signed_in_user(client) is None


def test_a_local_account_signs_out_here_only(client, django_user_model):
    local = django_user_model.objects.create_user("break.glass", password=ANY_PASSWORD * 2)
    client.force_login(local)
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def form_action(response):
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return next(d for d in directives if d.startswith("form-action")).split()[1:]


def test_the_sign_out_form_may_lead_on_to_the_provider_for_council_accounts_only(
    client, provider, django_user_model
):
    # Chromium applies form-action to the sign-out form's redirect to the provider too; with
    # 'self' alone the browser stops at our page (found by the browser journey).
    sign_in_as(client, "qa.lead")
    assert form_action(client.get(reverse("home"))) == ["'self'", provider.issuer]
    client.post(reverse("logout"))
    assert form_action(client.get(reverse("login"))) == ["'self'"]

    client.force_login(django_user_model.objects.create_user("break.glass"))
    assert form_action(client.get(reverse("home"))) == ["'self'"]


def test_a_provider_that_does_not_answer_is_said_plainly(client, settings):
    settings.SINGLE_SIGN_ON = single_sign_on.configuration(
        issuer="http://127.0.0.1:9",  # the discard port: nothing listens
        client_id="practice-review",
        client_secret="secret",
        role_groups=ROLE_GROUPS,
        timeout_seconds=2,
    )
    response = client.get(reverse("council_sign_in"))
    assert response.status_code == 503
    assert "Signing in did not finish" in response.content.decode()
    # Not asked again for a while: each press would otherwise hold a worker for the timeout.
    assert cache.get("oidc-down:http://127.0.0.1:9")
    cache.delete("oidc-down:http://127.0.0.1:9")


def test_the_administrator_is_offered_the_staff_member_of_the_same_name(client):
    staff = StaffMember.objects.create(name="Quinn Lead", initials="QL")
    sign_in_as(client, "qa.lead")
    user = signed_in_user(client)
    assert list(suggested_staff_members(user)) == [staff]
    assert user.staff_member is None  # suggested, never linked without the administrator


def forged_token(key, kid, **claims):
    now = int(time.time())
    payload = {"iat": now, "exp": now + 300, "sub": "someone", "nonce": "n", **claims}
    algorithm = "HS256" if isinstance(key, str) else "RS256"
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


def verify(provider, token):
    document = oidc.discovery(oidc.configuration())
    return oidc.CouncilAccountBackend().verify_token(
        token, nonce="n", issuer=document["issuer"], jwks_uri=document["jwks_uri"]
    )


def test_tokens_the_provider_did_not_sign_with_its_published_keys_are_refused(provider):
    """Algorithm confusion (HS256 keyed with the client secret, which we share with the
    provider), a key the provider does not publish, and several audiences without us as the
    authorised party."""
    claims = {"iss": provider.issuer, "aud": provider.client_id}
    # (PyJWT warns of a secret this short; an attacker would not mind.)
    with pytest.warns(jwt.warnings.InsecureKeyLengthWarning):
        hs256 = forged_token(provider.client_secret, "any", **claims)
    with pytest.raises(SuspiciousOperation, match="algorithm 'HS256' is not accepted"):
        verify(provider, hs256)

    own_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SuspiciousOperation, match="a key the provider does not publish"):
        verify(provider, forged_token(own_key, "not-a-published-kid", **claims))

    # Were our key among the provider's (as if published), a token for two audiences that does
    # not name us as the authorised party is still refused.
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(own_key.public_key()))
    cache.set(f"oidc-keys:{provider.issuer}", [{**public, "kid": "ours", "alg": "RS256"}])
    try:
        two_audiences = {"iss": provider.issuer, "aud": [provider.client_id, "another-app"]}
        with pytest.raises(SuspiciousOperation, match="azp is not this service"):
            verify(provider, forged_token(own_key, "ours", **two_audiences))
        named = {**two_audiences, "azp": provider.client_id}
        assert verify(provider, forged_token(own_key, "ours", **named))["sub"] == "someone"
    finally:
        cache.delete(f"oidc-keys:{provider.issuer}")
