"""Writes to accounts under the two-person rule (change_rules.py): a change that gives case access
or changes how another person signs in is filed as a request and made only when a second person
approves it.

Each action takes `by=`, the person acting, runs in one transaction and keeps history
(core/history.py). Requests and their decisions are in the audit trail twice over: the request's
own history (who asked, who decided; never the password hash) and one event on the account for
each decision, saying what was done and who asked for it.
"""

from django.db import transaction
from django.utils import timezone

from practice_review.accounts import change_rules, queries, two_factor
from practice_review.accounts.change_rules import AccountFields, NotAllowed
from practice_review.accounts.email import (
    decided_email_to_person,
    decided_email_to_requester,
    send_on_commit,
    waiting_email,
)
from practice_review.accounts.models import AccountChangeRequest, User
from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent
from practice_review.core.history import save_as
from practice_review.core.vocabulary import AccountChangeStatus

# What a decided request keeps of the new password's hash: nothing.
NO_HASH = ""


def _fields(account):
    return AccountFields(
        role=account.role, staff_member_id=account.staff_member_id, email=account.email
    )


@transaction.atomic
def save_account(*, account, by):
    """Save `account` as an administrator edited it (new or existing). What the two-person rule
    holds back is put back as it was, the rest saved at once, and the held-back changes filed as
    one request, which is returned (None when nothing waits).

    A new account asked for with a role that sees children's records is made without it (no
    role, no staff link: what an administrator may make alone) until the role is approved.
    """
    lapse_old_requests()
    stored = User.objects.select_for_update().filter(pk=account.pk).first() if account.pk else None
    before = _fields(stored) if stored else None
    wanted = _fields(account)
    held = change_rules.fields_to_hold(before=before, after=wanted, own_account=account.pk == by.pk)
    kept = before or AccountFields(role="", staff_member_id=None, email=account.email)
    if "role" in held:
        account.role = kept.role
    if "staff_member" in held:
        account.staff_member_id = kept.staff_member_id
    if "email" in held:
        account.email = kept.email
    save_as(account, by)
    if not held:
        return None
    change = AccountChangeRequest(
        account=account,
        new_account=stored is None,
        requested_by=by,
        changes_role="role" in held,
        role_from=kept.role,
        role_to=wanted.role if "role" in held else "",
        changes_staff_member="staff_member" in held,
        staff_member_from_id=kept.staff_member_id,
        staff_member_to_id=wanted.staff_member_id if "staff_member" in held else None,
        changes_email="email" in held,
        email_from=kept.email,
        email_to=wanted.email if "email" in held else "",
    )
    # Saving the page again (or making an account, then giving it its role on the next page)
    # asks for nothing new: the request already waiting stands.
    return queries.same_change_waiting(change) or _file(change, by)


@transaction.atomic
def ask_for_password(*, account, password_hash, by):
    """Ask for another person's password to become the one hashed as `password_hash`. Only the
    hash is ever given here: the admin's form hashes the password and keeps nothing else."""
    if account.pk == by.pk:
        raise NotAllowed("Change your own password yourself")
    lapse_old_requests()
    change = AccountChangeRequest(
        account=account,
        requested_by=by,
        sets_password=True,
        new_password_hash=password_hash,
        role_from=account.role,
        staff_member_from_id=account.staff_member_id,
        email_from=account.email,
    )
    return _file(change, by)


@transaction.atomic
def ask_for_two_factor_reset(*, account, by):
    refusal = change_rules.two_factor_reset_refusal(
        by_id=by.pk,
        by_superuser=by.is_superuser,
        account_id=account.pk,
        account_superuser=account.is_superuser,
        username=account.username,
    )
    if refusal:
        raise NotAllowed(refusal)
    lapse_old_requests()
    change = AccountChangeRequest(
        account=account,
        requested_by=by,
        reset_two_factor=True,
        role_from=account.role,
        staff_member_from_id=account.staff_member_id,
        email_from=account.email,
    )
    return _file(change, by)


def _file(change, by):
    save_as(change, by)
    recipients = [user.email for user in queries.approvers_of(change)]
    send_on_commit(change, recipients, waiting_email(change))
    return change


@transaction.atomic
def approve_account_change(*, change, by):
    """Make the change, as one write with the decision: all of it or, if anything refuses,
    none of it."""
    change, account = _locked_to_decide(change, by)
    if change.changes_staff_member and (
        User.objects.filter(staff_member_id=change.staff_member_to_id)
        .exclude(pk=account.pk)
        .exists()
    ):
        raise NotAllowed(
            f"Another account is now linked to {change.staff_member_to}. Decline this change; "
            "the administrator can ask again."
        )
    old_email = account.email
    if change.changes_role:
        account.role = change.role_to
    if change.changes_staff_member:
        account.staff_member_id = change.staff_member_to_id
    if change.changes_email:
        account.email = change.email_to
    if change.sets_password:
        # Already hashed: set as it is. Django's session check then ends the person's other
        # sessions, as any change of password does.
        account.password = change.new_password_hash
    if change.changes_role or change.changes_staff_member or change.changes_email:
        save_as(account, by)
    elif change.sets_password:
        account.save(update_fields=["password"])  # no history: the password is never kept there
    if change.reset_two_factor:
        two_factor.reset_two_factor(account, by=by)
    _decide(change, AccountChangeStatus.APPROVED, by, reason="")
    _record(change, "account_change_approved", by)
    person = [old_email, account.email] if change.changes_email else [account.email]
    send_on_commit(change, person, decided_email_to_person(change))
    send_on_commit(change, [change.requested_by.email], decided_email_to_requester(change))
    return change


@transaction.atomic
def decline_account_change(*, change, reason, by):
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowed("Enter why you are declining the change")
    change, account = _locked_to_decide(change, by)
    _decide(change, AccountChangeStatus.DECLINED, by, reason=reason)
    _record(change, "account_change_declined", by)
    send_on_commit(change, [account.email], decided_email_to_person(change))
    send_on_commit(change, [change.requested_by.email], decided_email_to_requester(change))
    return change


def lapse_old_requests(now=None):
    """Mark as expired every request nobody decided in time. Done when a request is filed or
    decided rather than by a scheduler: until then a lapsed request is already left out of the
    approvals page and cannot be decided (queries.py)."""
    for change in queries.lapsed_changes(now).select_for_update():
        change.status = AccountChangeStatus.EXPIRED
        change.new_password_hash = NO_HASH
        save_as(change, None, update_fields=["status", "new_password_hash"])  # decided by nobody


def _locked_to_decide(change, by):
    """The request and its account, locked, if `by` may still decide it."""
    change = AccountChangeRequest.objects.select_for_update().get(pk=change.pk)
    refusal = change_rules.decision_refusal(
        by_id=by.pk, requested_by_id=change.requested_by_id, account_id=change.account_id
    )
    if refusal:
        raise NotAllowed(refusal)
    if change.status != AccountChangeStatus.WAITING:
        raise NotAllowed(f"This change was already {change.get_status_display().lower()}")
    now = timezone.now()
    if change_rules.has_lapsed(change.requested_at, now):
        raise NotAllowed("This change was not decided within a week, so it has lapsed")
    account = User.objects.select_for_update().get(pk=change.account_id)
    asked = AccountFields(
        role=change.role_from, staff_member_id=change.staff_member_from_id, email=change.email_from
    )
    if change_rules.changed_since(
        asked=asked,
        now=_fields(account),
        role=change.changes_role,
        staff_member=change.changes_staff_member,
        email=change.changes_email,
    ):
        raise NotAllowed(
            "The account has changed since this was asked for. Decline this change; the "
            "administrator can ask again."
        )
    return change, account


def _decide(change, status, by, *, reason):
    change.status = status
    change.decided_by = by
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.new_password_hash = NO_HASH  # used or refused: a hash is kept no longer than needed
    save_as(change, by)


def _record(change, event, by):
    """One event on the account: who decided, who asked, what. The role, staff link and email
    address also appear as the account's own change (audit/history.py); a password and a
    two-factor reset do not, so this says they were part of it."""
    record(
        AuditEvent.Action.CHANGED,
        by=by,
        target=change.account,
        details={
            "event": event,
            "request": change.pk,
            "asked_by": change.requested_by.username,
            "changes": ", ".join(
                name
                for name, changed in (
                    ("role", change.changes_role),
                    ("staff_member", change.changes_staff_member),
                    ("email", change.changes_email),
                    ("password", change.sets_password),
                    ("two_factor_reset", change.reset_two_factor),
                )
                if changed
            ),
        },
    )
