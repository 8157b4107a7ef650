from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from practice_review.core.permissions import Permission, has_permission, requires
from practice_review.core.text import pluralize
from practice_review.core.uploads import (
    HeldUploadRefused,
    claim_held_upload,
    forget_held_upload,
    hold_upload,
)
from practice_review.core.vocabulary import EDITABLE_STATES
from practice_review.reviews import dual_review, workflow
from practice_review.reviews.forms import ReviewFileForm
from practice_review.reviews.importing import import_reviews as import_review_file
from practice_review.reviews.importing import plan_import
from practice_review.reviews.queries import (
    can_edit_review,
    can_respond,
    get_review_for_user,
    published_template,
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
        # In the form's order of the template's themes (docs/spec/domain.md#themes).
        order = {theme.key: place for place, theme in enumerate(review.themes)}
        write_up = {
            "findings": sorted(
                review.findings.prefetch_related("topics"),
                key=lambda finding: order.get(finding.theme, len(order)),
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


# The token of the upload this person is checking, so Cancel (a link) knows what to remove.
HELD_IMPORT = "held_import"
HELD_KIND = "review_file"


@requires(Permission.IMPORT_REVIEWS)
def import_reviews(request):
    """The QA lead uploads a review file. A file with problems has every one listed; a good one
    is held, unwritten, and the check page says what importing it will do (docs/review-files.md)."""
    form = ReviewFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, cohort = form.cleaned_data["file"], form.cleaned_data["cohort"]
        template = form.cleaned_data["template"]
        data = upload.read()
        plan = plan_import(data=data, file_name=upload.name, by=request.user,
                           default_cohort=cohort or None, template=template)  # fmt: skip
        if not plan.ok:
            return _upload_page(request, form, plan.problems)
        _forget_held_import(request)
        details = {"file_name": upload.name, "cohort": cohort, "template": template.pk}
        token = hold_upload(data, user_id=request.user.pk, kind=HELD_KIND, details=details)
        request.session[HELD_IMPORT] = token
        return render(
            request,
            "reviews/import_check.html",
            {"plan": plan, "token": token, "file_name": upload.name},
        )
    return _upload_page(request, form)


@require_POST
@requires(Permission.IMPORT_REVIEWS)
def import_confirm(request):
    """Confirm and import: the held file is imported all or nothing, once, by its uploader."""
    try:
        held = claim_held_upload(
            request.POST.get("token", ""), user_id=request.user.pk, kind=HELD_KIND
        )
    except HeldUploadRefused as refused:
        messages.error(request, str(refused))
        return redirect("import_reviews")
    request.session.pop(HELD_IMPORT, None)
    # A file held before templates were chosen is read as the built-in one, as it was checked.
    template_id = held.details.get("template")
    template = published_template(template_id) if template_id else None
    if template_id and template is None:
        messages.error(request, "The audit template you chose is no longer published: "
                                "upload the file again and choose another")  # fmt: skip
        return redirect("import_reviews")
    result = import_review_file(
        data=held.data,
        file_name=held.details["file_name"],
        by=request.user,
        default_cohort=held.details["cohort"] or None,
        template=template,
    )
    if not result.ok:  # the records changed since the check: the file is to be chosen again
        form = ReviewFileForm(
            data={"cohort": held.details["cohort"], "template": template_id}, files={}
        )
        return _upload_page(request, form, result.problems)
    messages.success(request, " ".join([result.summary(), *added_staff_sentence(result)]))
    return redirect("home")


@requires(Permission.IMPORT_REVIEWS)
def import_cancel(request):
    """Cancel the check: nothing is imported and the held file is removed."""
    _forget_held_import(request)
    messages.info(request, "Nothing was imported. The file you uploaded has been removed.")
    return redirect("import_reviews")


def _forget_held_import(request):
    forget_held_upload(request.session, HELD_IMPORT, user_id=request.user.pk)


def added_staff_sentence(result):
    count = len(result.added_staff)
    if not count:
        return []
    people = ", ".join(str(person) for person in result.added_staff)
    return [f"Added {count} member{pluralize(count)} of staff not known before: {people}."]


def _upload_page(request, form, problems=()):
    if problems:
        # The field says so too, as GOV.UK pairs each summary item with a message by its field
        # (in place of "Select a review file" on the form made again after a confirmation).
        form.is_valid()
        form.errors["file"] = form.error_class([
            f"The selected file has {len(problems)} problem{pluralize(len(problems))}; "
            "nothing was imported"
        ])  # fmt: skip
    return render(
        request,
        "reviews/import.html",
        {"form": form, "problems": problems},
    )
