"""The QA lead's data protection pages for one child: legal hold and subject access."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from practice_review.core.permissions import Permission, requires
from practice_review.data_protection import retention
from practice_review.data_protection.forms import FindChildForm, LegalHoldForm
from practice_review.data_protection.legal_hold import set_legal_hold
from practice_review.data_protection.queries import (
    find_child_by_case_ref,
    get_child_for_data_protection,
    reviews_of_child,
)
from practice_review.data_protection.subject_access import subject_access_zip


@requires(Permission.MANAGE_DATA_PROTECTION)
def child_search(request):
    form = FindChildForm(request.GET or None)
    if form.is_valid():
        child = find_child_by_case_ref(request.user, form.cleaned_data["case_ref"])
        if child is not None:
            return redirect("child_detail", child.id)
        form.add_error("case_ref", "No child has that case reference: check it and try again")
    return render(request, "data_protection/child_search.html", {"form": form})


def child_detail(request, child_id):
    child = get_child_for_data_protection(request.user, child_id)
    years = settings.RETENTION_YEARS
    reviews = [
        (review, retention.kept_until(review.review_date, years))
        for review in reviews_of_child(request.user, child)
    ]
    return render(
        request,
        "data_protection/child_detail.html",
        {"child": child, "reviews": reviews, "retention_years": years},
    )


def child_legal_hold(request, child_id):
    child = get_child_for_data_protection(request.user, child_id)
    form = LegalHoldForm(request.POST or None, placing=not child.legal_hold)
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["hold"] == "on"
        set_legal_hold(by=request.user, child=child, on=on, reason=form.cleaned_data["reason"])
        messages.success(request, "Legal hold placed." if on else "Legal hold removed.")
        return redirect("child_detail", child.id)
    return render(request, "data_protection/child_legal_hold.html", {"child": child, "form": form})


def child_subject_access(request, child_id):
    """POST only: a download that is audited must not be set off by a link prefetch."""
    child = get_child_for_data_protection(request.user, child_id)
    if request.method != "POST":
        return redirect("child_detail", child.id)
    content = subject_access_zip(by=request.user, child=child)
    response = HttpResponse(content, content_type="application/zip")
    # The file name carries the child's id only, never their initials or case reference.
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-child-{child.id}-{stamp}.zip"'
    )
    return response
