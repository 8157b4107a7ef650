from django import forms
from django.contrib.auth.forms import AuthenticationForm

from practice_review.core.forms import text


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the GOV.UK wording for its errors."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # No autofocus: it skips the skip link and header for keyboard and screen reader users.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update(autocomplete="username", spellcheck="false")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class DecisionForm(forms.Form):
    """Approve or decline a change to an account: the button pressed says which; declining needs
    a reason, which the administrator and the person are sent."""

    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[(APPROVE, "Approve"), (DECLINE, "Decline")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose approve or decline",
            "invalid_choice": "Choose approve or decline",
        },
    )
    reason = text(
        "Why are you declining the change?",
        long=True,
        max_length=2000,
        help_text="The administrator who asked and the person whose account it is are sent this.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why you are declining the change")
        return cleaned

    @property
    def approving(self):
        return self.cleaned_data["decision"] == self.APPROVE
