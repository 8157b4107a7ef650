"""Moderation meetings in the app. The QA lead plans and runs them; senior leaders read them."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practice_review.core.permissions import Permission, has_permission, requires
from practice_review.core.text import pluralize
from practice_review.moderation import actions, queries
from practice_review.moderation.agenda import (
    REASONS,
    disagreement,
    meeting_overdue,
    next_meeting_due,
)
from practice_review.moderation.forms import (
    DecisionForm,
    LearningPointForm,
    MeetingForm,
    RecommendationForm,
)
from practice_review.moderation.models import AgendaReview
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.answers import grade_field
from practice_review.reviews.queries import reviews_visible_to


@requires(Permission.VIEW_MODERATION)
def meeting_list(request):
    last = queries.previous_meeting()
    next_due = next_meeting_due(last and last.held_on, settings.MODERATION_EVERY_MONTHS)
    return render(
        request,
        "moderation/list.html",
        {
            "meetings": queries.meetings_with_counts(request.user),
            "waiting": queries.reviews_awaiting_moderation().count(),
            "next_due": next_due,
            "meeting_overdue": meeting_overdue(next_due, timezone.localdate()),
            "can_moderate": has_permission(request.user, Permission.MODERATE),
            "every_months": settings.MODERATION_EVERY_MONTHS,
        },
    )


@requires(Permission.MODERATE)
def meeting_create(request):
    form = MeetingForm(request.POST or None, candidates=queries.reviews_awaiting_moderation())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = actions.plan_meeting(
            by=request.user,
            held_on=data["held_on"],
            attendees=data["attendees"],
            reviews=data["reviews"],
        )
        count = meeting.agenda.count()
        messages.success(request, f"Meeting planned with {count} review{pluralize(count)}.")
        return redirect("meeting_detail", meeting.pk)
    return render(request, "moderation/meeting_form.html", {"form": form})


@requires(Permission.VIEW_MODERATION)
def meeting_detail(request, meeting_id, forms=None):
    meeting = queries.get_meeting_for_user(request.user, meeting_id)
    agenda = list(
        meeting.agenda.select_related(
            "review__child",
            "review__cohort",
            "review__reviewer",
            "review__second_reviewer",
            "review__template",
        )
    )
    forms = forms or {}
    return render(
        request,
        "moderation/meeting.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "gaps": [item for item in agenda if "gap" in item.reasons],
            "disagreements": [
                (
                    item,
                    [row for row in item.review.grade_rows if row.key in disagreement(item.review)],
                )
                for item in agenda
                if "disagreement" in item.reasons
            ],  # fmt: skip
            "reasons": REASONS,
            "alerts": queries.open_alerts(),
            "overdue": queries.overdue_recommendations(),
            "impact_due": queries.impact_checks_due(),
            "learning_points": meeting.learning_points.select_related("by"),
            "raised": meeting.raised.select_related("recommendation__owner"),
            "can_moderate": has_permission(request.user, Permission.MODERATE)
            and not meeting.closed_at,
            "learning_form": forms.get("learning")
            or LearningPointForm(prefix="learning", meeting=meeting),
            "recommendation_form": forms.get("recommendation")
            or RecommendationForm(prefix="recommendation", meeting=meeting),
        },
        status=400 if forms else 200,
    )


@requires(Permission.MODERATE)
def decide(request, meeting_id, item_id):
    item = get_object_or_404(
        AgendaReview.objects.select_related("review__child", "meeting"),
        pk=item_id,
        meeting__in=queries.meetings_visible_to(request.user),
        meeting_id=meeting_id,
        meeting__closed_at__isnull=True,  # a closed meeting's decisions are its record
    )
    review = item.review
    initial = {
        grade_field(axis): item.agreed_grades.get(axis) or review.grade(axis)
        for axis in review.axis_keys
    }
    form = DecisionForm(request.POST or None, initial={**initial, "reason": item.reason},
                        review=review)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            actions.moderate(by=request.user, item=item, grades=form.grades(),
                             reason=form.cleaned_data["reason"])  # fmt: skip
        except NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Decision recorded for {review.child.initials}.")
            return redirect(f"{_meeting_url(item.meeting)}#agenda")
    return render(
        request,
        "moderation/decide.html",
        {
            "item": item,
            "review": review,
            "form": form,
            "reasons": [REASONS[reason] for reason in item.reasons],
            "disagreement": disagreement(review),
        },
    )


@require_POST
@requires(Permission.MODERATE)
def add_learning_point(request, meeting_id):
    return _meeting_write(
        request,
        meeting_id,
        "learning",
        LearningPointForm,
        actions.add_learning_point,
        "Learning point added.",
    )


@require_POST
@requires(Permission.MODERATE)
def raise_recommendation(request, meeting_id):
    return _meeting_write(
        request,
        meeting_id,
        "recommendation",
        RecommendationForm,
        actions.raise_recommendation,
        "Recommendation raised.",
    )


@requires(Permission.MODERATE)
def close_meeting(request, meeting_id):
    """Asks first (a closed meeting cannot be opened again), then closes on the POST."""
    meeting = queries.get_meeting_for_user(request.user, meeting_id)
    if meeting.closed_at:
        return redirect("meeting_detail", meeting.pk)
    if request.method != "POST":
        decided = meeting.agenda.filter(decided_at__isnull=False).count()
        return render(
            request,
            "moderation/close.html",
            {"meeting": meeting, "decided": decided, "undecided": meeting.agenda.count() - decided},
        )
    try:
        actions.close_meeting(by=request.user, meeting=meeting)
    except NotAllowed as refusal:
        messages.warning(request, str(refusal))
    else:
        messages.success(request, "The meeting is closed. Its record is kept as it is.")
    return redirect("meeting_detail", meeting.pk)


@requires(Permission.VIEW_MODERATION)
def recurring(request):
    cohorts, found = queries.recurring_findings(reviews_visible_to(request.user))
    return render(
        request,
        "moderation/recurring.html",
        {
            "cohorts": cohorts,
            "findings": found,
            "can_raise": has_permission(request.user, Permission.MODERATE),
        },
    )


@requires(Permission.MODERATE)
def raise_for_finding(request):
    """A service-level recommendation for a recurring finding, the form filled in from it."""
    label = request.GET.get("finding", "")[:300]
    initial = {"action": f"Address the recurring finding \u201c{label}\u201d." if label else ""}
    form = RecommendationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.raise_for_finding(by=request.user, **form.cleaned_data)
        messages.success(request, "Recommendation raised. It is tracked with every other one.")
        return redirect("recurring_findings")
    return render(request, "moderation/raise.html", {"form": form, "finding": label})


def _meeting_write(request, meeting_id, name, form_class, action, done):
    meeting = queries.get_meeting_for_user(request.user, meeting_id)
    # Prefixed: two forms on one page must not share field ids.
    form = form_class(request.POST, prefix=name, meeting=meeting)
    if not form.is_valid():
        return meeting_detail(request, meeting_id, forms={name: form})
    try:
        action(by=request.user, meeting=meeting, **form.cleaned_data)
    except NotAllowed as refusal:
        messages.warning(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect(f"{_meeting_url(meeting)}#{name}")


def _meeting_url(meeting):
    return reverse("meeting_detail", args=[meeting.pk])
