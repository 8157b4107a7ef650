"""The tracker's pages: the list (with filters and export), a recommendation's page, and its
actions (update, status, impact check, sign-off).

Each view scopes first (`recommendations_visible_to`, `get_recommendation_for_user`): out of
scope is a 404, and so is an action the person may not take, so a page never confirms that a
recommendation exists.
"""

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practice_review.core import spreadsheets
from practice_review.reviews import actions as review_actions
from practice_review.reviews.form_views import item_list_page, review_form_page
from practice_review.reviews.queries import get_review_to_edit, reviews_visible_to
from practice_review.tracker import actions, queries
from practice_review.tracker.forms import (
    ChildRecommendationForm,
    FilterForm,
    ImpactCheckForm,
    StatusForm,
    UpdateForm,
)
from practice_review.tracker.rules import ACTIVE_STATUSES, NotAllowed

EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", spreadsheets.to_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        partial(spreadsheets.to_xlsx, title="Recommendations"),
    ),
}


def tracker_list(request):
    form, rows = _filtered(request)
    query = request.GET.urlencode()
    return render(
        request,
        "tracker/list.html",
        {
            "form": form,
            "rows": rows,
            "overdue": sum(row.overdue for row in rows),
            "impact_due": sum(row.impact_due for row in rows),
            "query": f"?{query}" if query else "",
        },
    )


def tracker_export(request, file_type):
    if file_type not in EXPORT_TYPES:
        raise Http404
    form, rows = _filtered(request)
    if form.errors:
        return redirect(f"{reverse('tracker_list')}?{request.GET.urlencode()}")
    content_type, write = EXPORT_TYPES[file_type]
    response = HttpResponse(write(*queries.export_table(rows)), content_type=content_type)
    name = f"recommendations-{timezone.localdate():%Y-%m-%d}.{file_type}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def tracker_detail(request, recommendation_id):
    recommendation = queries.get_recommendation_for_user(request.user, recommendation_id)
    return _detail_page(request, recommendation)


@require_POST
def add_update(request, recommendation_id):
    recommendation = _to_update(request.user, recommendation_id)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, recommendation, update_form=form)
    return _act(
        request,
        recommendation,
        lambda: actions.add_update(
            recommendation=recommendation, text=form.cleaned_data["text"], by=request.user
        ),
        "Update added",
    )


@require_POST
def change_status(request, recommendation_id):
    recommendation = _to_update(request.user, recommendation_id)
    form = StatusForm(request.POST, current=recommendation.status)
    if not form.is_valid():
        return _detail_page(request, recommendation, status_form=form)
    return _act(
        request,
        recommendation,
        lambda: actions.change_status(
            recommendation=recommendation, by=request.user, **form.cleaned_data
        ),
        "Status changed",
    )


@require_POST
def record_impact(request, recommendation_id):
    recommendation = queries.get_recommendation_for_user(request.user, recommendation_id)
    if not queries.may_record_impact(request.user, recommendation):
        raise Http404
    form = ImpactCheckForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, recommendation, impact_form=form)
    return _act(
        request,
        recommendation,
        lambda: actions.record_impact_check(
            recommendation=recommendation, by=request.user, **form.cleaned_data
        ),
        "Impact check recorded. The QA lead signs it off.",
    )


@require_POST
def sign_off_impact(request, recommendation_id):
    recommendation = queries.get_recommendation_for_user(request.user, recommendation_id)
    if not queries.may_sign_off_impact(request.user, recommendation):
        raise Http404
    return _act(
        request,
        recommendation,
        lambda: actions.sign_off_impact_check(recommendation=recommendation, by=request.user),
        "Impact check signed off",
    )


def _filtered(request):
    if not queries.may_use_tracker(request.user):
        raise Http404
    visible = queries.recommendations_visible_to(request.user)
    form = FilterForm(request.GET or None, visible=visible)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = queries.rows_for(queries.with_details(queries.filter_recommendations(visible, filters)))
    return form, rows


def _to_update(user, recommendation_id):
    recommendation = queries.get_recommendation_for_user(user, recommendation_id)
    if not queries.may_update(user, recommendation):
        raise Http404
    return recommendation


def _act(request, recommendation, action, success):
    try:
        action()
    except NotAllowed as refusal:
        messages.warning(request, str(refusal))
    else:
        messages.success(request, success)
    return redirect("tracker_detail", recommendation.pk)


def _detail_page(request, recommendation, **forms):
    user = request.user
    row = queries.rows_for([recommendation])[0]
    can_update = queries.may_update(user, recommendation)
    context = {
        "row": row,
        "updates": recommendation.updates.select_related("by"),
        "can_update": can_update and recommendation.status in ACTIVE_STATUSES,
        "can_record_impact": queries.may_record_impact(user, recommendation),
        "can_sign_off": queries.may_sign_off_impact(user, recommendation),
        "review_visible": bool(recommendation.review_id)
        and reviews_visible_to(user).filter(pk=recommendation.review_id).exists(),
        "update_form": forms.get("update_form") or UpdateForm(),
        "status_form": forms.get("status_form") or StatusForm(current=recommendation.status),
        "impact_form": forms.get("impact_form") or ImpactCheckForm(),
        "has_errors": any(form.errors for form in forms.values()),
    }
    return render(request, "tracker/detail.html", context)


# The review form's "Recommendations for the child" section: the reviewer adds them while the
# review is a draft; the tracker follows them up once it is submitted.


@review_form_page
def review_recommendations(request, review_id):
    return item_list_page(
        request,
        review_id,
        form_class=ChildRecommendationForm,
        add=actions.add_child_recommendation,
        message="Recommendation added",
        template="tracker/review_recommendations.html",
        items=lambda review: review.recommendations.select_related("owner"),
    )


@require_POST
@review_form_page
def review_remove_recommendation(request, review_id, item_id):
    review = get_review_to_edit(request.user, review_id)
    recommendation = get_object_or_404(review.recommendations, pk=item_id)
    try:
        actions.remove_child_recommendation(
            review=review, recommendation=recommendation, by=request.user
        )
    except (NotAllowed, review_actions.NotAllowed) as refused:
        messages.warning(request, str(refused))
    else:
        messages.success(request, "Recommendation removed")
    return redirect("review_recommendations", review.id)
