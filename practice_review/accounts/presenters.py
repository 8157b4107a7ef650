"""Account change requests as pages show them, so templates hold no rules."""

from django.urls import reverse
from django.utils import timezone

from practice_review.accounts import change_rules
from practice_review.core.vocabulary import Role, label_for


def _role(role):
    return label_for(Role.choices, role) if role else "No role"


def held_fields(change):
    """The account's fields the request would change (the admin's names for them)."""
    return [
        name
        for name, changes in (
            ("role", change.changes_role),
            ("staff_member", change.changes_staff_member),
            ("email", change.changes_email),
        )
        if changes
    ]


def change_summary(change):
    """What the request asks for, in a few words each: the admin's message, the account's page."""
    parts = []
    if change.changes_role:
        parts.append(f"role to {_role(change.role_to)}")
    if change.changes_staff_member:
        parts.append(f"member of staff to {change.staff_member_to}")
    if change.changes_email:
        parts.append(f"email address to {change.email_to}")
    if change.sets_password:
        parts.append("a new password")
    if change.reset_two_factor:
        parts.append("a reset of two-factor sign-in")
    return parts


class AccountChangePresenter:
    """One request on the approvals page: what would change, what the account is now, and
    whether this person may decide it."""

    def __init__(self, change, viewer):
        self.change = change
        self.account = change.account
        self.refusal = change_rules.decision_refusal(
            by_id=viewer.pk, requested_by_id=change.requested_by_id, account_id=change.account_id
        )
        self.url = reverse("account_approval", args=[change.pk])
        self.lapses_on = change_rules.lapse_time(change.requested_at)

    @property
    def title(self):
        name = self.account.get_full_name()
        return f"{self.account.username} ({name})" if name else self.account.username

    @property
    def changes(self):
        """(what, from, to) for each change asked for."""
        change = self.change
        rows = []
        if change.changes_role:
            rows.append(("Role", _role(change.role_from), _role(change.role_to)))
        if change.changes_staff_member:
            rows.append(
                (
                    "Member of staff on reviews",
                    str(change.staff_member_from or "None"),
                    str(change.staff_member_to),
                )
            )
        if change.changes_email:
            rows.append(("Email address", change.email_from or "None", change.email_to or "None"))
        if change.sets_password:
            rows.append(("Password", "Their password", "A new password the administrator chose"))
        if change.reset_two_factor:
            rows.append(
                (
                    "Two-factor sign-in",
                    "Their authenticator app and recovery codes",
                    "Removed: whoever signs in next with the password sets up a new app",
                )
            )
        return rows

    @property
    def about(self):
        """The account as it is: what an approver checks the change against."""
        account = self.account
        last = account.last_login
        return [
            ("Account made", self._date(account.date_joined)),
            ("New account", "Yes, made with this request" if self.change.new_account else "No"),
            ("Role now", _role(account.role)),
            ("Member of staff now", str(account.staff_member or "None")),
            ("Last signed in", self._date(last) if last else "Never"),
            (
                "Asked for by",
                f"{self.change.requested_by} on {self._date(self.change.requested_at)}",
            ),
            ("Lapses", f"{self._date(self.lapses_on)} if nobody decides"),
        ]

    @staticmethod
    def _date(moment):
        return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"
