"""The audit trail: who viewed and who changed what (issue 6, docs/spec/quality.md#audit-trail).

Append-only. The application can add events and read them, never change or delete them: the
model and its queryset refuse, the admin offers no way to, and database triggers refuse an UPDATE
on every database and a DELETE on PostgreSQL (see the migration for why not SQLite's DELETE).

Events hold ids, field names and workflow values (status, grades, dates), never free text about a
child: the words live in the record's own history, which the retention purge may remove, while
the audit trail of who touched the record stays.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEventIsPermanent(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEventIsPermanent("audit events cannot be changed")

    def delete(self):
        raise AuditEventIsPermanent("audit events cannot be deleted")

    # bulk_update would bypass save(); bulk_create is how large imports add their events.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditEventIsPermanent("audit events cannot be changed")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed"
        EXPORTED = "exported"
        CREATED = "created"
        CHANGED = "changed"
        DELETED = "deleted"
        IMPORTED = "imported"
        BULK_ACTION = "bulk_action"
        SIGNED_IN = "signed_in"
        SIGNED_OUT = "signed_out"
        SIGN_IN_FAILED = "sign_in_failed"
        LOCKED_OUT = "locked_out"
        TWO_FACTOR = "two_factor"
        PURGED = "purged"
        SUBJECT_ACCESS = "subject_access"
        BACKUP = "backup"
        RESTORE = "restore"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: a person who has done things is deactivated, never deleted, so their events keep
    # their author. The name is kept as well, as it was at the time.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    # What was touched: a kind of record ("review", "cohort", "child", ...) and its id. Not a
    # foreign key: the event outlives the record (deletion, retention purge).
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # {field: {"before": value, "after": value}} for changes; see the module docstring.
    changes = models.JSONField(default=dict, blank=True)
    # Anything else worth knowing: counts of an import, the format of an export, the page.
    details = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=32, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or 'anonymous'} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEventIsPermanent("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventIsPermanent("audit events cannot be deleted")
