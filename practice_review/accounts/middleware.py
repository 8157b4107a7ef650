"""Session timeouts and the second factor, checked on every request of a signed-in person.

docs/spec/quality.md#session-timeouts: "idle 30 minutes; 12 hours absolute" and "password-only
session against every protected URL": all sent to the second-factor step.
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from practice_review.accounts import oidc, session_clock, two_factor
from practice_review.core.text import describe_duration

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def signed_out_message(ended_by, limits):
    """Why the last session ended, said on the sign-in page, in the lengths settings give."""
    if ended_by == session_clock.ABSOLUTE:
        return (
            f"You were signed out after {describe_duration(limits.absolute)}. "
            "Sign in again to carry on."
        )
    return (
        f"You were signed out after {describe_duration(limits.idle)} without activity. "
        "Sign in again to carry on."
    )


def not_activity(view):
    """A view that may be asked how long the session has left without lengthening it."""
    view.counts_as_activity = False
    return view


class SessionTimeouts:
    """Signs a person out after the idle or the absolute timeout, whichever comes first, and
    says why on the sign-in page. Every request to a view counts as activity, autosaves
    included, except asking how long is left (`not_activity`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            limits = session_clock.Limits.from_settings(settings)
            if not session_clock.is_started(session):
                # A session from before timeouts existed: its clock starts now.
                session_clock.start(session, now)
            ended_by = session_clock.seconds_left(session, now, limits).ended_by
            if ended_by:
                logout(request)
                messages.info(request, signed_out_message(ended_by, limits))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def process_view(self, request, view, view_args, view_kwargs):
        # Noted once the view is known, so that the session page can answer without making the
        # session longer: a tab asking would otherwise keep every other tab signed in for ever.
        if request.user.is_authenticated and getattr(view, "counts_as_activity", True):
            session_clock.note_activity(
                request.session,
                int(time.time()),
                session_clock.Limits.from_settings(settings),
                exact=request.method not in SAFE_METHODS,
            )
        return None


class ProviderMultiFactor:
    """After django-otp's middleware: a person whose council account sign-in used more than one
    factor at the provider has given their second factor (two_factor.given_at_provider), so
    `user.is_verified()` says so everywhere, as it does for our own codes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            request.user = SimpleLazyObject(lambda: self._mark(request, user))
        return self.get_response(request)

    @staticmethod
    def _mark(request, user):
        # `user`, not request.user: that is this lazy object itself.
        if two_factor.given_at_provider(getattr(request, "session", None), user):
            user.is_verified = lambda: True
            user.second_factor_at_provider = True
        return user


class ProviderSignOutFormAction:
    """The pages of someone signed in with the council's account let their sign-out form lead on
    to the provider's end-session page.

    Sign-out posts to us and we send the browser on to the provider's end-session page
    (sign_in_views.sign_out). Chromium holds a form's submission to the Content Security
    Policy's form-action along all its redirects, so with 'self' alone the browser stops on our
    page, signed out here but not at the provider. That page's origin is added (from the
    discovery document, where it is at hand; it is when the person signed in), on these people's
    pages only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        config = oidc.configuration()
        if config.enabled and user is not None and user.is_authenticated and user.provider_subject:
            document = oidc.cached_discovery(config) or {}
            parts = urlsplit(str(document.get("end_session_endpoint") or config.issuer))
            # Merged with what a view asked for (core/csp.py), not instead of it.
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [
                *update.get("form-action", ()),
                f"{parts.scheme}://{parts.netloc}",
            ]
            response._csp_update = update
        return response


class TwoFactorRequired:
    """A password alone opens nothing: until the second factor is given, every page except the
    allow-list sends the person to set it up (no device yet) or to enter a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and two_factor.required(request)
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
