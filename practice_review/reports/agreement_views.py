"""The agreement page: how far reviewers agree with each other and with moderation (issue 5).

For QA leads and senior leaders, over the reviews they may see. The dual-review figures come
from the figures module (`count_reviews`, `figures_from_counts`), so the page shows exactly the
JSON figures' `agreement`; the statistics themselves are the pure functions of agreement.py.
"""

from django import forms
from django.db.models import Count, Q
from django.shortcuts import render

from practice_review.accounts.models import StaffMember
from practice_review.core.permissions import Permission, requires
from practice_review.reports.agreement import agreement_summary, agreement_with_moderation
from practice_review.reports.figures import count_reviews, figures_from_counts
from practice_review.reviews.models import Cohort, GradeDescriptor
from practice_review.reviews.queries import cohorts_visible_to, reviews_visible_to

AXES = GradeDescriptor.AXES  # ("practice", "Social work practice"), ("outcome", ...)
ALL_COHORTS = "All cohorts"
NO_REVIEWER = "Reviewer not recorded"  # imported files may leave the reviewer blank


class CohortFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=ALL_COHORTS,
        label="Cohort",
        error_messages={"invalid_choice": "Select a cohort from the list"},
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


def moderation_pairs_by_reviewer(reviews):
    """{reviewer as recorded: {axis: {(reviewer's grade, moderated grade): count}}}, one grouped
    query over the completed reviews that were moderated (the same reviews the figures count),
    and one for the reviewers' names and initials (StaffMember.__str__)."""
    moderated = reviews.completed().filter(
        Q(moderated_practice_grade__isnull=False) | Q(moderated_outcome_grade__isnull=False)
    )
    grouped = list(
        moderated.values(
            "reviewer",
            "practice_grade",
            "moderated_practice_grade",
            "outcome_grade",
            "moderated_outcome_grade",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    reviewers = StaffMember.objects.in_bulk({row["reviewer"] for row in grouped} - {None})
    result = {}
    for row in grouped:
        name = str(reviewers[row["reviewer"]]) if row["reviewer"] else NO_REVIEWER
        reviewer = result.setdefault(name, {})
        for axis, _label in AXES:
            original, moderated_grade = row[f"{axis}_grade"], row[f"moderated_{axis}_grade"]
            if original and moderated_grade:
                pairs, cell = reviewer.setdefault(axis, {}), (original, moderated_grade)
                pairs[cell] = pairs.get(cell, 0) + row["n"]
    return result


def agreement_page(name, reviews):
    """What the page shows for a set of reviews already scoped to the reader."""
    counts = count_reviews(reviews)
    figures = figures_from_counts(name, counts)
    axes = [
        {
            "key": axis,
            "label": label,
            "summary": agreement_summary(counts["pairs"][axis]),
            "changed_at_moderation": figures["grades_changed_at_moderation"][axis],
        }
        for axis, label in AXES
    ]
    moderation = agreement_with_moderation(moderation_pairs_by_reviewer(reviews))
    # One table per axis, a row per reviewer and a last row for them all together.
    tables = [
        {
            "key": axis,
            "label": label,
            "rows": [(row["reviewer"], row[axis]) for row in moderation["reviewers"]]
            + [("All reviewers", moderation["all_reviewers"][axis])],
        }
        for axis, label in AXES
    ]
    return {
        "figures": figures,
        "axes": axes,
        "moderation_tables": tables if moderation["reviewers"] else [],
    }


@requires(Permission.VIEW_AGREEMENT)
def agreement(request):
    form = CohortFilterForm(request.GET or None, cohorts=cohorts_visible_to(request.user))
    context = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "reports/agreement.html", context, status=400)
    cohort = form.cleaned_data["cohort"] if form.is_bound else None
    reviews = reviews_visible_to(request.user)
    if cohort is not None:
        reviews = reviews.filter(cohort=cohort)
    context.update(cohort=cohort, **agreement_page(cohort.name if cohort else ALL_COHORTS, reviews))
    return render(request, "reports/agreement.html", context)
