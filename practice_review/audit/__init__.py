"""The audit trail. Record events with `practice_review.audit.record(...)`."""
