"""The review's states and who may move it between them (domain.md). Pure Python.

assigned -> in progress -> submitted -> final. Final comes from moderation or the QA lead's
sign-off; only the QA lead reopens, with a reason. A review signed off may still be taken to a
moderation meeting (it stays final); a reopened one comes back to moderation once resubmitted.
"""

from dataclasses import dataclass

ASSIGNED, IN_PROGRESS, SUBMITTED, FINAL = "assigned", "in_progress", "submitted", "final"
EDITABLE = (ASSIGNED, IN_PROGRESS)


@dataclass(frozen=True)
class Transition:
    name: str
    from_states: tuple
    to_state: str
    roles: frozenset
    needs_reason: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("start", (ASSIGNED,), IN_PROGRESS, frozenset({"reviewer"})),
        Transition("submit", (IN_PROGRESS,), SUBMITTED, frozenset({"reviewer"})),
        Transition("sign_off", (SUBMITTED,), FINAL, frozenset({"qa_lead"})),
        Transition("moderate", (SUBMITTED, FINAL), FINAL, frozenset({"qa_lead"})),
        Transition("reopen", (SUBMITTED, FINAL), IN_PROGRESS, frozenset({"qa_lead"}), True),
    ]
}


def can(transition_name, status, role):
    transition = TRANSITIONS[transition_name]
    return status in transition.from_states and role in transition.roles
