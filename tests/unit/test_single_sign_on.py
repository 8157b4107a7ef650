"""The rules of signing in with the council's account (accounts/single_sign_on.py), alone:
docs/spec/domain.md#council-accounts."""

import pytest

from practice_review.accounts import single_sign_on as sso
from practice_review.core.vocabulary import Role

GROUPS = sso.parse_role_groups("qa_lead=g-qa, reviewer=g-rev, reviewer=g-rev-2")


def test_role_groups_keep_their_order_and_allow_several_groups_a_role():
    assert GROUPS == (("g-qa", Role.QA_LEAD), ("g-rev", Role.REVIEWER), ("g-rev-2", Role.REVIEWER))
    assert sso.parse_role_groups(" , ") == ()


@pytest.mark.parametrize(
    "text, named",
    [
        ("qa_lead", "is not role=group id"),
        ("=g", "is not role=group id"),
        ("boss=g", "'boss' is not a role; the roles are qa_lead, reviewer"),
        ("qa_lead=g,reviewer=g", "group 'g' is given two roles (qa_lead and reviewer)"),
    ],
)
def test_a_wrong_role_mapping_is_named(text, named):
    with pytest.raises(sso.Misconfigured, match=named.replace("(", r"\(").replace(")", r"\)")):
        sso.parse_role_groups(text)


def test_the_first_mapped_group_decides_the_role():
    assert sso.role_from_groups({"groups": ["other", "g-rev", "g-qa"]}, GROUPS) == Role.QA_LEAD
    assert sso.role_from_groups({"groups": ["g-rev-2"]}, GROUPS) == Role.REVIEWER
    assert sso.role_from_groups({"groups": "g-rev"}, GROUPS) == Role.REVIEWER


@pytest.mark.parametrize(
    "claims, reason",
    [
        ({"groups": []}, sso.NO_MAPPED_GROUP),
        ({"groups": ["other"]}, sso.NO_MAPPED_GROUP),
        ({}, sso.NO_GROUPS_CLAIM),
        ({"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {}}}, sso.GROUPS_OVERAGE),
        ({"hasgroups": True}, sso.GROUPS_OVERAGE),
    ],
)
def test_no_role_is_refused_with_the_reason(claims, reason):
    with pytest.raises(sso.Refused) as refused:
        sso.role_from_groups(claims, GROUPS)
    assert refused.value.reason == reason


def test_only_mapped_groups_are_kept_for_the_audit_trail():
    claims = {"groups": ["g-rev", "finance-team", "g-qa"]}
    assert sso.mapped_groups(claims, GROUPS) == ["g-qa", "g-rev"]
    assert sso.mapped_groups({}, GROUPS) == []
    assert sso.mapped_groups({"groups": "g-rev"}, GROUPS) == ["g-rev"]


@pytest.mark.parametrize(
    "amr, required, require_claim, asked",
    [
        (["pwd", "mfa"], True, False, False),
        ("mfa", True, True, False),
        (["pwd"], True, False, True),
        (None, True, False, True),
        (["pwd", "otp"], True, False, True),  # only "mfa" says more than one factor was proved
        (["pwd"], False, False, False),
        (["pwd"], False, True, True),
        (None, False, True, True),
    ],
)
def test_our_second_factor_is_asked_unless_the_provider_used_multi_factor(
    amr, required, require_claim, asked
):
    claims = {} if amr is None else {"amr": amr}
    assert (
        sso.needs_own_second_factor(
            claims, two_factor_required=required, require_mfa_claim=require_claim
        )
        is asked
    )


def test_the_person_is_known_by_entra_object_id_else_subject():
    assert sso.subject("https://i", {"oid": "o-1", "tid": "t", "sub": "s-1"}) == "https://i#o-1"
    assert sso.subject("https://i", {"sub": "s-1"}) == "https://i#s-1"
    # An `oid` from a provider that is not Entra ID (no tenant) means nothing: `sub` does.
    assert sso.subject("https://i", {"oid": "o-1", "sub": "s-1"}) == "https://i#s-1"
    with pytest.raises(sso.Refused):
        sso.subject("https://i", {})


def test_profile_takes_names_and_a_real_address_only():
    profile = sso.profile(
        {"preferred_username": "jo.bloggs@council.example", "name": "Jo Anne Bloggs"}
    )
    assert profile == sso.Profile("jo.bloggs@council.example", "Jo", "Anne Bloggs", "")
    profile = sso.profile(
        {"email": "jo@council.example", "given_name": "Jo", "family_name": "Bloggs", "sub": "x"}
    )
    assert profile == sso.Profile("jo@council.example", "Jo", "Bloggs", "jo@council.example")
    assert sso.profile({"sub": "abc", "email": "not-an-address"}).email == ""
    guest = sso.profile({"preferred_username": "jo_example.com#EXT#@council.onmicrosoft.com"})
    assert guest.username == "jo_example.com_EXT_@council.onmicrosoft.com"


def test_configuration_is_all_three_or_none():
    assert not sso.configuration(issuer="", client_id="", client_secret="", role_groups="").enabled
    config = sso.configuration(
        issuer="https://login.microsoftonline.com/t/v2.0/",
        client_id="c",
        client_secret="s",
        role_groups="reviewer=g",
    )
    assert config.enabled and config.issuer == "https://login.microsoftonline.com/t/v2.0"
    assert config.discovery_url == (
        "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration"
    )
    with pytest.raises(sso.Misconfigured, match="OIDC_CLIENT_SECRET not set"):
        sso.configuration(issuer="https://i", client_id="c", client_secret="", role_groups="")


@pytest.mark.parametrize(
    "issuer, ok",
    [
        ("https://login.microsoftonline.com/t/v2.0", True),
        ("http://127.0.0.1:9400", True),
        ("http://localhost:9400", True),
        ("http://idp.council.example", False),
        ("ftp://idp.example", False),
        ("https://idp.example/?x=1", False),
    ],
)
def test_the_issuer_is_https_except_on_this_computer(issuer, ok):
    if ok:
        sso.check_issuer(issuer)
    else:
        with pytest.raises(sso.Misconfigured):
            sso.check_issuer(issuer)


def test_the_addresses_to_register_come_from_the_site_url():
    site = "https://practice-review.council.example/"
    assert (
        sso.redirect_uri(site)
        == "https://practice-review.council.example/sign-in/council/callback/"
    )
    assert sso.signed_out_uri(site) == "https://practice-review.council.example/sign-in/"
