from django.contrib import messages
from django.shortcuts import redirect, render

from practice_review.core.permissions import Permission, has_permission, requires
from practice_review.core.text import pluralize
from practice_review.core.vocabulary import EDITABLE_STATES, PRACTICE_STANDARD_KEYS, THEME_KEYS
from practice_review.reviews import dual_review, workflow
from practice_review.reviews.forms import ReviewFileForm
from practice_review.reviews.importing import import_reviews as import_review_file
from practice_review.reviews.queries import (
    can_edit_review,
    can_respond,
    get_review_for_user,
)
from practice_review.reviews.review_forms import ResponseForm


def review_detail(request, review_id):
    return review_page(request, get_review_for_user(request.user, review_id))


def review_page(request, review, response_form=None):
    """A review as its reader sees it, with its timeline and the responses to it.

    A second reviewer grading blind sees the child's details and their own work only: the first
    reviewer's write-up is not even read from the database for them (dual_review.py)."""
    user = request.user
    may_respond = can_respond(user, review)
    may_sign_off = has_permission(user, Permission.SIGN_OFF_REVIEWS)
    blind = dual_review.write_up_hidden_from(user, review)
    second_graded = dual_review.second_graded(review)
    write_up = {}
    if not blind:
        write_up = {
            # In the form's order of themes (docs/spec/domain.md#themes), not alphabetical.
            "findings": sorted(
                review.findings.prefetch_related("topics"),
                key=lambda finding: THEME_KEYS.index(finding.theme),
            ),
            "responses": review.responses.select_related("by"),
            "conversations": review.conversations.all(),
            "recommendations": review.recommendations.select_related("owner"),
        }
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            **write_up,
            "events": review.events.select_related("by"),
            "can_edit": can_edit_review(user, review),
            "can_respond": may_respond,
            "response_form": response_form or (ResponseForm() if may_respond else None),
            "can_sign_off": may_sign_off and workflow.can("sign_off", review.status, user.role),
            "can_reopen": may_sign_off and workflow.can("reopen", review.status, user.role),
            "can_reassign": has_permission(user, Permission.MANAGE_COHORTS)
            and review.status in EDITABLE_STATES,
            # Dual review: who may see what, and what they may do.
            "blind": blind,
            "hide_second_grades": dual_review.second_grades_hidden_from(user, review),
            "second_graded": second_graded,
            "can_add_second_reviewer": has_permission(user, Permission.MANAGE_COHORTS)
            and not second_graded,
            "can_grade_second": user.staff_member_id is not None
            and user.staff_member_id == review.second_reviewer_id
            and not second_graded,
        },
    )


@requires(Permission.IMPORT_REVIEWS)
def import_reviews(request):
    """The QA lead uploads a review file; every problem is listed and nothing is written."""
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
