"""The sampling app's pages: the caseload extract, drawing a cohort (docs/sampling.md), and who has
been reviewed (coverage).
"""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from practice_review.core import spreadsheets
from practice_review.core.permissions import Permission, has_permission, requires
from practice_review.core.text import pluralize
from practice_review.core.uploads import (
    HeldUploadRefused,
    claim_held_upload,
    forget_held_upload,
    hold_upload,
)
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.queries import frameworks, get_cohort_for_user
from practice_review.sampling import actions, queries
from practice_review.sampling.coverage import CSV_HEADER
from practice_review.sampling.draw import SampleRefused
from practice_review.sampling.forms import CaseloadFileForm, DrawForm
from practice_review.sampling.presenters import DrawPresenter

# The token of the extract this person is checking, so Cancel (a link) knows what to remove.
HELD_EXTRACT = "held_caseload_extract"
HELD_KIND = "caseload_extract"


@requires(Permission.MANAGE_CASELOAD)
def caseload(request):
    """The extracts imported, the current one first (docs/sampling.md#the-caseload-extract)."""
    rows = list(queries.extracts())
    return render(request, "sampling/caseload.html", {"extracts": rows})


@requires(Permission.MANAGE_CASELOAD)
def caseload_import(request):
    """The QA lead uploads an extract: every problem listed, or the file held and checked."""
    form = CaseloadFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = actions.plan_extract(data=data, file_name=upload.name, by=request.user)
        if not plan.ok:
            return _upload_page(request, form, plan.problems)
        _forget_held_extract(request)
        token = hold_upload(data, user_id=request.user.pk, kind=HELD_KIND,
                            details={"file_name": upload.name})  # fmt: skip
        request.session[HELD_EXTRACT] = token
        context = {"plan": plan, "token": token, "file_name": upload.name}
        return render(request, "sampling/caseload_check.html", context)
    return _upload_page(request, form)


@require_POST
@requires(Permission.MANAGE_CASELOAD)
def caseload_import_confirm(request):
    """Confirm and import: the held extract is imported all or nothing, once, by its uploader."""
    try:
        held = claim_held_upload(
            request.POST.get("token", ""), user_id=request.user.pk, kind=HELD_KIND
        )
    except HeldUploadRefused as refused:
        messages.error(request, str(refused))
        return redirect("caseload_import")
    request.session.pop(HELD_EXTRACT, None)
    file_name = held.details["file_name"]
    result = actions.import_extract(by=request.user, data=held.data, file_name=file_name)
    if not result.ok:  # the records changed since the check: the file is to be chosen again
        return _upload_page(request, CaseloadFileForm(data={}, files={}), result.problems)
    messages.success(request, result.summary())
    return redirect("caseload")


@requires(Permission.MANAGE_CASELOAD)
def caseload_import_cancel(request):
    """Cancel the check: nothing is imported and the held file is removed."""
    _forget_held_extract(request)
    messages.info(request, "Nothing was imported. The file you uploaded has been removed.")
    return redirect("caseload_import")


def _forget_held_extract(request):
    forget_held_upload(request.session, HELD_EXTRACT, user_id=request.user.pk)


def _upload_page(request, form, problems=()):
    if problems:
        # GOV.UK pairs each summary item with a message by its field.
        form.is_valid()
        form.errors["file"] = form.error_class([
            f"The selected file has {len(problems)} problem{pluralize(len(problems))}; "
            "nothing was imported"
        ])  # fmt: skip
    return render(request, "sampling/caseload_import.html", {"form": form, "problems": problems})


@requires(Permission.VIEW_COVERAGE)
def coverage(request):
    extract = queries.current_extract()
    return render(
        request,
        "sampling/coverage.html",
        {
            "extract": extract,
            "coverage": extract and queries.coverage_for(request.user, extract),
            "can_import": has_permission(request.user, Permission.MANAGE_CASELOAD),
        },
    )


@requires(Permission.VIEW_COVERAGE)
def coverage_export(request):
    extract = queries.current_extract()
    rows = queries.coverage_for(request.user, extract).csv_rows() if extract else []
    response = HttpResponse(
        spreadsheets.to_csv(CSV_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    name = f"coverage-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Permission.MANAGE_CASELOAD)
def sample_draw(request):
    """Options, a preview of the draw, then "Create the cohort" (or, for a cohort drawn
    before, "Replace the draw")."""
    redraw = _cohort_to_redraw(request)
    creating = request.POST.get("action") == "create"
    initial = {"redraw": redraw.id, **redraw.draw.rules_for_form()} if redraw else None
    form = DrawForm(request.POST or None, creating=creating, initial=initial)
    result = None
    valid = request.method == "POST" and form.is_valid()
    # A cohort name refused on Create keeps the preview on the page beside its error.
    name_refused = creating and not valid and set(form.errors) == {"name"}
    if valid or name_refused:
        rules = form.rules()
        try:
            if valid and creating:
                _same_extract(form)
                return _create(request, form, rules, redraw)
            extract, result = actions.draw_sample(rules, leave_out_cohort=redraw)
            if valid:
                # The seed drawn for the preview, and the extract drawn from, go back in the
                # form, so that creating the cohort draws the children previewed.
                form = DrawForm({**request.POST.dict(), "seed": rules.seed,
                                 "extract": extract.pk}, initial=initial)  # fmt: skip
        except (SampleRefused, NotAllowed) as refused:
            form.add_error(None, str(refused))
    extract = queries.current_extract()
    as_of = result and datetime.date.fromisoformat(result["as_of"])
    context = {
        "form": form,
        "redraw": redraw,
        "extract": extract,
        "old_extract": queries.old_extract_warning_for(extract, as_of or timezone.localdate()),
        "result": result,
        "draw": DrawPresenter(result, framework_labels()) if result else None,
    }
    return render(request, "sampling/draw.html", context)


def framework_labels():
    return {framework.key: framework.label for framework in frameworks()}


def _same_extract(form):
    previewed = form.cleaned_data.get("extract")
    current = queries.current_extract()
    if previewed and (current is None or current.pk != previewed):
        raise NotAllowed(
            "A newer caseload extract was imported after this preview: preview the draw again"
        )


def _create(request, form, rules, redraw):
    if redraw:
        cohort = actions.redraw_cohort(by=request.user, cohort=redraw, rules=rules)
        messages.success(request, f"{cohort.name} drawn again with seed {rules.seed}.")
    else:
        name = form.cleaned_data["name"]
        cohort = actions.draw_cohort(by=request.user, name=name, rules=rules)
        messages.success(
            request, f"Cohort {cohort.name} drawn. Add each child's case with a reviewer."
        )
    return redirect("cohort_detail", cohort.id)


def _cohort_to_redraw(request):
    """The cohort named by ?redraw= (or the form's redraw field), which must have been drawn."""
    cohort_id = request.POST.get("redraw") or request.GET.get("redraw")
    if not cohort_id:
        return None
    if not str(cohort_id).isdigit():
        raise Http404
    cohort = get_cohort_for_user(request.user, int(cohort_id))
    if not hasattr(cohort, "draw"):
        raise Http404
    return cohort
