"""The OpenID provider for tests (tests/oidc_provider) does what the sign-in tests rely on.

Plain HTTP against the provider, no Django app: discovery, a code flow with PKCE as the app will
make it, client authentication, the ID token's claims checked with PyJWT against the JWKS, the
tamper modes, the account controls, and RP-initiated sign-out. If these fail, a failing sign-in
test is the tool's fault, not the app's.
"""

import base64
import hashlib
import os
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests

from tests.oidc_provider import fixture
from tests.oidc_provider.fixture import (
    TENANT_ID,
    ProviderError,
    sign_in_at_provider,
    sign_out_at_provider,
    start_provider,
)

pytestmark = pytest.mark.slow

REDIRECT_URI = "http://testserver/oidc/callback/"
POST_LOGOUT_REDIRECT_URI = "http://testserver/signed-out/"


@pytest.fixture(scope="module")
def provider():
    provider = start_provider([REDIRECT_URI], [POST_LOGOUT_REDIRECT_URI])
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def fresh_provider(provider):
    # Every test starts from the accounts as they were and no tampering, whatever one before did.
    provider.reset()
    yield


@pytest.fixture(scope="module")
def discovery(provider):
    response = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="module")
def signing_keys(discovery):
    return jwt.PyJWKSet.from_dict(requests.get(discovery["jwks_uri"], timeout=10).json())


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(discovery, client_id, *, challenge, state, nonce, **extra):
    params = {
        "client_id": client_id,
        "response_type": "code",
        "scope": "openid profile email",
        "redirect_uri": REDIRECT_URI,
        "state": state,
        "nonce": nonce,
        **({"code_challenge": challenge, "code_challenge_method": "S256"} if challenge else {}),
        **extra,
    }
    return f"{discovery['authorization_endpoint']}?{urlencode(params)}"


def query(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def redeem(discovery, provider, code, verifier, *, basic=True):
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    if basic:
        auth = (provider.client_id, provider.client_secret)
    else:
        auth = None
        form |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
    return requests.post(discovery["token_endpoint"], data=form, auth=auth, timeout=10)


def sign_in(discovery, provider, username):
    """The whole code flow as the app will make it; returns the token response and the nonce."""
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    url = authorize_url(
        discovery, provider.client_id, challenge=challenge, state=state, nonce=nonce
    )
    callback = sign_in_at_provider(url, username)
    assert callback.startswith(REDIRECT_URI)
    params = query(callback)
    assert params["state"] == state, params
    response = redeem(discovery, provider, params["code"], verifier)
    assert response.status_code == 200, response.text
    return response.json(), nonce


def verify(provider, signing_keys, id_token):
    """Check an ID token as a careful relying party does: key, algorithm, audience, issuer."""
    kid = jwt.get_unverified_header(id_token).get("kid")
    key = signing_keys[kid] if kid else signing_keys.keys[0]
    return jwt.decode(
        id_token,
        key=key,
        algorithms=["RS256"],
        audience=provider.client_id,
        issuer=provider.issuer,
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )


def test_discovery_names_the_endpoints_the_app_needs(provider, discovery):
    assert discovery["issuer"] == provider.issuer
    assert provider.issuer.startswith("http://127.0.0.1:")
    for endpoint in ("authorization", "token", "end_session"):
        assert discovery[f"{endpoint}_endpoint"].startswith(provider.issuer + "/")
    assert discovery["jwks_uri"].startswith(provider.issuer + "/")
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]
    assert discovery["token_endpoint_auth_methods_supported"] == ["client_secret_basic"]
    assert discovery["response_types_supported"] == ["code"]


def test_code_flow_with_pkce_gives_an_id_token_with_entra_shaped_claims(
    provider, discovery, signing_keys
):
    tokens, nonce = sign_in(discovery, provider, "qa.lead")

    claims = verify(provider, signing_keys, tokens["id_token"])
    assert jwt.get_unverified_header(tokens["id_token"])["alg"] == "RS256"
    assert claims["nonce"] == nonce
    assert claims["groups"] == ["grp-qa-lead"]
    assert claims["amr"] == ["pwd", "mfa"]
    assert claims["oid"] == "a0000000-0000-4000-8000-000000000001"
    assert claims["tid"] == TENANT_ID
    assert claims["email"] == "qa.lead@council.example"
    assert claims["name"] == "Quinn Lead"
    assert claims["preferred_username"] == "qa.lead@council.example"
    # An opaque sub, neither the username nor the oid: the app must match people on oid.
    assert claims["sub"] not in ("qa.lead", claims["oid"])
    assert "_claim_names" not in claims


def test_the_same_account_gets_the_same_sub_and_oid_each_time(provider, discovery, signing_keys):
    first = verify(provider, signing_keys, sign_in(discovery, provider, "reviewer")[0]["id_token"])
    second = verify(provider, signing_keys, sign_in(discovery, provider, "reviewer")[0]["id_token"])
    assert (first["sub"], first["oid"]) == (second["sub"], second["oid"])
    assert first["name"] == "Riley Reviewer"
    assert first["email"] == "reviewer@council.example"


def test_client_secret_post_is_refused(provider, discovery):
    verifier, challenge = pkce_pair()
    url = authorize_url(discovery, provider.client_id, challenge=challenge, state="s", nonce="n")
    code = query(sign_in_at_provider(url, "qa.lead"))["code"]

    response = redeem(discovery, provider, code, verifier, basic=False)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    # and the same code still redeems with HTTP Basic: only the method was refused
    assert redeem(discovery, provider, code, verifier).status_code == 200


def test_a_wrong_client_secret_is_refused(provider, discovery):
    verifier, challenge = pkce_pair()
    url = authorize_url(discovery, provider.client_id, challenge=challenge, state="s", nonce="n")
    code = query(sign_in_at_provider(url, "qa.lead"))["code"]

    response = requests.post(
        discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=(provider.client_id, "not-the-secret"),
        timeout=10,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_pkce_is_required(provider, discovery):
    url = authorize_url(discovery, provider.client_id, challenge=None, state="s", nonce="n")

    # Refused before any login page: straight back to the app with an error.
    params = query(sign_in_at_provider(url, "qa.lead"))

    assert params["error"] == "invalid_request"
    assert "PKCE" in params["error_description"]
    assert "code" not in params


def test_a_wrong_code_verifier_is_refused(provider, discovery):
    _, challenge = pkce_pair()
    url = authorize_url(discovery, provider.client_id, challenge=challenge, state="s", nonce="n")
    code = query(sign_in_at_provider(url, "qa.lead"))["code"]

    response = redeem(discovery, provider, code, pkce_pair()[0])

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_an_unknown_username_stays_on_the_login_page(provider, discovery):
    _, challenge = pkce_pair()
    url = authorize_url(discovery, provider.client_id, challenge=challenge, state="s", nonce="n")

    with pytest.raises(ProviderError, match="Unknown username"):
        sign_in_at_provider(url, "nobody")


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("expired", jwt.ExpiredSignatureError),
        ("wrong-signature", jwt.InvalidSignatureError),
        ("wrong-audience", jwt.InvalidAudienceError),
        ("wrong-issuer", jwt.InvalidIssuerError),
        ("unsigned", jwt.InvalidAlgorithmError),
    ],
)
def test_each_tamper_mode_gives_a_token_a_careful_relying_party_rejects(
    provider, discovery, signing_keys, mode, error
):
    provider.tamper(mode)
    tokens, _ = sign_in(discovery, provider, "qa.lead")

    with pytest.raises(error):
        verify(provider, signing_keys, tokens["id_token"])
    # Only what the mode names is wrong: the claims the app reads are all still there.
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["groups"] == ["grp-qa-lead"]
    assert claims["oid"] == "a0000000-0000-4000-8000-000000000001"
    if mode == "wrong-signature":
        header = jwt.get_unverified_header(tokens["id_token"])
        assert header["kid"] == signing_keys.keys[0].key_id  # the same kid, another key
    if mode == "unsigned":
        header = jwt.get_unverified_header(tokens["id_token"])
        assert (header["alg"], header["kid"]) == ("none", signing_keys.keys[0].key_id)
        assert tokens["id_token"].endswith(".")


def test_tampering_stops_on_none_and_on_reset(provider, discovery, signing_keys):
    provider.tamper("wrong-issuer")
    provider.tamper(None)
    verify(provider, signing_keys, sign_in(discovery, provider, "qa.lead")[0]["id_token"])

    provider.tamper("expired")
    provider.reset()
    verify(provider, signing_keys, sign_in(discovery, provider, "qa.lead")[0]["id_token"])


def test_an_unknown_tamper_mode_is_refused(provider):
    with pytest.raises(ValueError):
        provider.tamper("backwards")
    with pytest.raises(ProviderError):
        provider._control("/test/tamper", {"mode": "backwards"})


def test_set_account_changes_groups_and_amr_for_the_next_sign_in(provider, discovery, signing_keys):
    before = verify(provider, signing_keys, sign_in(discovery, provider, "mover")[0]["id_token"])
    assert before["groups"] == ["grp-reviewer"]

    provider.set_account("mover", groups=["grp-qa-lead"])
    after = verify(provider, signing_keys, sign_in(discovery, provider, "mover")[0]["id_token"])
    assert after["groups"] == ["grp-qa-lead"]
    assert after["amr"] == ["pwd", "mfa"]  # left as it was

    provider.set_account("mover", amr=["pwd"])
    later = verify(provider, signing_keys, sign_in(discovery, provider, "mover")[0]["id_token"])
    assert (later["groups"], later["amr"]) == (["grp-qa-lead"], ["pwd"])

    provider.reset()
    reset = verify(provider, signing_keys, sign_in(discovery, provider, "mover")[0]["id_token"])
    assert (reset["groups"], reset["amr"]) == (["grp-reviewer"], ["pwd", "mfa"])


def test_set_account_refuses_an_unknown_account(provider):
    with pytest.raises(ProviderError, match="404"):
        provider.set_account("nobody", groups=["grp-qa-lead"])


@pytest.mark.parametrize(
    ("username", "groups", "amr"),
    [
        ("reviewer", ["grp-reviewer"], ["pwd", "mfa"]),
        ("two.groups", ["grp-reviewer", "grp-qa-lead"], ["pwd", "mfa"]),
        ("no.group", ["grp-somewhere-else"], ["pwd", "mfa"]),
        ("no.mfa", ["grp-reviewer"], ["pwd"]),
    ],
)
def test_each_account_has_its_groups_and_amr(
    provider, discovery, signing_keys, username, groups, amr
):
    claims = verify(provider, signing_keys, sign_in(discovery, provider, username)[0]["id_token"])
    assert (claims["groups"], claims["amr"]) == (groups, amr)
    assert claims["tid"] == TENANT_ID


def test_the_overage_account_has_entras_overage_shape_and_no_groups(
    provider, discovery, signing_keys
):
    claims = verify(provider, signing_keys, sign_in(discovery, provider, "overage")[0]["id_token"])

    assert "groups" not in claims
    assert claims["_claim_names"] == {"groups": "src1"}
    assert claims["_claim_sources"] == {
        "src1": {
            "endpoint": f"https://graph.microsoft.com/v1.0/users/{claims['oid']}/getMemberObjects"
        }
    }
    assert claims["name"] == "Olive Overage"
    assert claims["amr"] == ["pwd", "mfa"]


def test_rp_initiated_sign_out_returns_to_the_app(provider, discovery):
    verifier, challenge = pkce_pair()
    url = authorize_url(discovery, provider.client_id, challenge=challenge, state="s", nonce="n")
    with requests.Session() as browser:
        code = query(sign_in_at_provider(url, "qa.lead", session=browser))["code"]
        tokens = redeem(discovery, provider, code, verifier).json()
        end_session = (
            discovery["end_session_endpoint"]
            + "?"
            + urlencode(
                {
                    "id_token_hint": tokens["id_token"],
                    "post_logout_redirect_uri": POST_LOGOUT_REDIRECT_URI,
                    "state": "bye",
                }
            )
        )

        back = sign_out_at_provider(end_session, session=browser)

        assert back.startswith(POST_LOGOUT_REDIRECT_URI)
        assert query(back)["state"] == "bye"
        # Signed out at the provider too: the next sign-in asks for the username again.
        _, challenge = pkce_pair()
        again = authorize_url(
            discovery, provider.client_id, challenge=challenge, state="t", nonce="m"
        )
        response = browser.get(again, timeout=10)
        assert 'name="login"' in response.text


def test_the_provider_prints_nothing_but_errors(provider, discovery):
    # Near the end of this file, after every kind of request: no notices, no request logs.
    sign_in(discovery, provider, "qa.lead")
    assert provider.stderr() == ""
    os.set_blocking(provider.process.stdout.fileno(), False)
    assert provider.process.stdout.read() is None  # nothing after the READY line


def test_a_missing_npm_install_fails_naming_npm_ci(monkeypatch, tmp_path):
    # Fails, not skips: a sign-in test that cannot run must not pass unseen.
    monkeypatch.setattr(fixture, "REPO_ROOT", tmp_path)
    with pytest.raises(ProviderError, match="npm ci"):
        start_provider([REDIRECT_URI])
