"""Reads for the two-person rule: the requests a person may see and decide, and who decides."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from practice_review.accounts import change_rules
from practice_review.accounts.models import (
    AccountChangeRequest,
    StaffMember,
    User,
    normalise_name,
)
from practice_review.core.permissions import (
    ROLE_PERMISSIONS,
    SUPERUSER_PERMISSIONS,
    Permission,
    has_permission,
)
from practice_review.core.vocabulary import AccountChangeStatus

APPROVE = Permission.APPROVE_ACCOUNT_CHANGES


def changes_waiting(user, now=None):
    """The requests still waiting (not lapsed), for those who approve; nothing for anyone else."""
    if not has_permission(user, Permission.APPROVE_ACCOUNT_CHANGES):
        return AccountChangeRequest.objects.none()
    return AccountChangeRequest.objects.filter(
        status=AccountChangeStatus.WAITING,
        requested_at__gt=change_rules.oldest_still_waiting(now or timezone.now()),
    ).select_related(
        "account", "account__staff_member", "requested_by", "staff_member_from", "staff_member_to"
    )


def changes_waiting_for_account(account, now=None):
    """What waits for approval on one account, for the administrators' page of it."""
    return AccountChangeRequest.objects.filter(
        account=account,
        status=AccountChangeStatus.WAITING,
        requested_at__gt=change_rules.oldest_still_waiting(now or timezone.now()),
    ).select_related("requested_by", "staff_member_to")


def changes_to_decide(user, now=None):
    """Those `user` may decide: not one they asked for, nor one about their own account
    (change_rules.decision_refusal)."""
    return changes_waiting(user, now).exclude(requested_by=user).exclude(account=user)


def get_change_to_decide(user, change_id):
    """A request this person may decide, or a 404: one they may not decide is not theirs to act
    on, and a lapsed or decided one is gone from the list
    (docs/spec/domain.md#out-of-scope-is-not-found)."""
    return get_object_or_404(changes_to_decide(user), pk=change_id)


def same_change_waiting(change):
    """A waiting request asking for exactly the same role, staff link and email as `change`."""
    return (
        AccountChangeRequest.objects.filter(
            status=AccountChangeStatus.WAITING,
            requested_at__gt=change_rules.oldest_still_waiting(timezone.now()),
            sets_password=False,
            reset_two_factor=False,
            **{
                name: getattr(change, name)
                for name in (
                    "account_id",
                    "changes_role",
                    "role_from",
                    "role_to",
                    "changes_staff_member",
                    "staff_member_from_id",
                    "staff_member_to_id",
                    "changes_email",
                    "email_from",
                    "email_to",
                )
            },
        )
        .order_by("pk")
        .first()
    )


def lapsed_changes(now=None):
    return AccountChangeRequest.objects.filter(
        status=AccountChangeStatus.WAITING,
        requested_at__lte=change_rules.oldest_still_waiting(now or timezone.now()),
    )


def approvers_of(change):
    """Who may decide `change`: active QA leads and superusers (the permission table says so),
    but not the person who asked nor the person whose account it is."""
    roles = [role for role, allowed in ROLE_PERMISSIONS.items() if APPROVE in allowed]
    superusers = Q(is_superuser=True) if APPROVE in SUPERUSER_PERMISSIONS else Q(pk__in=[])
    return (
        User.objects.filter(Q(role__in=roles) | superusers, is_active=True)
        .exclude(pk__in=[change.requested_by_id, change.account_id])
        .order_by("pk")
    )


def suggested_staff_members(account):
    """Staff not yet linked to anyone whose name is this person's: their full name, or their
    email address's name part (jo.bloggs@ is "jo bloggs"). Only suggested: the administrator
    links the account, under the two-person rule, since the link decides whose cases it sees."""
    keys = {normalise_name(account.get_full_name())}
    local_part = (account.email or "").partition("@")[0]
    keys.add(normalise_name(local_part.replace(".", " ").replace("_", " ").replace("-", " ")))
    keys.discard("")
    if not keys or account.staff_member_id:
        return StaffMember.objects.none()
    return StaffMember.objects.filter(name_key__in=keys, user__isnull=True)
