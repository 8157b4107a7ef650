"""How long the session has left, and "Stay signed in" (WCAG 2.2.1 Timing adjustable).

js/session-timeout.js asks before it warns, so a tab left alone while another is in use does
not warn wrongly, and "Stay signed in" restarts the idle clock. Neither can lengthen the
absolute limit: after it, everyone signs in again (docs/signing-in.md#being-signed-out).
"""

import time

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from practice_review.accounts import session_clock
from practice_review.accounts.middleware import not_activity


def _seconds_left(request, now, limits):
    left = session_clock.seconds_left(request.session, now, limits)
    return JsonResponse(
        {
            "idle_seconds_left": left.idle,
            "absolute_seconds_left": left.absolute,
            "idle_timeout_seconds": int(limits.idle.total_seconds()),
            "warning_seconds": int(limits.warning.total_seconds()),
        }
    )


@not_activity
@require_GET
def session_status(request):
    """Seconds left before each timeout. Asking is not activity (middleware.SessionTimeouts);
    an ended session is signed out by the middleware and sent to sign in, as any request is."""
    return _seconds_left(request, int(time.time()), session_clock.Limits.from_settings(settings))


@require_POST
def session_extend(request):
    """Stay signed in: the idle clock starts again, to the second. The absolute one does not."""
    now = int(time.time())
    limits = session_clock.Limits.from_settings(settings)
    session_clock.note_activity(request.session, now, limits, exact=True)
    return _seconds_left(request, now, limits)
