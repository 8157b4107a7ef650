from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from practice_review.accounts.permissions import Permission, has_permission
from practice_review.reports.figures import grade_summaries_by_cohort
from practice_review.reviews.presenters import CohortSummary
from practice_review.reviews.queries import cohorts_visible_to, reviews_visible_to


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


def home(request):
    """The cohorts this person may see, each with its review count and grade summary."""
    cohorts = cohorts_visible_to(request.user)
    summaries = grade_summaries_by_cohort(reviews_visible_to(request.user))
    rows = [CohortSummary(cohort, summaries.get(cohort.id)) for cohort in cohorts]
    can_import = has_permission(request.user, Permission.IMPORT_REVIEWS)
    return render(request, "core/home.html", {"cohorts": rows, "can_import": can_import})


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")
