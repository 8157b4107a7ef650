"""Signing in and out: the sign-in page, signing in with the council's account (OpenID Connect,
oidc.py) and signing out, here and at the provider (docs/signing-in.md).

The council-account pages are open to anyone (the person is not signed in yet) and answer 404
until OIDC_* settings configure a provider.
"""

import logging
import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.utils import (
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)

from practice_review.accounts import oidc, single_sign_on, two_factor
from practice_review.accounts.backends import local_sign_in_allowed
from practice_review.accounts.forms import SignInForm
from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent

logger = logging.getLogger(__name__)

NEXT_SESSION_KEY = "council_sign_in_next"
# A sign-in not finished within this long is refused: the provider's own sign-in takes a minute
# or two, and an old link in a browser's history should not still work.
STATE_LIFETIME_SECONDS = 15 * 60
# Why the last council sign-in of this browser was refused, for the page that says so: shown
# after a redirect, so that reloading it says the same again.
REFUSAL_SESSION_KEY = "council_sign_in_refused"
# The library keeps each sign-in's state, nonce and PKCE verifier here (mozilla_django_oidc.utils).
STATES_SESSION_KEY = "oidc_states"


class SignInView(auth_views.LoginView):
    """The sign-in page: the council's account first when it is set up, and usernames and
    passwords for administrators' break-glass accounts unless PRACTICE_REVIEW_LOCAL_SIGN_IN is
    off."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not local_sign_in_allowed():
            raise PermissionDenied("signing in with a password is turned off")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["council_sign_in"] = oidc.configuration().enabled
        context["local_sign_in"] = local_sign_in_allowed()
        return context


def safe_next(request, url):
    """`url` if it is a page of this service to go on to after signing in, else ""."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@login_not_required
@never_cache
@require_GET
def council_sign_in(request):
    """Send the person to the provider, with a fresh state, nonce and PKCE challenge kept in
    their session for the callback to check."""
    config = oidc.configuration()
    if not config.enabled:
        raise Http404("signing in with a council account is not set up")
    next_url = safe_next(request, request.GET.get("next", ""))
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    try:
        document = oidc.discovery(config)
    except oidc.ProviderProblem as problem:
        logger.warning("council sign-in could not start: %s", problem)
        return _not_completed(request, status=503)
    state, nonce = get_random_string(32), get_random_string(32)
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "scope": single_sign_on.SCOPES,
        "client_id": config.client_id,
        "redirect_uri": single_sign_on.redirect_uri(settings.SITE_URL),
        "state": state,
        "nonce": nonce,
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session[NEXT_SESSION_KEY] = next_url
    return HttpResponseRedirect(f"{document['authorization_endpoint']}?{urlencode(params)}")


@login_not_required
@never_cache
@require_GET
def council_sign_in_callback(request):
    """Where the provider sends the person back: check this browser began the sign-in (state),
    exchange the code, verify the ID token, then let them in with the role their groups give,
    or say why not. A state is used once, whatever happens."""
    config = oidc.configuration()
    if not config.enabled:
        raise Http404("signing in with a council account is not set up")
    states = request.session.get(STATES_SESSION_KEY)
    if not isinstance(states, dict) or not states:
        # This browser began no sign-in: a stray or forged link. Said plainly, but nothing is
        # written (no session, no audit event), so that such requests cost nothing to refuse.
        logger.info("council sign-in refused: no sign-in was begun in this browser")
        return _not_completed(request, status=400)
    begun = states.pop(request.GET.get("state", ""), None)
    request.session[STATES_SESSION_KEY] = states
    if request.GET.get("error"):
        # The provider's error code only ("access_denied"), as the standard's characters: its
        # description may name the person, and the query string is anyone's to write.
        error = re.sub(r"[^A-Za-z0-9_.-]", "", request.GET["error"])[:60]
        return _refuse_unverified(request, f"provider:{error}")
    if begun is None or not request.GET.get("code"):
        return _refuse_unverified(request, "state")
    if time.time() - begun.get("added_on", 0) > STATE_LIFETIME_SECONDS:
        return _refuse_unverified(request, "state expired")
    try:
        claims = oidc.CouncilAccountBackend().authenticate(
            request,
            code=request.GET["code"],
            nonce=begun.get("nonce"),
            code_verifier=begun.get("code_verifier"),
        )
    except SuspiciousOperation as problem:
        return _refuse_unverified(request, str(problem))
    except oidc.ProviderProblem as problem:
        logger.warning("council sign-in did not finish: %s", problem)
        return _refuse_unverified(request, "provider_problem", status=503)
    if claims is None:
        return _refuse_unverified(request, "state")
    try:
        user, role_before = oidc.sign_in(claims, config=config)
    except single_sign_on.Refused as refusal:
        return _refuse(request, refusal.reason, claims, config)
    next_url = request.session.pop(NEXT_SESSION_KEY, "")
    request.session.pop(REFUSAL_SESSION_KEY, None)
    multi_factor = single_sign_on.used_multi_factor(claims)
    # What the sign-in's audit event says besides who (accounts/signals.py signed_in).
    request.sign_in_details = {
        "with": "council_account",
        "groups": single_sign_on.mapped_groups(claims, config.role_groups),
        "role": user.role,
        "multi_factor_at_provider": multi_factor,
    }
    if role_before is not None and role_before != user.role:
        request.sign_in_details["role_before"] = role_before
    login(request, user, backend=oidc.BACKEND)
    two_factor.after_council_sign_in(
        request,
        multi_factor_at_provider=multi_factor,
        ask_own=single_sign_on.needs_own_second_factor(
            claims,
            two_factor_required=settings.TWO_FACTOR_REQUIRED,
            require_mfa_claim=config.require_mfa_claim,
        ),
    )
    # LOGIN_REDIRECT_URL is a URL name ("home"): resolved, or the browser would take it as a path
    # relative to the callback's.
    return HttpResponseRedirect(
        safe_next(request, next_url) or resolve_url(settings.LOGIN_REDIRECT_URL)
    )


def _refuse(request, reason, claims, config):
    """The provider vouched for the person, but they may not come in: say why and whom to ask."""
    logger.info("council sign-in refused: %s", reason)
    record(
        AuditEvent.Action.SIGN_IN_FAILED,
        details={
            "with": "council_account",
            "reason": reason,
            # The audit trail may name who tried (accounts/signals.py); ordinary logs never do.
            "username": single_sign_on.profile(claims).username,
            "groups": single_sign_on.mapped_groups(claims, config.role_groups),
        },
    )
    return _show_refusal(request, reason, status=403)


def _refuse_unverified(request, check, status=400):
    """The sign-in did not finish (an old or forged link, a tampered or expired token, the
    provider down): nobody is named, since nothing the provider said can be trusted."""
    logger.warning("council sign-in refused: %s", check)
    record(
        AuditEvent.Action.SIGN_IN_FAILED,
        details={"with": "council_account", "reason": single_sign_on.NOT_COMPLETED, "check": check},
    )
    return _show_refusal(request, single_sign_on.NOT_COMPLETED, status=status)


def _show_refusal(request, reason, status):
    request.session[REFUSAL_SESSION_KEY] = {"reason": reason, "status": status}
    return redirect("council_sign_in_refused")


@login_not_required
@never_cache
@require_GET
def council_sign_in_refused(request):
    """Why this browser's last sign-in with the council account did not let them in, with whom
    to ask and, where the provider did sign them in, a way to sign out there too (on a shared
    computer the next person would otherwise meet this page again)."""
    refusal = request.session.get(REFUSAL_SESSION_KEY)
    if not isinstance(refusal, dict) or refusal.get("reason") not in single_sign_on.REASONS:
        return redirect("login")
    reason = refusal["reason"]
    signed_in_there = reason != single_sign_on.NOT_COMPLETED and oidc.configuration().enabled
    return _refusal_page(
        request,
        reason,
        status=refusal.get("status", 403),
        provider_sign_out=_provider_sign_out_url() if signed_in_there else "",
    )


def _not_completed(request, status):
    return _refusal_page(request, single_sign_on.NOT_COMPLETED, status=status)


def _refusal_page(request, reason, status, provider_sign_out=""):
    context = {
        "reason": reason,
        "access_contact": settings.ACCESS_CONTACT,
        "provider_sign_out": provider_sign_out,
    }
    return render(request, "accounts/council_sign_in_refused.html", context, status=status)


@login_not_required
@require_POST
def sign_out(request):
    """End our session and, for a council account whose provider offers it, theirs: the
    provider signs them out and sends them back to our sign-in page."""
    then = settings.LOGOUT_REDIRECT_URL
    user = request.user
    if user.is_authenticated and user.provider_subject and oidc.configuration().enabled:
        then = _provider_sign_out_url() or then
    logout(request)
    return redirect(then)


def _provider_sign_out_url():
    config = oidc.configuration()
    try:
        endpoint = oidc.discovery(config).get("end_session_endpoint")
    except oidc.ProviderProblem as problem:
        logger.warning("could not sign out at the provider: %s", problem)
        return ""
    if not endpoint:
        return ""
    query = {
        "client_id": config.client_id,
        "post_logout_redirect_uri": single_sign_on.signed_out_uri(settings.SITE_URL),
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"
