"""Dual review: the QA lead adds a second reviewer; the second reviewer grades blind."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from practice_review.core.permissions import Permission, requires
from practice_review.reviews import actions, dual_review
from practice_review.reviews.queries import get_review_for_user
from practice_review.reviews.review_forms import SecondGradesForm, SecondReviewerForm


@requires(Permission.MANAGE_COHORTS)
def second_reviewer(request, review_id):
    review = get_review_for_user(request.user, review_id)
    if dual_review.second_graded(review):
        raise Http404
    form = SecondReviewerForm(
        request.POST or None, initial={"second_reviewer": review.second_reviewer_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.assign_second_reviewer(review=review, by=request.user, **form.cleaned_data)
        except actions.NotAllowed as refusal:
            form.add_error("second_reviewer", str(refusal))
        else:
            messages.success(
                request,
                f"{form.cleaned_data['second_reviewer']} will grade this "
                "review too, without seeing the first reviewer's grades or findings.",
            )
            return redirect("review_detail", review.pk)
    return render(request, "reviews/second_reviewer.html", {"form": form, "review": review})


def second_grades(request, review_id):
    review = get_review_for_user(request.user, review_id)
    staff = request.user.staff_member_id
    if staff is None or staff != review.second_reviewer_id or dual_review.second_graded(review):
        raise Http404
    form = SecondGradesForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_second_grades(review=review, by=request.user, grades=form.grades(),
                                         rationale=form.cleaned_data["rationale"])  # fmt: skip
        except actions.NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your grades are recorded.")
            return redirect("review_detail", review.pk)
    return render(request, "reviews/second_grades.html", {"form": form, "review": review})
