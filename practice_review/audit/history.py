"""Every create, change and delete of a record with history becomes an audit event.

django-simple-history already keeps each version of a case record with who made it (the
request's user, or `_history_user` from core/history.py's save_as). Its signal, sent once per
historical row, is turned here into an event: created, changed or deleted, by that user, with
the fields that changed. Which values an event may hold is rules.py's decision, with the fields
about who a child is named by the apps that own the records (core/personal_data.py).

Bulk writes (simple-history's bulk_create_with_history) send no signal: the import records one
`imported` event for the whole file instead (reviews/importing.py), and per-record saves made
during it are covered by that event (events.covered_by_one_event).
"""

import getpass

from django.contrib.auth import get_user_model
from django.db import models
from simple_history.models import HistoricalRecords

from practice_review.audit import rules
from practice_review.audit.events import is_covered, record
from practice_review.audit.models import AuditEvent
from practice_review.core.personal_data import document_values, never_a_value

ACTIONS = {
    "+": AuditEvent.Action.CREATED,
    "~": AuditEvent.Action.CHANGED,
    "-": AuditEvent.Action.DELETED,
}


def field_kind(field):
    """The kind of a model field, as rules.py knows kinds."""
    if field.many_to_many:
        return "many"
    if field.choices:
        return "choice"
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return "number"
    if isinstance(field, models.DateField):  # DateTimeField too
        return "date"
    if isinstance(field, models.ForeignKey):
        return "foreign key"
    # CharField, TextField, JSONField and anything new: perhaps words about a child.
    return "text"


def record_history(sender, instance, history_instance, history_user, **kwargs):
    """Receiver of simple-history's post_create_historical_record."""
    if is_covered():
        return
    model = type(instance)
    action = ACTIONS[history_instance.history_type]
    if action == AuditEvent.Action.DELETED:
        changes = {}
    else:
        changes = _changes(model, history_instance)
        if not changes:
            return  # saved without a change (a sign-in touching last_login, say): nothing to say
    record(
        action,
        by=history_user or _command_line_actor(),
        target_type=model._meta.model_name,
        target_id=getattr(history_instance, model._meta.pk.attname),
        changes=changes,
    )


def _changes(model, history_instance):
    """{field: entry} against the previous version; a new record's fields that have a value.

    A new record's many-to-many links are added after it is saved, as a change of their own.
    """
    previous = _previous_version(model, history_instance)
    if previous is None:
        changed = [
            (field.name, None, value)
            for field in history_instance.tracked_fields
            if field.editable
            and not field.primary_key
            and (value := getattr(history_instance, field.attname)) not in (None, "", [], {})
        ]
    else:
        delta = history_instance.diff_against(previous)
        changed = [(change.field, change.old, change.new) for change in delta.changes]
    never = never_a_value(model)
    documents = document_values(model)
    entries = {}
    for name, before, after in changed:
        if name in documents:
            # A document's workflow values (a standard met, a grade), without the words in it.
            entries[name] = rules.document_entry(documents[name], before, after)
        else:
            kind = field_kind(model._meta.get_field(name))
            entries[name] = rules.change_entry(name, kind, before, after, never)
    return entries


def _previous_version(model, history_instance):
    # By history id rather than simple-history's prev_record (history_date), which cannot order
    # two saves made within the same clock tick.
    return (
        type(history_instance)
        .objects.filter(
            **{model._meta.pk.attname: getattr(history_instance, model._meta.pk.attname)},
            history_id__lt=history_instance.history_id,
        )
        .order_by("-history_id")
        .first()
    )


def _command_line_actor():
    """Outside a web request a change not attributed by save_as belongs to the command line:
    the system actor of the operating-system user (the accounts app's system_actor names it so).
    Not created here: an event is never the reason a user exists."""
    if getattr(HistoricalRecords.context, "request", None) is not None:
        return None
    User = get_user_model()  # noqa: N806 (a class)
    name = f"system:{getpass.getuser()}"
    return User.objects.filter(username=name).first() or User(username=name)
