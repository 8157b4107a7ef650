from django import forms
from django.contrib.auth.forms import AuthenticationForm

from practice_review.accounts.models import StaffMember
from practice_review.core.vocabulary import Role


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


def staff_choice(label, required=True, reviewers_only=False):
    staff = StaffMember.objects.order_by("name")
    if reviewers_only:
        staff = staff.filter(user__role=Role.REVIEWER, user__is_active=True)
    return forms.ModelChoiceField(
        label=label,
        queryset=staff,
        required=required,
        empty_label="Choose a member of staff" if required else "None",
        error_messages={"required": f"Choose {label.lower()}"},
    )
