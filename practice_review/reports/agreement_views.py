"""The agreement page: how far reviewers agree with each other and with moderation (issue 5).

For QA leads and senior leaders, over the reviews they may see. The dual-review figures come
from the figures module (`count_reviews`, `figures_from_counts`), so the page shows exactly the
JSON figures' `agreement`; the statistics themselves are the pure functions of agreement.py.
"""

from django import forms
from django.db.models import Count, Q
from django.db.models.lookups import IsNull
from django.shortcuts import render

from practice_review.accounts.models import StaffMember
from practice_review.core.permissions import Permission, requires
from practice_review.reports.agreement import agreement_summary, agreement_with_moderation
from practice_review.reports.figures import AnswerText, count_reviews, figures_from_counts
from practice_review.reviews.answers import GRADE, MODERATED, grade_steps
from practice_review.reviews.models import Cohort
from practice_review.reviews.queries import cohorts_visible_to, reviews_visible_to

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


def moderation_pairs_by_reviewer(reviews, axes):
    """{reviewer as recorded: {axis: {(reviewer's grade, moderated grade): count}}} on the grade
    `axes` (core GradeAxis), one grouped query over the completed reviews that were moderated
    (the same reviews the figures count), and one for the reviewers' names and initials
    (StaffMember.__str__)."""
    if not axes:
        return {}
    given = {}
    moderated = Q(pk__in=[])
    for place, axis in enumerate(axes):
        given[f"original_{place}"] = AnswerText(grade_steps(axis.key, GRADE))
        given[f"moderated_{place}"] = AnswerText(grade_steps(axis.key, MODERATED))
        moderated |= Q(IsNull(given[f"moderated_{place}"], False))
    grouped = list(
        reviews.completed()
        .filter(moderated)
        .annotate(**given)
        .values("reviewer", *given)
        .annotate(n=Count("id"))
        .order_by()
    )
    reviewers = StaffMember.objects.in_bulk({row["reviewer"] for row in grouped} - {None})
    result = {}
    for row in grouped:
        name = str(reviewers[row["reviewer"]]) if row["reviewer"] else NO_REVIEWER
        reviewer = result.setdefault(name, {})
        for place, axis in enumerate(axes):
            original, agreed = row[f"original_{place}"], row[f"moderated_{place}"]
            if original and agreed:
                pairs, cell = reviewer.setdefault(axis.key, {}), (original, agreed)
                pairs[cell] = pairs.get(cell, 0) + row["n"]
    return result


def agreement_page(name, reviews):
    """What the page shows for a set of reviews already scoped to the reader: each grade axis
    the reviews' template versions share (the built-in's two when there are none)."""
    counts = count_reviews(reviews)
    figures = figures_from_counts(name, counts)
    shared = counts["asked"].axes
    axes = [
        {
            "key": axis.key,
            "label": axis.label,
            "summary": agreement_summary(
                counts["pairs"][axis.key], [level.key for level in axis.levels]
            ),
            "changed_at_moderation": figures["grades_changed_at_moderation"][axis.key],
        }
        for axis in shared
    ]
    moderation = agreement_with_moderation(
        moderation_pairs_by_reviewer(reviews, shared), [axis.key for axis in shared]
    )
    # One table per axis, a row per reviewer and a last row for them all together.
    tables = [
        {
            "key": axis.key,
            "label": axis.label,
            "rows": [(row["reviewer"], row[axis.key]) for row in moderation["reviewers"]]
            + [("All reviewers", moderation["all_reviewers"][axis.key])],
        }
        for axis in shared
    ]
    return {
        "figures": figures,
        "axes": axes,
        "left_out": counts["asked"].left_out.get("grades", []),
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
