"""The review's states and who may move it between them (docs/spec/domain.md#review-states).
Pure Python.

assigned -> in progress -> submitted -> final. Final comes from moderation or the QA lead's
sign-off; only the QA lead reopens, with a reason. A review signed off may still be taken to a
moderation meeting (it stays final); a reopened one comes back to moderation once resubmitted.
"""

from dataclasses import dataclass

from practice_review.core.vocabulary import ReviewStatus, Role

ASSIGNED, IN_PROGRESS = ReviewStatus.ASSIGNED, ReviewStatus.IN_PROGRESS  # short names for the
SUBMITTED, FINAL = ReviewStatus.SUBMITTED, ReviewStatus.FINAL  # table below, not new values


@dataclass(frozen=True)
class Transition:
    name: str
    from_states: tuple[str, ...]
    to_state: str
    roles: frozenset[str]
    needs_reason: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("start", (ASSIGNED,), IN_PROGRESS, frozenset({Role.REVIEWER})),
        Transition("submit", (IN_PROGRESS,), SUBMITTED, frozenset({Role.REVIEWER})),
        Transition("sign_off", (SUBMITTED,), FINAL, frozenset({Role.QA_LEAD})),
        Transition("moderate", (SUBMITTED, FINAL), FINAL, frozenset({Role.QA_LEAD})),
        Transition("reopen", (SUBMITTED, FINAL), IN_PROGRESS, frozenset({Role.QA_LEAD}), True),
    ]
}


def can(transition_name: str, status: str, role: str) -> bool:
    transition = TRANSITIONS[transition_name]
    return status in transition.from_states and role in transition.roles
