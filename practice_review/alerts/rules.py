"""The alert's rules as plain Python: how serious, who must act at each step of the chain
(docs/spec/domain.md#escalation). No Django here, so the rules are tested without a database.
"""

# How serious a concern is, most serious first.
SEVERITIES = [("high", "High: a child may be at risk"), ("medium", "Medium"), ("low", "Low")]
SEVERITY_ORDER = {key: rank for rank, (key, _label) in enumerate(SEVERITIES)}

# Escalation levels: who must act at each step of the chain.
MANAGER, QA_LEAD, SENIOR_LEADERS = 0, 1, 2
TOP_LEVEL = SENIOR_LEADERS
LEVEL_NAMES = {MANAGER: "the manager", QA_LEAD: "the QA lead", SENIOR_LEADERS: "senior leaders"}


class AlertNotAllowed(Exception):
    """The alert cannot be changed that way in its current state (or by this person)."""


def next_level(level: int) -> int:
    """One step up the chain; at the top, senior leaders are reminded again."""
    return min(level + 1, TOP_LEVEL)
