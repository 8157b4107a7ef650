"""The two-person rule for account changes, as plain Python
(docs/security.md#two-person-rule-for-account-changes).

An administrator manages accounts and sees no case data. Left alone, they could give themselves
case access: make an account with a role that sees children's records, or take over one that has
it (set its password, reset its two-factor sign-in, or point its email address elsewhere) and
sign in as it. So those changes wait for a second person, a QA lead or a superuser who did not
ask for them and whose account they are not about; taking access away never waits.

No Django here: actions.py and queries.py apply these rules, and tests/unit tests them alone.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from practice_review.core.permissions import ROLE_PERMISSIONS, Permission
from practice_review.core.vocabulary import Role

# A request nobody decides lapses: a week is long enough for a QA lead's leave, short enough that
# an old request is not approved after the reason for it has gone.
DAYS_TO_DECIDE = 7

WAITING_MESSAGE = "Waiting for approval by a quality assurance lead or a superuser"


class NotAllowed(Exception):
    """The change is refused: the message says why, in words a person can act on."""


@dataclass(frozen=True)
class AccountFields:
    """What of an account decides what it may see and where the service writes to its owner."""

    role: str
    staff_member_id: int | None
    email: str


NO_ACCESS = AccountFields(role="", staff_member_id=None, email="")


def has_case_access(role: str) -> bool:
    """Does the role open children's records? Every role but the administrator's does: a
    reviewer, practitioner or manager sees the reviews of the member of staff they are."""
    return role in Role.values and Permission.VIEW_CASES in ROLE_PERMISSIONS[Role(role)]


def fields_to_hold(
    *, before: AccountFields | None, after: AccountFields, own_account: bool
) -> frozenset[str]:
    """Which of the fields changed from `before` (None: a new account) to `after` wait for
    approval:

    - `role`, to any role with case access: the QA lead and senior leaders see every child, and
      the other roles see the children of the member of staff the account is linked to. (Only the
      QA lead's and senior leaders' roles would leave a way round: make an account with no role,
      then make it a reviewer linked to a reviewer with many cases.)
    - `staff_member`, linking to a member of staff or changing the link, on any account: the link
      decides whose cases a reviewer, practitioner or manager sees.
    - `email`, on another person's existing account: the service writes to that address, so
      changing it is how an account is taken over. An administrator's own address, and the first
      address of a new account, are theirs to give.

    Never held: a role without case access and removing a staff link take access away, which
    must happen at once.
    """
    old = before or NO_ACCESS
    held = set()
    if after.role != old.role and has_case_access(after.role):
        held.add("role")
    if after.staff_member_id != old.staff_member_id and after.staff_member_id is not None:
        held.add("staff_member")
    if before is not None and not own_account and after.email != before.email:
        held.add("email")
    return frozenset(held)


def two_factor_reset_refusal(
    *, by_id: int, by_superuser: bool, account_id: int, account_superuser: bool, username: str
) -> str | None:
    """Why an administrator may not even ask to reset this person's two-factor sign-in, or None.

    Not their own: a reset lets the next sign-in set up a new app with the password alone. Not a
    superuser's unless they are one: a superuser's account is worth more than the one asking.
    """
    if by_id == account_id:
        return "You cannot reset your own two-factor sign-in. Ask another administrator."
    if account_superuser and not by_superuser:
        return f"Only a superuser can reset two-factor sign-in for {username}."
    return None


def decision_refusal(*, by_id: int, requested_by_id: int, account_id: int) -> str | None:
    """Why this person may not decide this request, or None. The person who asked is not a second
    person; nor is the person whose account it is, even a superuser: whoever has taken over an
    account (or is about to) could otherwise approve the takeover from it."""
    if by_id == requested_by_id:
        return "You asked for this change, so someone else must decide it"
    if by_id == account_id:
        return "This change is to your own account, so someone else must decide it"
    return None


def lapse_time(requested_at: datetime) -> datetime:
    return requested_at + timedelta(days=DAYS_TO_DECIDE)


def has_lapsed(requested_at: datetime, now: datetime) -> bool:
    return now >= lapse_time(requested_at)


def oldest_still_waiting(now: datetime) -> datetime:
    """Requests made before this moment have lapsed."""
    return now - timedelta(days=DAYS_TO_DECIDE)


def changed_since(
    *,
    asked: AccountFields,
    now: AccountFields,
    role: bool,
    staff_member: bool,
    email: bool,
) -> bool:
    """Has a field the request changes been changed since it was asked for? Then approving it
    would undo that later change (an access taken away meanwhile, say) without anyone seeing."""
    return (
        (role and now.role != asked.role)
        or (staff_member and now.staff_member_id != asked.staff_member_id)
        or (email and now.email != asked.email)
    )
