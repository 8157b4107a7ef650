"""The second step of signing in: set up an authenticator app, enter a code, recovery codes.

The set-up and code pages are open to a person who has given their password but not yet the
second factor (accounts/middleware.py lets them through); the recovery codes page is not.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from practice_review.accounts import two_factor
from practice_review.accounts.sign_in_views import safe_next

NEW_CODES_SESSION_KEY = "new_recovery_codes"
FEW_RECOVERY_CODES = 3


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args, label, hint, numeric_only, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = label
        field.help_text = hint
        # One-time codes: no spellcheck or autocorrect, and phones may offer the code they got.
        field.widget.attrs.update(
            autocomplete="one-time-code",
            spellcheck="false",
            autocapitalize="none",
            **{"class": "govuk-input--width-10"},
        )
        if numeric_only:
            field.widget.attrs["inputmode"] = "numeric"

    def refuse(self, check, wrong):
        if check.wait_seconds:
            self.add_error("code", _wait_message(check.wait_seconds))
        else:
            self.add_error("code", wrong)


def _wait_message(seconds):
    if seconds < 60:
        amount = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = -(-seconds // 60)
        amount = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"You have entered too many wrong codes. Wait {amount}, then try again"


def _next_url(request):
    return safe_next(request, request.POST.get("next") or request.GET.get("next") or "")


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in: scan a QR code (or type the secret), then enter the code the app shows."""
    user = request.user
    if two_factor.has_authenticator(user):
        return redirect("home" if user.is_verified() else "two_factor_verify")
    device = two_factor.pending_authenticator(user)
    form = CodeForm(
        request.POST or None,
        label="Code from your authenticator app",
        hint="The 6-digit code, for example 123456",
        numeric_only=True,
    )
    if request.method == "POST" and form.is_valid():
        codes, check = two_factor.confirm_authenticator(request, form.cleaned_data["code"])
        if codes:
            request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect("two_factor_recovery_codes")
        form.refuse(check, "The code is not correct. Enter the 6-digit code your app shows now")
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_typing(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """Each sign-in: a code from the authenticator app, or one of the recovery codes."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request) or "/")
    if not two_factor.has_authenticator(user):
        return redirect("two_factor_setup")
    form = CodeForm(
        request.POST or None,
        label="Code from your authenticator app",
        hint="The 6-digit code your app shows now. If you do not have your phone, "
        "enter one of your recovery codes.",
        numeric_only=False,
    )
    if request.method == "POST" and form.is_valid():
        check = two_factor.verify_code(request, form.cleaned_data["code"])
        if check.ok:
            left = two_factor.recovery_codes_left(user)
            if left <= FEW_RECOVERY_CODES:
                messages.warning(
                    request,
                    f"You have {left} recovery code{'s' if left != 1 else ''} left. "
                    "Create new recovery codes from the recovery codes page.",
                )
            return HttpResponseRedirect(_next_url(request) or "/")
        form.refuse(
            check,
            "The code is not correct. Enter the 6-digit code your app shows now, "
            "or a recovery code you have not used",
        )
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context)


@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request):
    """New codes are shown once, straight after they are made; otherwise how many are left and
    a button to replace them all."""
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = two_factor.new_recovery_codes(by=request.user)
        return redirect("two_factor_recovery_codes")
    context = {
        "new_codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        "codes_left": two_factor.recovery_codes_left(request.user),
    }
    return render(request, "accounts/two_factor_recovery_codes.html", context)
