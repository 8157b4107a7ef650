"""Session timeouts and the second factor, checked on every request of a signed-in person.

docs/spec/quality.md#session-timeouts: "idle 30 minutes; 12 hours absolute" and "password-only
session against every protected URL": all sent to the second-factor step.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from practice_review.accounts import two_factor

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# Writing the session on every request would cost a database write per page and per autosave;
# once a minute keeps the idle timeout accurate to the minute.
LAST_SEEN_RESOLUTION_SECONDS = 60

IDLE_MESSAGE = "You were signed out after 30 minutes without activity. Sign in again to carry on."
ABSOLUTE_MESSAGE = "You were signed out after 12 hours. Sign in again to carry on."


def start_session_clock(session, now=None):
    """Called when someone signs in (accounts/signals.py)."""
    now = int(now if now is not None else time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def timeout_reason(session, now):
    """IDLE_MESSAGE, ABSOLUTE_MESSAGE or None for a signed-in session at `now` (seconds)."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return None
    if now - signed_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return ABSOLUTE_MESSAGE
    if now - last_seen_at >= settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return IDLE_MESSAGE
    return None


class SessionTimeouts:
    """Signs a person out after 30 idle minutes or 12 hours, whichever comes first, and says
    why on the sign-in page. Every request counts as activity, autosaves included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            if SIGNED_IN_AT not in session:
                # A session from before timeouts existed: its clock starts now.
                start_session_clock(session, now)
            reason = timeout_reason(session, now)
            if reason:
                logout(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
            if now - session[LAST_SEEN_AT] >= LAST_SEEN_RESOLUTION_SECONDS:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


class TwoFactorRequired:
    """A password alone opens nothing: until the second factor is given, every page except the
    allow-list sends the person to set it up (no device yet) or to enter a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.TWO_FACTOR_REQUIRED
            and user.is_authenticated
            and not user.is_verified()
            and not self._allowed(request.path_info)
        ):
            # Autosave follows no redirect ("redirect: manual") and tells the reviewer they are
            # signed out; their words stay on the page (static/js/autosave.js).
            return self._second_factor_step(request)
        return self.get_response(request)

    @staticmethod
    def _allowed(path):
        allowed = {
            reverse("logout"),
            reverse("two_factor_setup"),
            reverse("two_factor_verify"),
            reverse("accessibility"),
            reverse("health"),
        }
        return path in allowed or path.startswith(settings.STATIC_URL)

    @staticmethod
    def _second_factor_step(request):
        if not two_factor.has_authenticator(request.user):
            return redirect("two_factor_setup")
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        query = "" if next_url == "/" else "?" + urlencode({"next": next_url})
        return redirect(reverse("two_factor_verify") + query)
