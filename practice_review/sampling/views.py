"""The sampling app's pages: the caseload extract (docs/sampling.md#the-caseload-extract)
and who has been reviewed (coverage)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from practice_review.core import spreadsheets
from practice_review.core.permissions import Permission, has_permission, requires
from practice_review.core.text import pluralize
from practice_review.core.uploads import (
    HeldUploadRefused,
    claim_held_upload,
    discard_held_upload,
    hold_upload,
)
from practice_review.sampling import queries
from practice_review.sampling.actions import import_extract, plan_extract
from practice_review.sampling.coverage import CSV_HEADER
from practice_review.sampling.forms import CaseloadFileForm

# The token of the extract this person is checking, so Cancel (a link) knows what to remove.
HELD_EXTRACT = "held_caseload_extract"


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
        plan = plan_extract(data=data, file_name=upload.name, by=request.user)
        if not plan.ok:
            return _upload_page(request, form, plan.problems)
        _forget_held_extract(request)
        token = hold_upload(data, user_id=request.user.pk, details={"file_name": upload.name})
        request.session[HELD_EXTRACT] = token
        context = {"plan": plan, "token": token, "file_name": upload.name}
        return render(request, "sampling/caseload_check.html", context)
    return _upload_page(request, form)


@require_POST
@requires(Permission.MANAGE_CASELOAD)
def caseload_import_confirm(request):
    """Confirm and import: the held extract is imported all or nothing, once, by its uploader."""
    try:
        held = claim_held_upload(request.POST.get("token", ""), user_id=request.user.pk)
    except HeldUploadRefused as refused:
        messages.error(request, str(refused))
        return redirect("caseload_import")
    request.session.pop(HELD_EXTRACT, None)
    result = import_extract(by=request.user, data=held.data, file_name=held.details["file_name"])
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
    token = request.session.pop(HELD_EXTRACT, None)
    if token:
        discard_held_upload(token, user_id=request.user.pk)


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
