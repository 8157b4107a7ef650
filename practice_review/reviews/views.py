from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from practice_review.accounts.permissions import Permission, has_permission
from practice_review.core.text import pluralize
from practice_review.reports.figures import cohort_figures
from practice_review.reviews.forms import ReviewFileForm
from practice_review.reviews.importing import import_reviews as import_review_file
from practice_review.reviews.presenters import FiguresPresenter
from practice_review.reviews.queries import (
    get_cohort_for_user,
    get_review_for_user,
    reviews_visible_to,
)
from practice_review.reviews.vocabulary import PRACTICE_STANDARD_KEYS


def cohort_detail(request, cohort_id):
    cohort = get_cohort_for_user(request.user, cohort_id)
    visible = reviews_visible_to(request.user)
    reviews = visible.filter(cohort=cohort).select_related(
        "child", "social_worker", "supervisor", "reviewer"
    )
    figures = FiguresPresenter(cohort_figures(cohort, reviews=visible))
    return render(
        request,
        "reviews/cohort_detail.html",
        {"cohort": cohort, "reviews": reviews, "figures": figures},
    )


def review_detail(request, review_id):
    review = get_review_for_user(request.user, review_id)
    return render(
        request,
        "reviews/review_detail.html",
        {"review": review, "findings": review.findings.all(), "events": review.events.all()},
    )


def import_reviews(request):
    """The QA lead uploads a review file; every problem is listed and nothing is written."""
    if not has_permission(request.user, Permission.IMPORT_REVIEWS):
        raise Http404
    form = ReviewFileForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_review_file(
            data=upload.read(),
            file_name=upload.name,
            by=request.user,
            default_cohort=form.cleaned_data["cohort"] or None,
        )
        if result.ok:
            messages.success(
                request,
                result.summary(),
            )
            return redirect("home")
        problems = result.problems
        # The field says so too, as GOV.UK pairs each summary item with a message by its field.
        form.add_error("file", f"The selected file has {len(problems)} problem"
                               f"{pluralize(len(problems))}; nothing was imported")  # fmt: skip
    return render(
        request,
        "reviews/import.html",
        {"form": form, "problems": problems, "standard_keys": PRACTICE_STANDARD_KEYS},
    )
