"""The QA lead's pages for cohorts and assignment, and the reviewer's "My reviews"."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from practice_review.core.history import save_as
from practice_review.core.permissions import Permission, requires
from practice_review.core.vocabulary import EDITABLE_STATES, Role
from practice_review.reviews import actions
from practice_review.reviews.models import Child
from practice_review.reviews.queries import (
    children_visible_to,
    get_cohort_for_user,
    get_review_for_user,
    reviews_assigned_to,
    second_reviews_to_grade,
)
from practice_review.reviews.review_forms import AddCaseForm, CohortForm, ReassignForm, yes_no


@requires(Permission.MANAGE_COHORTS)
def cohort_create(request):
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = actions.create_cohort(by=request.user, **form.cleaned_data)
        messages.success(request, f"Cohort {cohort.name} created. Add the children's cases.")
        return redirect("cohort_detail", cohort.id)
    return render(request, "reviews/cohort_form.html", {"form": form})


@requires(Permission.MANAGE_COHORTS)
def cohort_add_case(request, cohort_id):
    cohort = get_cohort_for_user(request.user, cohort_id)
    form = AddCaseForm(request.POST or None, cohort=cohort, initial=_prefill(request))
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


def _prefill(request):
    """?child=<id>&social_worker=<id>&supervisor=<id>: a child drawn for the cohort, from its
    page's list of children drawn and not yet added (docs/sampling.md). Anything else in the
    query is ignored: the form checks what is posted as usual."""
    initial = {}
    child_id = request.GET.get("child", "")
    if child_id.isdigit():
        child = children_visible_to(request.user).filter(pk=child_id).first()
        if child is not None:
            initial["case_ref"] = child.case_ref
    for name in ("social_worker", "supervisor"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    return initial


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
