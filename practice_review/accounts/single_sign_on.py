"""Signing in with the council's own account (OpenID Connect), as plain Python rules
(docs/spec/domain.md#council-accounts, ADR 0009).

What the provider's ID token says decides who may come in and with which role; oidc.py does the
protocol (with mozilla-django-oidc) and calls these. No Django here but its settings object, so
tests/unit tests the rules alone.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from practice_review.core.vocabulary import Role

# The path the provider sends people back to; `practice-review oidc-redirect-uri` prints it whole.
# The sign-in page, where the provider sends people after signing them out there too, and the
# path the provider sends them back to after signing in; urls.py routes both from here.
SIGN_IN_PATH = "/sign-in/"
CALLBACK_PATH = "/sign-in/council/callback/"
# The scopes asked for: `openid` for the ID token, `profile` and `email` for the person's name and
# address. Groups come in the ID token when the app registration asks for them (Entra's "groups
# claim"), not from a scope.
SCOPES = "openid profile email"
# RFC 8176's "mfa": the person proved more than one factor to the provider (Entra ID, Okta, Auth0
# and Keycloak all say it so). Nothing weaker counts as our second factor.
MULTI_FACTOR = "mfa"
# Clock difference allowed between the provider and us when checking a token's times.
CLOCK_LEEWAY_SECONDS = 60


class Misconfigured(ValueError):
    """A setting is wrong; the message names it and says what it should be."""


class Refused(Exception):
    """The provider signed the person in, but we do not let them in. `reason` is one of the
    REASONS keys; the refusal page explains it (templates/accounts/council_sign_in_refused.html)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# Why a sign-in with the council account was refused, as the audit trail names it.
NO_MAPPED_GROUP = "no_mapped_group"
NO_GROUPS_CLAIM = "no_groups_claim"
GROUPS_OVERAGE = "groups_overage"
ACCOUNT_DEACTIVATED = "account_deactivated"
NOT_COMPLETED = "not_completed"
REASONS = (NO_MAPPED_GROUP, NO_GROUPS_CLAIM, GROUPS_OVERAGE, ACCOUNT_DEACTIVATED, NOT_COMPLETED)


@dataclass(frozen=True)
class Configuration:
    """The OIDC_* settings, checked. `enabled` is false until the three required ones are set."""

    issuer: str = ""
    client_id: str = ""
    # Never in a repr: Django's error pages and any log of the settings would show it.
    client_secret: str = field(default="", repr=False)
    # (group id, role) in the order given: the first group a person is in decides their role.
    role_groups: tuple[tuple[str, Role], ...] = ()
    require_mfa_claim: bool = False
    timeout_seconds: int = 10

    @property
    def enabled(self):
        return bool(self.issuer and self.client_id and self.client_secret)

    @property
    def discovery_url(self):
        return f"{self.issuer}/.well-known/openid-configuration"


def configuration(
    *, issuer, client_id, client_secret, role_groups, require_mfa_claim=False, timeout_seconds=10
):
    """The OIDC_* settings as a Configuration, or Misconfigured naming the setting at fault.

    Set all of issuer, client id and secret, or none: half a configuration would show a button
    that cannot work."""
    issuer = (issuer or "").strip().rstrip("/")
    client_id, client_secret = (client_id or "").strip(), (client_secret or "").strip()
    given = {
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": client_secret,
    }
    if not any(given.values()):
        return Configuration()
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise Misconfigured(
            f"{', '.join(missing)} not set: set OIDC_ISSUER, OIDC_CLIENT_ID and "
            "OIDC_CLIENT_SECRET together, or none of them"
        )
    check_issuer(issuer)
    groups = parse_role_groups(role_groups)
    if not groups:
        raise Misconfigured(
            "OIDC_ROLE_GROUPS not set: map at least one of the provider's group ids to a role, "
            "for example qa_lead=<group id>,reviewer=<group id>"
        )
    return Configuration(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        role_groups=groups,
        require_mfa_claim=require_mfa_claim,
        timeout_seconds=timeout_seconds,
    )


def check_issuer(issuer):
    """The issuer is where tokens come from: over HTTPS, except a provider on this computer (the
    local provider for trying it, and the tests)."""
    parts = urlsplit(issuer)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise Misconfigured(
            f"OIDC_ISSUER must be an https:// address (it is {issuer!r}), for example "
            "https://login.microsoftonline.com/<tenant id>/v2.0"
        )
    if parts.query or parts.fragment:
        raise Misconfigured("OIDC_ISSUER must not have a query or fragment")


def parse_role_groups(text):
    """`qa_lead=<group id>,reviewer=<group id>` as ((group id, Role), ...), in the order given.

    A role may have several groups; a group gives one role."""
    pairs = []
    seen = {}
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        role_key, sep, group = (part.strip() for part in item.partition("="))
        if not sep or not role_key or not group:
            raise Misconfigured(
                f"OIDC_ROLE_GROUPS: {item!r} is not role=group id, for example qa_lead=<group id>"
            )
        if role_key not in Role.values:
            raise Misconfigured(
                f"OIDC_ROLE_GROUPS: {role_key!r} is not a role; the roles are "
                f"{', '.join(Role.values)}"
            )
        if group in seen and seen[group] != role_key:
            raise Misconfigured(
                f"OIDC_ROLE_GROUPS: group {group!r} is given two roles ({seen[group]} and "
                f"{role_key}); give each group one role"
            )
        if group not in seen:
            seen[group] = role_key
            pairs.append((group, Role(role_key)))
    return tuple(pairs)


def role_from_groups(claims, role_groups):
    """The role the ID token's groups give, or Refused.

    Entra ID sends no `groups` when a person is in more groups than fit in a token (over 200),
    and says where to fetch them instead (`_claim_names`): we do not fetch them (that needs
    directory permissions beyond signing in), so we refuse with the fix, which is to send only
    the groups assigned to the application."""
    if claims.get("groups") is None:
        overage = "groups" in (claims.get("_claim_names") or {}) or claims.get("hasgroups")
        raise Refused(GROUPS_OVERAGE if overage else NO_GROUPS_CLAIM)
    held = _groups_held(claims)
    for group, role in role_groups:
        if group in held:
            return role
    raise Refused(NO_MAPPED_GROUP)


def mapped_groups(claims, role_groups):
    """The person's groups that mean something here, for the audit trail: group ids, never their
    names (the token carries only ids), and none of their other groups."""
    held = _groups_held(claims)
    return sorted(group for group, _ in role_groups if group in held)


def _groups_held(claims):
    groups = claims.get("groups") or ()
    return {str(group) for group in ([groups] if isinstance(groups, str) else groups)}


def used_multi_factor(claims):
    amr = claims.get("amr") or ()
    return MULTI_FACTOR in ([amr] if isinstance(amr, str) else amr)


def needs_own_second_factor(claims, *, two_factor_required, require_mfa_claim):
    """Our own second factor is asked for unless the provider says it asked for more than one.

    Where our second factor is off (PRACTICE_REVIEW_TWO_FACTOR=false), OIDC_REQUIRE_MFA_CLAIM
    turns it back on for anyone whose token does not say multi-factor was used."""
    if used_multi_factor(claims):
        return False
    return two_factor_required or require_mfa_claim


def subject(issuer, claims):
    """Who the person is at the provider, for ever: Entra ID's object id (`oid`, the same for
    every app of the tenant; only from a token that names its tenant, `tid`, as Entra's do),
    else the standard `sub`; with the issuer, since ids are only unique within one."""
    person = (claims.get("tid") and claims.get("oid")) or claims.get("sub")
    if not person:
        raise Refused(NOT_COMPLETED)
    return f"{issuer}#{person}"


@dataclass(frozen=True)
class Profile:
    """What the provider says of a person that we keep on their account."""

    username: str
    first_name: str
    last_name: str
    email: str


def profile(claims):
    """Names and address from the token, cut to what the account's fields hold."""
    email = str(claims.get("email") or "").strip()
    username = str(claims.get("preferred_username") or email or claims.get("sub") or "").strip()
    first = str(claims.get("given_name") or "").strip()
    last = str(claims.get("family_name") or "").strip()
    if not (first or last):
        first, _, last = str(claims.get("name") or "").strip().partition(" ")
    if "@" not in email or len(email) > 254:
        email = ""
    # What Django's usernames may hold: Entra ID's guests are "jo_example.com#EXT#@council...".
    username = re.sub(r"[^\w.@+-]", "_", username)
    return Profile(
        username=username[:140], first_name=first[:150], last_name=last[:150], email=email
    )


def redirect_uri(site_url):
    """The address to register with the provider, from PRACTICE_REVIEW_SITE_URL."""
    return site_url.rstrip("/") + CALLBACK_PATH


def signed_out_uri(site_url):
    """The address the provider returns people to after signing out (register it too)."""
    return site_url.rstrip("/") + SIGN_IN_PATH
