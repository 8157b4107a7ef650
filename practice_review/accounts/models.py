import getpass

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practice_review.core.vocabulary import AccountChangeStatus, Role


def normalise_name(value):
    """How staff names and initials are matched: trimmed, spaces folded, case-insensitive."""
    return " ".join(str(value).split()).casefold()


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StaffMember(models.Model):
    """A member of staff named on reviews: a social worker, supervisor, reviewer or IRO.

    Review files name staff by name or initials (often initials only, as the reference report
    does), so both are kept and matched after normalising. Staff are not necessarily users.
    """

    name = models.CharField(max_length=200)
    initials = models.CharField(max_length=20, blank=True)
    # Casefolding can lengthen text ("ß" is "ss"), so the keys have room to grow.
    name_key = models.CharField(max_length=600, unique=True, editable=False)
    initials_key = models.CharField(max_length=60, blank=True, editable=False, db_index=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "staff member"

    def __str__(self):
        if self.initials and normalise_name(self.initials) != self.name_key:
            return f"{self.name} ({self.initials})"
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.initials = "".join(self.initials.split())
        self.name_key = normalise_name(self.name)
        self.initials_key = normalise_name(self.initials)
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A person who signs in. Their role decides what they may see and do
    (docs/spec/domain.md#roles)."""

    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    staff_member = models.OneToOneField(
        StaffMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        help_text="The staff member this person is on reviews (as worker, supervisor or reviewer).",
    )
    # Who the person is at the council's identity provider ("<issuer>#<object id>"), once they
    # have signed in with their council account: their role then comes from the provider's groups
    # at each sign-in (accounts/single_sign_on.py), and they have no password here.
    provider_subject = models.CharField(
        max_length=400, unique=True, null=True, blank=True, editable=False
    )
    # A system actor stands for the command line (docs/spec/interchange.md#attribution); it can
    # never sign in.
    is_system = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self):
        return self.get_full_name() or self.username


class AccountChangeRequest(models.Model):
    """A change to an account that waits for a second person: the two-person rule
    (change_rules.py, docs/security.md#two-person-rule-for-account-changes).

    One request holds what one save asked for: a role, a staff link, an email address (each with
    what it was, so an approval never undoes a later change), a new password or a two-factor
    reset. Once decided it stays, with who decided, when and why.
    """

    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="change_requests")
    # The account was made by the save that asked: it exists with no case access meanwhile.
    new_account = models.BooleanField(default=False)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    changes_role = models.BooleanField(default=False)
    role_from = models.CharField(max_length=20, choices=Role.choices, blank=True)
    role_to = models.CharField(max_length=20, choices=Role.choices, blank=True)
    changes_staff_member = models.BooleanField(default=False)
    # PROTECT: staff are never deleted (the admin offers no way to), and a request must not
    # silently lose what it was about.
    staff_member_from = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff_member_to = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changes_email = models.BooleanField(default=False)
    email_from = models.EmailField(blank=True)
    email_to = models.EmailField(blank=True)
    sets_password = models.BooleanField(default=False)
    # The new password as Django hashes it, never the password; emptied once decided, and never
    # copied into the history (nor the audit trail, audit/rules.py ACCOUNT_SECRETS).
    new_password_hash = models.CharField(max_length=128, blank=True)
    reset_two_factor = models.BooleanField(default=False)

    status = models.CharField(
        max_length=20,
        choices=AccountChangeStatus.choices,
        default=AccountChangeStatus.WAITING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["new_password_hash"])

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = "account change request"

    def __str__(self):
        return f"Change to {self.account} asked by {self.requested_by}"


def system_actor(username=None):
    """The user changes are attributed to: --by USERNAME, else a system actor for the OS user."""
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise User.DoesNotExist(f"no user called {username!r}") from None
    name = f"system:{getpass.getuser()}"
    actor, _ = User.objects.get_or_create(
        username=name,
        defaults={"is_system": True, "is_active": False, "first_name": "Command line"},
    )
    if actor.has_usable_password():
        actor.set_unusable_password()
        actor.save(update_fields=["password"])
    return actor


def staff_link():
    """A link from a case record to a member of staff (a worker, a manager, an owner)."""
    return models.ForeignKey(
        "accounts.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
