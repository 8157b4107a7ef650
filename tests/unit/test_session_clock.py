"""The session clock's rules (accounts/session_clock.py) and how its lengths are said."""

import datetime

from practice_review.accounts import session_clock
from practice_review.accounts.session_clock import ABSOLUTE, IDLE, Limits
from practice_review.core.text import describe_duration

PRODUCTION = Limits(
    idle=datetime.timedelta(minutes=30),
    absolute=datetime.timedelta(hours=12),
    warning=datetime.timedelta(minutes=2),
)
SIGNED_IN = 1_000_000


def started():
    session = {}
    session_clock.start(session, SIGNED_IN)
    return session


def test_seconds_left_count_down_to_each_end():
    session = started()
    left = session_clock.seconds_left(session, SIGNED_IN + 600, PRODUCTION)
    assert (left.idle, left.absolute) == (30 * 60 - 600, 12 * 3600 - 600)
    assert left.ended_by is None


def test_the_absolute_end_wins_however_recent_the_last_request():
    session = started()
    session[session_clock.LAST_SEEN_AT] = SIGNED_IN + 12 * 3600 - 5
    assert session_clock.seconds_left(session, SIGNED_IN + 12 * 3600, PRODUCTION).ended_by == (
        ABSOLUTE
    )
    assert session_clock.seconds_left(session, SIGNED_IN + 30 * 60, PRODUCTION).ended_by is None


def test_thirty_idle_minutes_end_the_session():
    session = started()
    assert session_clock.seconds_left(session, SIGNED_IN + 30 * 60, PRODUCTION).ended_by == IDLE


def test_page_views_are_noted_once_a_minute_and_writes_to_the_second():
    session = started()
    session_clock.note_activity(session, SIGNED_IN + 59, PRODUCTION, exact=False)
    assert session[session_clock.LAST_SEEN_AT] == SIGNED_IN
    session_clock.note_activity(session, SIGNED_IN + 60, PRODUCTION, exact=False)
    assert session[session_clock.LAST_SEEN_AT] == SIGNED_IN + 60
    session_clock.note_activity(session, SIGNED_IN + 61, PRODUCTION, exact=True)
    assert session[session_clock.LAST_SEEN_AT] == SIGNED_IN + 61


def test_a_short_idle_timeout_notes_every_request():
    """A minute's rounding must never outlast the timeout (tests shorten it to seconds)."""
    short = Limits(
        idle=datetime.timedelta(seconds=10),
        absolute=datetime.timedelta(minutes=1),
        warning=datetime.timedelta(seconds=5),
    )
    session = started()
    session_clock.note_activity(session, SIGNED_IN + 1, short, exact=False)
    assert session[session_clock.LAST_SEEN_AT] == SIGNED_IN + 1


def test_activity_never_moves_the_absolute_end():
    session = started()
    session_clock.note_activity(session, SIGNED_IN + 3600, PRODUCTION, exact=True)
    assert session[session_clock.SIGNED_IN_AT] == SIGNED_IN


def test_lengths_are_said_as_a_person_says_them():
    assert describe_duration(datetime.timedelta(minutes=30)) == "30 minutes"
    assert describe_duration(datetime.timedelta(hours=12)) == "12 hours"
    assert describe_duration(datetime.timedelta(minutes=1)) == "1 minute"
    assert describe_duration(datetime.timedelta(hours=1, minutes=30)) == "1 hour and 30 minutes"
    assert describe_duration(datetime.timedelta(hours=2, minutes=1, seconds=5)) == (
        "2 hours, 1 minute and 5 seconds"
    )
    assert describe_duration(datetime.timedelta(seconds=8)) == "8 seconds"
