"""The tracker's rules as plain Python: statuses and their transitions, what counts as overdue or
due for an impact check, who may do what, and when an owner is reminded
(docs/spec/domain.md#tracker, step 6 of the process).

No Django here, so the rules are tested without a database; actions.py and queries.py apply them.
"""

from datetime import date, timedelta

from practice_review.core.dates import add_months
from practice_review.core.vocabulary import RecommendationStatus, Role

# Short names for the tables below (the values are the vocabulary's, defined there once).
OPEN, IN_PROGRESS = RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS
COMPLETED, NOT_ACCEPTED = RecommendationStatus.COMPLETED, RecommendationStatus.NOT_ACCEPTED
SUPERSEDED, CASE_CLOSED = RecommendationStatus.SUPERSEDED, RecommendationStatus.CASE_CLOSED
# Still being worked on: these can be overdue, and their owners are reminded.
ACTIVE_STATUSES = (OPEN, IN_PROGRESS)
# Closing a recommendation without doing it needs the reason on record (issue 5).
NEEDS_REASON = (NOT_ACCEPTED, SUPERSEDED, CASE_CLOSED)
# A closed recommendation stays closed: if the work has to start again, raise a new one, so the
# record of what was decided (and any impact check) is never rewritten.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OPEN: (IN_PROGRESS, COMPLETED, NOT_ACCEPTED, SUPERSEDED, CASE_CLOSED),
    IN_PROGRESS: (COMPLETED, NOT_ACCEPTED, SUPERSEDED, CASE_CLOSED),
    COMPLETED: (),
    NOT_ACCEPTED: (),
    SUPERSEDED: (),
    CASE_CLOSED: (),
}

IMPACT_RESULTS = [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]
IMPACT_FOR = [("child", "The child"), ("service", "The service")]
# Who may record an impact check. The owner's manager is meant to, but which manager users stand
# over an owner is not recorded reliably (a StaffMember has no line manager), so the rule is: any
# manager or the QA lead who can see the recommendation, never the owner checking their own work.
IMPACT_CHECKER_ROLES = (Role.MANAGER, Role.QA_LEAD)

DUE_SOON, OVERDUE = "due_soon", "overdue"


class NotAllowed(Exception):
    """The change is refused: the message says why, in words a person can act on."""


def status_label(status: str) -> str:
    # str(): the stubs type a label as text or a lazy translation; ours are plain text.
    return str(RecommendationStatus(status).label) if status in RecommendationStatus else status


def check_status_change(current: str, new: str, reason: str | None) -> None:
    """Raise NotAllowed unless `current` may move to `new` with this `reason`."""
    if new not in RecommendationStatus:
        raise NotAllowed("Select a status from the list")
    if new == current:
        raise NotAllowed(f"The recommendation is already {status_label(current).lower()}")
    if new not in TRANSITIONS[current]:
        raise NotAllowed(
            f"A recommendation that is {status_label(current).lower()} cannot be changed; "
            "raise a new recommendation if more work is needed"
        )
    if new in NEEDS_REASON and not (reason or "").strip():
        raise NotAllowed(f"Enter why the recommendation is {status_label(new).lower()}")


def is_overdue(status: str, due_date: date | None, today: date) -> bool:
    return bool(due_date and status in ACTIVE_STATUSES and due_date < today)


def impact_check_due_on(completed_on: date, months: int) -> date:
    """`months` is settings.IMPACT_CHECK_MONTHS (PRACTICE_REVIEW_IMPACT_CHECK_MONTHS, 3)."""
    return add_months(completed_on, months)


def is_impact_check_due(due_on: date | None, recorded: bool, today: date) -> bool:
    return bool(due_on and not recorded and due_on <= today)


def may_update(*, role: str, is_owner: bool, level: str, manages_all: bool) -> bool:
    """Updates and status changes: the QA lead on any recommendation; an owner on their own,
    except that senior leaders (who read everything) update only service-level ones."""
    if manages_all:
        return True
    if not is_owner:
        return False
    return role != Role.SENIOR_LEADER or level == "service"


def may_record_impact(*, role: str, is_owner: bool, status: str, recorded: bool) -> bool:
    """A manager or the QA lead, never the owner checking their own work. It may be recorded
    before it is due, when the evidence is already there."""
    if status != COMPLETED or recorded or role not in IMPACT_CHECKER_ROLES:
        return False
    return not is_owner


def may_sign_off_impact(
    *, manages_all: bool, recorded: bool, signed_off: bool, recorded_it: bool = False
) -> bool:
    """The QA lead signs off an impact check someone else recorded."""
    return manages_all and recorded and not signed_off and not recorded_it


def reminder_due(
    *,
    status: str,
    due_date: date | None,
    today: date,
    days_before: int,
    due_soon_sent: bool,
    sent_today: bool,
) -> str | None:
    """Which reminder an owner gets today, if any: one 'due soon' reminder in the `days_before`
    days up to the due date, then an 'overdue' one each day it stays overdue. Never two a day."""
    if sent_today or not due_date or status not in ACTIVE_STATUSES:
        return None
    if due_date < today:
        return OVERDUE
    if due_date - today <= timedelta(days=days_before) and not due_soon_sent:
        return DUE_SOON
    return None


def reference(pk: int) -> str:
    """What emails and exports carry instead of case details."""
    return f"REC-{pk:06d}"
