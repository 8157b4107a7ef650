"""Signing in with the council's account: the OpenID Connect protocol (ADR 0009).

mozilla-django-oidc does the protocol's moving parts: the state, nonce and PKCE verifier kept in
the session (sign_in_views.py) and the code exchanged at the token endpoint with HTTP Basic
(client_secret_basic). What it leaves to its users is done here: the endpoints come from the
provider's discovery document, the provider's keys are kept for an hour, and the ID token's
issuer, audience, expiry and issue time are checked as well as its signature and nonce. Who may
come in and with which role is single_sign_on.py's rule; `sign_in` applies it.
"""

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from practice_review.accounts import single_sign_on
from practice_review.accounts.models import User
from practice_review.accounts.signals import end_sessions
from practice_review.core.history import save_as
from practice_review.core.vocabulary import Role

# The provider's keys and endpoints change rarely; an hour's cache spares requests at each
# sign-in, and a key not yet seen is fetched again at once (`signing_key`).
DISCOVERY_CACHE_SECONDS = 3600
# A provider that did not answer is not asked again for this long: otherwise every press of the
# button would hold a server worker for the whole timeout while it is down.
PROVIDER_DOWN_SECONDS = 30
# Signing algorithms accepted for ID tokens: the provider's public keys only. HS256 (signed with
# the client secret) and "none" never are.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
# Roles whose work includes the Django admin (accounts, staff, teams, reference data).
ADMIN_SITE_ROLES = (Role.ADMIN, Role.QA_LEAD)
BACKEND = "practice_review.accounts.oidc.CouncilAccountBackend"


class ProviderProblem(Exception):
    """The provider could not be reached or answered what a provider must not: the sign-in
    cannot finish. The message is for the administrator's log and names no person."""


def configuration():
    return settings.SINGLE_SIGN_ON


def discovery(config):
    """The provider's discovery document, checked to be for the issuer we were given."""
    key = f"oidc-discovery:{config.issuer}"
    document = cache.get(key)
    if document is None:
        document = _get_json(config.discovery_url, config)
        issuer = str(document.get("issuer", "")).rstrip("/")
        if issuer != config.issuer:
            raise ProviderProblem(
                f"the discovery document's issuer is {issuer!r}, not OIDC_ISSUER "
                f"{config.issuer!r}: set OIDC_ISSUER to the issuer the provider names"
            )
        for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not document.get(needed):
                raise ProviderProblem(f"the discovery document has no {needed}")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def cached_discovery(config):
    """The discovery document if it is at hand, without asking the provider (for every page)."""
    return cache.get(f"oidc-discovery:{config.issuer}")


def signing_key(token, config, jwks_uri):
    """The provider's published key the token names (`kid`, and `alg` where the key says), from
    the keys kept for an hour, or fetched again once if it is not among them (keys roll over)."""
    try:
        header = jwt.get_unverified_header(token)
        kid, algorithm = header["kid"], header["alg"]
    except (jwt.PyJWTError, KeyError):
        raise SuspiciousOperation("the ID token names no key") from None
    key = f"oidc-keys:{config.issuer}"
    for fresh in (False, True):
        keys = None if fresh else cache.get(key)
        if keys is None:
            keys = _get_json(jwks_uri, config).get("keys")
            if not isinstance(keys, list):
                raise ProviderProblem("the provider's keys are not a JSON Web Key Set")
            cache.set(key, keys, DISCOVERY_CACHE_SECONDS)
        for published in keys:
            if (
                isinstance(published, dict)
                and published.get("kid") == kid
                and published.get("alg", algorithm) == algorithm
            ):
                try:
                    return jwt.PyJWK(published)
                except jwt.PyJWTError:
                    raise ProviderProblem("a published key cannot be read") from None
    raise SuspiciousOperation("ID token refused: signed with a key the provider does not publish")


def _get_json(url, config):
    if cache.get(f"oidc-down:{config.issuer}"):
        raise ProviderProblem(f"the provider did not answer in the last {PROVIDER_DOWN_SECONDS} s")
    try:
        response = requests.get(url, timeout=config.timeout_seconds)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as problem:
        cache.set(f"oidc-down:{config.issuer}", True, PROVIDER_DOWN_SECONDS)
        raise ProviderProblem(f"{url} did not answer with JSON: {type(problem).__name__}") from None
    if not isinstance(document, dict):
        raise ProviderProblem(f"{url} did not answer with a JSON object")
    return document


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of a sign-in with the council's account.

    Django asks every backend with whatever a sign-in offers; this one answers only the callback
    (which passes `nonce` and `code_verifier`), so a username and password never reach it.
    """

    def __init__(self):
        # Not the library's __init__: it reads fixed endpoints from settings, where ours come from
        # the discovery document when a sign-in needs them.
        self.UserModel = User
        self.config = configuration()
        self.OIDC_RP_CLIENT_ID = self.config.client_id
        self.OIDC_RP_CLIENT_SECRET = self.config.client_secret

    @staticmethod
    def get_settings(attr, *args):
        # What the library's token exchange and key lookup read, fixed: HTTP Basic at the token
        # endpoint (client_secret_basic), certificates checked, our timeout, no proxy. (Bandit
        # takes the key with TOKEN in it for a password.)
        fixed = {
            "OIDC_TOKEN_USE_BASIC_AUTH": True,  # nosec B105
            "OIDC_VERIFY_SSL": True,
            "OIDC_TIMEOUT": configuration().timeout_seconds,
            "OIDC_PROXY": None,
        }
        if attr in fixed:
            return fixed[attr]
        return OIDCAuthenticationBackend.get_settings(attr, *args)

    def get_user(self, user_id):
        # Django's, which refuses a deactivated account on its next request; the library's
        # returns any account at all.
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request, code=None, nonce=None, code_verifier=None, **credentials):
        """The claims of a verified ID token, or None when this is not a callback. Refusals and
        failures raise (single_sign_on.Refused, SuspiciousOperation, ProviderProblem): the
        callback view says which to the person and the audit trail."""
        if request is None or not (code and nonce and code_verifier) or not self.config.enabled:
            return None
        self.request = request
        document = discovery(self.config)
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        try:
            tokens = self.get_token(
                {
                    "client_id": self.config.client_id,
                    "client_secret": self.config.client_secret,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": single_sign_on.redirect_uri(settings.SITE_URL),
                    "code_verifier": code_verifier,
                }
            )
        except (requests.RequestException, ValueError) as problem:
            # The library's error names the token endpoint's answer, which may quote the code.
            raise ProviderProblem(f"the token endpoint refused: {type(problem).__name__}") from None
        id_token = tokens.get("id_token") if isinstance(tokens, dict) else None
        if not id_token or not isinstance(id_token, str):
            raise ProviderProblem("the token endpoint sent no ID token")
        return self.verify_token(
            id_token, nonce=nonce, issuer=document["issuer"], jwks_uri=document["jwks_uri"]
        )

    def verify_token(self, token, **kwargs):
        """Signature by one of the provider's keys, then issuer, audience (us), expiry, issue
        time and the nonce this browser's sign-in began with."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise SuspiciousOperation("the ID token is not a JWT") from None
        algorithm = header.get("alg")
        if algorithm not in SIGNING_ALGORITHMS:
            raise SuspiciousOperation(f"the ID token's algorithm {algorithm!r} is not accepted")
        key = signing_key(token, self.config, kwargs["jwks_uri"])
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.config.client_id,
                issuer=kwargs["issuer"],
                leeway=single_sign_on.CLOCK_LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
            )
        except jwt.PyJWTError as problem:
            # Which check failed, by its class (ExpiredSignatureError...): no claim's value.
            raise SuspiciousOperation(f"ID token refused: {type(problem).__name__}") from None
        # Several audiences are allowed only when the authorised party is us (OIDC Core 3.1.3.7).
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.config.client_id:
            raise SuspiciousOperation("ID token refused: azp is not this service")
        if claims.get("nonce") != kwargs["nonce"]:
            raise SuspiciousOperation("ID token refused: the nonce is not this sign-in's")
        return claims


def sign_in(claims, *, config):
    """The account for a verified ID token: found by the person's id at the provider, or made on
    their first sign-in; their name, address and role brought up to date from the token.

    Raises single_sign_on.Refused when the groups give no role or the account was deactivated
    here: nothing is created, and an existing account whose groups no longer give a role loses
    its role and its sessions at once (they were removed from the group). Returns (user,
    role_before)."""
    subject = single_sign_on.subject(config.issuer, claims)
    try:
        role = single_sign_on.role_from_groups(claims, config.role_groups)
    except single_sign_on.Refused as refusal:
        if refusal.reason == single_sign_on.NO_MAPPED_GROUP:
            _take_role_away(subject)
        raise
    profile = single_sign_on.profile(claims)
    try:
        return _bring_up_to_date(subject, role, profile)
    except IntegrityError:
        # Two first sign-ins of one person at once (a double click, two tabs): the other made
        # the account a moment ago (PostgreSQL; SQLite's writes queue). Find it this time.
        return _bring_up_to_date(subject, role, profile)


def _bring_up_to_date(subject, role, profile):
    with transaction.atomic():
        user = User.objects.select_for_update().filter(provider_subject=subject).first()
        if user is not None and not user.is_active:
            raise single_sign_on.Refused(single_sign_on.ACCOUNT_DEACTIVATED)
        role_before = user.role if user is not None else None
        if user is None:
            user = User(username=_free_username(profile.username), provider_subject=subject)
            user.set_unusable_password()
        wanted = {
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "email": profile.email or user.email,
            "role": role,
            # The admin site is a role's, never given by hand to a council account; nor is
            # superuser, which no group gives.
            "is_staff": role in ADMIN_SITE_ROLES,
            "is_superuser": False,
        }
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        if user.pk is None or changed:
            # The person is the author of what their own sign-in changes on their account; a
            # sign-in that changes nothing adds nothing to its history.
            save_as(user, by=user)
    return user, role_before


def _take_role_away(subject):
    with transaction.atomic():
        user = User.objects.select_for_update().filter(provider_subject=subject).first()
        if user is None or not (user.role or user.is_staff or user.is_superuser):
            return
        user.role, user.is_staff, user.is_superuser = "", False, False
        save_as(user, by=user)
    end_sessions(user)


def _free_username(wanted):
    """The provider's username, or with a number after it if a local account has it: an account
    of the same name is never taken over by a sign-in."""
    wanted = wanted or "council-account"
    candidate, number = wanted, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate
