"""The QA lead's pages for cohorts and assignment, and the reviewer's "My reviews"."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from practice_review.core.history import save_as
from practice_review.core.permissions import Permission, requires
from practice_review.core.vocabulary import EDITABLE_STATES, Role
from practice_review.reviews import actions
from practice_review.reviews.forms import TemplateChoiceField
from practice_review.reviews.models import Child
from practice_review.reviews.queries import (
    get_cohort_for_user,
    get_review_for_user,
    reviews_assigned_to,
    second_reviews_to_grade,
)
from practice_review.reviews.review_forms import AddCaseForm, CohortForm, ReassignForm, yes_no


class NewCohortForm(CohortForm):
    """A cohort's details and the audit template its reviews answer."""

    template = TemplateChoiceField(
        "Audit template",
        help_text="What the cohort's reviews ask. Every review in a cohort answers the same "
        "template, so that its figures add up.",
    )


@requires(Permission.MANAGE_COHORTS)
def cohort_create(request):
    form = NewCohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = actions.create_cohort(by=request.user, **form.cleaned_data)
        messages.success(request, f"Cohort {cohort.name} created. Add the children's cases.")
        return redirect("cohort_detail", cohort.id)
    return render(request, "reviews/cohort_form.html", {"form": form})


@requires(Permission.MANAGE_COHORTS)
def cohort_add_case(request, cohort_id):
    cohort = get_cohort_for_user(request.user, cohort_id)
    form = AddCaseForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = form.child or _new_child(data, request.user)
        review = actions.assign_review(
            by=request.user,
            cohort=cohort,
            child=child,
            reviewer=data["reviewer"],
            reviewer_type=data["reviewer_type"],
            due_date=data["due_date"],
            social_worker=data["social_worker"],
            social_worker_is_student=data["social_worker_is_student"],
            supervisor=data["supervisor"],
            iro=data["iro"],
            conflict_reason=data["conflict_reason"],
        )
        messages.success(
            request, f"{child.initials}'s case added and assigned to {review.reviewer}."
        )
        return redirect("cohort_detail", cohort.id)
    return render(request, "reviews/cohort_add_case.html", {"form": form, "cohort": cohort})


def _new_child(data, by):
    child = Child(
        case_ref=data["case_ref"].strip(),
        initials=data["initials"].strip(),
        gender=data["gender"],
        date_of_birth=data["date_of_birth"],
        ethnicity=data["ethnicity"].strip(),
        religion=data["religion"].strip(),
        first_language=data["first_language"].strip(),
        interpreter_needed=yes_no(data["interpreter_needed"]),
        uasc=yes_no(data["uasc"]),
    )
    save_as(child, by)
    return child


@requires(Permission.MANAGE_COHORTS)
def review_reassign(request, review_id):
    """The QA lead gives a review not yet submitted to another reviewer, or a new due date."""
    review = get_review_for_user(request.user, review_id)
    if review.status not in EDITABLE_STATES:
        raise Http404
    initial = {
        "reviewer": review.reviewer_id,
        "reviewer_type": review.reviewer_type,
        "due_date": review.due_date,
    }
    form = ReassignForm(request.POST or None, initial=initial, review=review)
    if request.method == "POST" and form.is_valid():
        actions.reassign_review(review=review, by=request.user, **form.cleaned_data)
        messages.success(request, f"Review assigned to {form.cleaned_data['reviewer']}")
        return redirect("review_detail", review.id)
    return render(request, "reviews/reassign.html", {"form": form, "review": review})


def my_reviews(request):
    if request.user.role != Role.REVIEWER:
        raise Http404
    return render(
        request,
        "reviews/my_reviews.html",
        {
            "reviews": reviews_assigned_to(request.user),
            "second_reviews": second_reviews_to_grade(request.user),
        },
    )
