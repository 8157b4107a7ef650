"""Setting and clearing a legal hold on a child: while it is on, the retention purge leaves
every review of theirs as it is. The reason stays on the child (and in its history); the audit
event records who and when, never the reason's words."""

from django.db import transaction
from django.utils import timezone

from practice_review.audit.events import covered_by_one_event, record
from practice_review.audit.models import AuditEvent
from practice_review.core.history import save_as
from practice_review.reviews.models import Child


def set_legal_hold(*, by, child, on, reason):
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        before = child.legal_hold
        child.legal_hold = on
        child.legal_hold_reason = reason.strip()
        child.legal_hold_set_by = by
        child.legal_hold_set_at = timezone.now()
        # One event says what happened (hold on or off), instead of the generic "changed" event
        # the history signal would add for the same save.
        with covered_by_one_event():
            save_as(child, by)
        record(
            AuditEvent.Action.CHANGED,
            by=by,
            target=child,
            changes={"legal_hold": {"before": before, "after": on}},
        )
    return child
