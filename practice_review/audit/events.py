"""Writing audit events: one function, `record`, used by views, actions and commands."""

from practice_review.audit.models import AuditEvent
from practice_review.core.request_id import current_request_id


def target_of(obj):
    """("review", "12") for a model instance: the kind of record is its model's name."""
    return obj._meta.model_name, str(obj.pk)


def record(
    action, *, by=None, target=None, target_type="", target_id="", changes=None, details=None
):
    """Add one audit event. `by` is the acting user (None for an anonymous attempt).

    Callers pass ids and workflow values only, never free text about a child (models.py).
    """
    if target is not None:
        target_type, target_id = target_of(target)
    return AuditEvent.objects.create(
        action=action,
        actor=by if by is not None and by.pk else None,
        actor_name=getattr(by, "username", "") or "",
        target_type=target_type,
        target_id=str(target_id or ""),
        changes=changes or {},
        details=details or {},
        request_id=current_request_id(),
    )
