import getpass

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from practice_review.core.vocabulary import Role


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
    # A system actor stands for the command line (docs/spec/interchange.md#attribution); it can
    # never sign in.
    is_system = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self):
        return self.get_full_name() or self.username


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
