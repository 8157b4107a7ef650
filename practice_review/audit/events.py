"""Writing audit events: one function, `record`, used by views, actions and commands."""

from contextlib import contextmanager
from contextvars import ContextVar

from practice_review.audit.models import AuditEvent
from practice_review.core.request_id import current_request_id

# Set while one event stands for many writes (an import): per-record events are not recorded.
_covered = ContextVar("audit_covered", default=False)


@contextmanager
def covered_by_one_event():
    """Within this block, saves of records with history record no event of their own: the
    caller records one event for the whole operation (an import of 50,000 rows is one event)."""
    token = _covered.set(True)
    try:
        yield
    finally:
        _covered.reset(token)


def is_covered():
    return _covered.get()


def target_of(obj):
    """("review", "12") for a model instance: the kind of record is its model's name."""
    return obj._meta.model_name, str(obj.pk)


def record(
    action, *, by=None, target=None, target_type="", target_id="", changes=None, details=None
):
    """Add one audit event. `by` is the acting user (None for an anonymous attempt; an unsaved
    user names an actor who has no account, such as the command line's system actor).

    Callers pass ids and workflow values only, never free text about a child (models.py).
    """
    if target is not None:
        target_type, target_id = target_of(target)
    return AuditEvent.objects.create(
        action=action,
        actor=by if by is not None and by.pk else None,
        actor_name=getattr(by, "username", "") or "",
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        changes=changes or {},
        details=details or {},
        request_id=current_request_id(),
    )
