"""Two-factor sign-in: an authenticator app (TOTP) and ten single-use recovery codes.

django-otp keeps the devices: a TOTPDevice refuses a code at or before the last time step it
accepted (no replay) and a StaticDevice deletes each recovery code as it is used. Both throttle
wrong codes (settings: OTP_*_THROTTLE_FACTOR). Writes here record a `two_factor` audit event;
the event holds what happened, never a code or a secret.
"""

import base64
import dataclasses
import re

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent

RECOVERY_CODE_COUNT = 10
# A sign-in with the council's account whose provider asked for more than one factor: that stands
# for our second factor for this session (single_sign_on.needs_own_second_factor). Holds the
# user's id, so it can only ever stand for the person who signed in.
PROVIDER_MULTI_FACTOR_KEY = "second_factor_at_provider"
# Our own second factor asked of this session even where PRACTICE_REVIEW_TWO_FACTOR is off
# (OIDC_REQUIRE_MFA_CLAIM and a token that does not say multi-factor was used).
ASK_OWN_SECOND_FACTOR_KEY = "ask_own_second_factor"
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def required(request):
    """Is a second factor asked of this person, this session? (Whether they have given it is
    `user.is_verified()`: django-otp's, or the provider's, ProviderMultiFactor middleware.)"""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    asked = (
        session is not None
        and user is not None
        and user.is_authenticated
        and session.get(ASK_OWN_SECOND_FACTOR_KEY) == user.pk
    )
    return settings.TWO_FACTOR_REQUIRED or asked


def given_at_provider(session, user):
    return bool(
        session is not None
        and user.is_authenticated
        and session.get(PROVIDER_MULTI_FACTOR_KEY) == user.pk
    )


def after_council_sign_in(request, *, multi_factor_at_provider, ask_own):
    """Note in the new session what the provider's sign-in proved (called after login(), which
    starts a new session key)."""
    if multi_factor_at_provider:
        request.session[PROVIDER_MULTI_FACTOR_KEY] = request.user.pk
    elif ask_own:
        request.session[ASK_OWN_SECOND_FACTOR_KEY] = request.user.pk


def has_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user):
    """The unconfirmed device being set up: the same secret until the person confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_for_typing(device):
    """The secret as authenticator apps ask for it (base32), in groups of four characters."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The set-up link as an inline SVG QR code: drawn here, nothing fetched from elsewhere."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code", lineclass=None
    )
    label = "QR code to scan with your authenticator app"
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


@dataclasses.dataclass(frozen=True)
class CodeCheck:
    device: object = None  # the device that accepted the code, if any
    wait_seconds: int = 0  # > 0 when too many wrong codes mean the person must wait

    @property
    def ok(self):
        return self.device is not None


def normalise_code(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def _check(device, code):
    allowed, why = device.verify_is_allowed()
    if not allowed:
        locked_until = (why or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return CodeCheck(wait_seconds=max(1, int(wait + 0.999)))
    if device.verify_token(code):
        return CodeCheck(device=device)
    return CodeCheck()


@transaction.atomic
def confirm_authenticator(request, code):
    """Set-up: the first code from the app confirms the device, signs the second factor in and
    returns the new recovery codes (shown once) or None when the code is wrong."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        return None, CodeCheck()
    check = _check(device, normalise_code(code))
    if not check.ok:
        record(AuditEvent.Action.TWO_FACTOR, by=user, details={"event": "set_up_code_wrong"})
        return None, check
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _replace_recovery_codes(user)
    _signed_in_with(request, device)
    record(AuditEvent.Action.TWO_FACTOR, by=user, details={"event": "set_up"})
    return codes, check


def verify_code(request, code):
    """The second step of signing in: an authenticator code, or else a recovery code."""
    user = request.user
    code = normalise_code(code)
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        device = kind.objects.select_for_update().filter(user=user, confirmed=True).first()
        check = _check(device, code) if device else CodeCheck()
    if not check.ok:
        details = {"event": "code_wrong", "kind": kind.__name__}
        if check.wait_seconds:
            details["throttled"] = True
        record(AuditEvent.Action.TWO_FACTOR, by=user, details=details)
        return check
    _signed_in_with(request, check.device)
    if kind is StaticDevice:
        remaining = check.device.token_set.count()
        record(
            AuditEvent.Action.TWO_FACTOR,
            by=user,
            details={"event": "recovery_code_used", "remaining": remaining},
        )
    else:
        record(AuditEvent.Action.TWO_FACTOR, by=user, details={"event": "verified"})
    return check


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def new_recovery_codes(*, by):
    """Replace a person's recovery codes (the old ones stop working) and return the new ones."""
    codes = _replace_recovery_codes(by)
    record(AuditEvent.Action.TWO_FACTOR, by=by, details={"event": "recovery_codes_replaced"})
    return codes


@transaction.atomic
def reset_two_factor(user, *, by):
    """An administrator's reset: every device goes, so the person sets up again at next sign-in.

    Their signed-in sessions lose their second factor with the device (OTPMiddleware checks the
    device on every request), so they are asked to set up before they can go on.
    """
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    deleted += StaticDevice.objects.filter(user=user).delete()[0]
    record(AuditEvent.Action.TWO_FACTOR, by=by, target=user, details={"event": "reset"})
    return deleted


def _replace_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _signed_in_with(request, device):
    # A new session key once the second factor is in: a session id seen before it (for example
    # on a shared computer) is worth nothing afterwards.
    request.session.cycle_key()
    otp_login(request, device)
