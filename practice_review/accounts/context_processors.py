import time

from django.conf import settings
from django.utils.crypto import salted_hmac

from practice_review.accounts import session_clock, two_factor
from practice_review.core.text import describe_duration

OWNER_SALT = "practice_review.accounts.unsaved_work"


def session_timeout(request):
    """What the timeout warning needs (accounts/session_timeout.html), on every page of a person
    fully signed in: the password-only pages before the second factor have no warning to give.

    `owner` names the person to the browser without saying who they are: what js/unsaved-work.js
    keeps in the tab is put back only for the person who typed it.
    """
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or not user.is_authenticated or session is None:
        return {}
    # is_verified comes from django-otp's middleware; a request without it has not given one.
    if two_factor.required(request) and not getattr(user, "is_verified", lambda: False)():
        return {}
    if not session_clock.is_started(session):
        return {}
    limits = session_clock.Limits.from_settings(settings)
    left = session_clock.seconds_left(session, int(time.time()), limits)
    return {
        "session_timeout": {
            "idle_seconds_left": left.idle,
            "absolute_seconds_left": left.absolute,
            "idle_timeout_seconds": int(limits.idle.total_seconds()),
            "warning_seconds": int(limits.warning.total_seconds()),
            "warning": describe_duration(limits.warning),
            "absolute": describe_duration(limits.absolute),
            "owner": salted_hmac(OWNER_SALT, str(user.pk)).hexdigest()[:20],
        }
    }
