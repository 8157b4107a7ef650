"""The two-person rule's decisions, without a database (practice_review/accounts/change_rules.py):
which account changes wait for a second person, who may decide them, when they lapse."""

from datetime import UTC, datetime, timedelta

import pytest

from practice_review.accounts.change_rules import (
    AccountFields,
    changed_since,
    decision_refusal,
    fields_to_hold,
    has_case_access,
    has_lapsed,
    two_factor_reset_refusal,
)
from practice_review.core.vocabulary import Role

REVIEWER = AccountFields(role=Role.REVIEWER, staff_member_id=1, email="r@council.example")


def held(before, own_account=False, **after):
    base = before or AccountFields(role="", staff_member_id=None, email="")
    wanted = AccountFields(
        role=after.get("role", base.role),
        staff_member_id=after.get("staff_member_id", base.staff_member_id),
        email=after.get("email", base.email),
    )
    return fields_to_hold(before=before, after=wanted, own_account=own_account)


def test_every_role_but_the_administrators_opens_case_records():
    assert [role for role in Role if not has_case_access(role)] == [Role.ADMIN]
    assert not has_case_access("")


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.SENIOR_LEADER])
def test_raising_anyone_to_a_role_that_sees_every_child_waits(role):
    assert held(REVIEWER, role=role) == {"role"}
    assert held(None, role=role) == {"role"}  # a new account too


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.PRACTITIONER, Role.MANAGER])
def test_giving_case_access_through_any_role_waits(role):
    """An account the administrator made, then made a reviewer linked to a busy reviewer, would
    otherwise be a way round."""
    admin = AccountFields(role=Role.ADMIN, staff_member_id=None, email="a@council.example")
    assert held(admin, role=role) == {"role"}
    assert held(None, role=role) == {"role"}


def test_taking_access_away_never_waits():
    assert held(REVIEWER, role=Role.ADMIN) == set()
    assert held(REVIEWER, role="") == set()
    assert held(REVIEWER, staff_member_id=None) == set()


def test_linking_or_relinking_a_member_of_staff_waits_on_any_account():
    assert held(REVIEWER, staff_member_id=2) == {"staff_member"}
    assert held(None, staff_member_id=2) == {"staff_member"}
    assert held(REVIEWER, own_account=True, staff_member_id=2) == {"staff_member"}


def test_another_persons_email_waits_but_not_your_own_nor_a_new_accounts():
    assert held(REVIEWER, email="attacker@example.com") == {"email"}
    assert held(REVIEWER, own_account=True, email="me@council.example") == set()
    assert held(None, email="new@council.example") == set()


def test_an_unchanged_account_holds_nothing():
    assert held(REVIEWER) == set()


def test_nobody_decides_what_they_asked_for_or_what_is_about_their_own_account():
    assert "You asked for this change" in decision_refusal(by_id=1, requested_by_id=1, account_id=2)
    assert "your own account" in decision_refusal(by_id=2, requested_by_id=1, account_id=2)
    assert decision_refusal(by_id=3, requested_by_id=1, account_id=2) is None


def test_two_factor_resets_are_never_for_yourself_and_only_superusers_ask_for_a_superuser():
    def refusal(by_id=1, by_superuser=False, account_id=2, account_superuser=False):
        return two_factor_reset_refusal(
            by_id=by_id,
            by_superuser=by_superuser,
            account_id=account_id,
            account_superuser=account_superuser,
            username="boss",
        )

    assert "your own" in refusal(account_id=1)
    assert "Only a superuser" in refusal(account_superuser=True)
    assert refusal(by_superuser=True, account_superuser=True) is None
    assert refusal() is None


def test_a_request_lapses_after_seven_days():
    asked = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    assert not has_lapsed(asked, asked + timedelta(days=6, hours=23))
    assert has_lapsed(asked, asked + timedelta(days=7))


def test_an_approval_would_undo_a_later_change_only_of_the_fields_it_changes():
    now = AccountFields(role=Role.ADMIN, staff_member_id=1, email="r@council.example")
    assert changed_since(asked=REVIEWER, now=now, role=True, staff_member=False, email=False)
    assert not changed_since(asked=REVIEWER, now=now, role=False, staff_member=True, email=True)
