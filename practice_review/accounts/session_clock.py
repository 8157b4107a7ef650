"""When a signed-in session ends, and why: the idle and absolute timeouts as plain rules.

docs/spec/quality.md#session-timeouts: "idle 30 minutes; 12 hours absolute". The lengths live
in settings (SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT, SESSION_WARNING_BEFORE) and come in
as `Limits`; times are whole seconds since the epoch. The middleware applies these rules to every
request, the session page tells the browser how long is left, and the page warns before either
end (WCAG 2.2.1 Timing adjustable, docs/signing-in.md#being-signed-out).
"""

import datetime
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"

# Writing the session on every page would cost a database write per request; noting a page
# view once a minute keeps the idle timeout accurate to the minute. A shorter idle timeout (a
# test's) is noted more finely, so that a minute's rounding never outlasts the timeout itself.
MAX_RESOLUTION_SECONDS = 60

IDLE = "idle"
ABSOLUTE = "absolute"

Session = MutableMapping[str, Any]


@dataclass(frozen=True)
class Limits:
    idle: datetime.timedelta  # signed out after this long without a request
    absolute: datetime.timedelta  # and this long after signing in, however busy
    warning: datetime.timedelta  # how long before either end the page warns

    @classmethod
    def from_settings(cls, settings: Any) -> "Limits":
        return cls(
            idle=settings.SESSION_IDLE_TIMEOUT,
            absolute=settings.SESSION_ABSOLUTE_TIMEOUT,
            warning=settings.SESSION_WARNING_BEFORE,
        )

    @property
    def resolution_seconds(self) -> int:
        return min(MAX_RESOLUTION_SECONDS, int(self.idle.total_seconds()) // 30)


@dataclass(frozen=True)
class SecondsLeft:
    idle: int
    absolute: int

    @property
    def ended_by(self) -> str | None:
        """ABSOLUTE, IDLE or None: which timeout has ended the session, if one has."""
        if self.absolute <= 0:
            return ABSOLUTE
        if self.idle <= 0:
            return IDLE
        return None


def start(session: Session, now: int) -> None:
    """Called when someone signs in (accounts/signals.py)."""
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def is_started(session: Session) -> bool:
    return SIGNED_IN_AT in session and LAST_SEEN_AT in session


def seconds_left(session: Session, now: int, limits: Limits) -> SecondsLeft:
    """How long a started session has before each timeout; 0 or less when it has ended."""
    idle_ends = session[LAST_SEEN_AT] + int(limits.idle.total_seconds())
    absolute_ends = session[SIGNED_IN_AT] + int(limits.absolute.total_seconds())
    return SecondsLeft(idle=idle_ends - now, absolute=absolute_ends - now)


def note_activity(session: Session, now: int, limits: Limits, *, exact: bool) -> None:
    """A request of the person's: the idle clock starts again. Never the absolute one.

    `exact` for a write (an autosave, Save, "Stay signed in"): the page restarts its own clock
    after each, so the server's must agree to the second. Page views are noted once per
    resolution (above).
    """
    if exact or now - session[LAST_SEEN_AT] >= limits.resolution_seconds:
        session[LAST_SEEN_AT] = now
