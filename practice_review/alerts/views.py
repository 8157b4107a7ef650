"""The alerts pages: list, detail (acknowledge, close) and raising one on a review.

Each view scopes first (`alerts_visible_to`, `get_review_for_user`): out of scope is a 404, and
so is an action the person may not take, so a page never confirms that an alert exists.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from practice_review.accounts.models import StaffMember
from practice_review.alerts import actions
from practice_review.alerts.presenters import AlertSummary, summarise
from practice_review.alerts.queries import (
    alerts_visible_to,
    get_alert_for_user,
    may_act_on_alert,
    may_raise_alert,
)
from practice_review.alerts.rules import SEVERITIES, AlertNotAllowed
from practice_review.core.permissions import Permission, requires
from practice_review.reviews.queries import get_review_for_user, reviews_visible_to


class RaiseAlertForm(forms.Form):
    concern = forms.CharField(
        label="What is the concern?",
        help_text="What you found and what needs to happen. It is not put in the email: "
        "people read it here after signing in.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the concern is"},
    )
    severity = forms.ChoiceField(
        label="How serious is it?",
        choices=SEVERITIES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how serious the concern is"},
    )
    must_act = forms.ModelChoiceField(
        label="Who must act?",
        help_text="The allocated worker's manager and the QA lead are emailed at once.",
        queryset=StaffMember.objects.all(),
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Select who must act",
            "invalid_choice": "Select who must act from the list",
        },
    )


class CloseAlertForm(forms.Form):
    action_taken = forms.CharField(
        label="What was done?",
        help_text="Closing the alert records this, with your name and the time.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what was done before closing the alert"},
    )


@requires(Permission.VIEW_ALERTS)
def alert_list(request):
    rows = summarise(alerts_visible_to(request.user))
    return render(
        request,
        "alerts/alert_list.html",
        {
            "open_alerts": [row for row in rows if not row.closed_at],
            "closed_alerts": [row for row in rows if row.closed_at],
        },
    )


def alert_detail(request, alert_id):
    alert = get_alert_for_user(request.user, alert_id)
    return _detail_page(request, alert, CloseAlertForm())


@require_POST
def acknowledge(request, alert_id):
    alert = _alert_to_act_on(request.user, alert_id)
    try:
        actions.acknowledge_alert(alert=alert, by=request.user)
    except AlertNotAllowed as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(request, f"You acknowledged {alert.reference}")
    return redirect("alert_detail", alert.pk)


@require_POST
def close(request, alert_id):
    alert = _alert_to_act_on(request.user, alert_id)
    form = CloseAlertForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, alert, form)
    try:
        actions.close_alert(
            alert=alert, action_taken=form.cleaned_data["action_taken"], by=request.user
        )
    except AlertNotAllowed as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(request, f"You closed {alert.reference}")
    return redirect("alert_detail", alert.pk)


def raise_alert(request, review_id):
    review = get_review_for_user(request.user, review_id)
    if not may_raise_alert(request.user, review):
        raise Http404
    form = RaiseAlertForm(request.POST or None, initial={"must_act": review.supervisor_id})
    if request.method == "POST" and form.is_valid():
        alert = actions.raise_alert(review=review, by=request.user, **form.cleaned_data)
        deadline = timezone.localtime(alert.acknowledge_by)
        messages.success(
            request,
            f"Alert {alert.reference} raised and emailed. It must be acknowledged by "
            f"{deadline:%H:%M on %-d %B %Y}.",
        )
        return redirect("alert_detail", alert.pk)
    return render(request, "alerts/raise_alert.html", {"review": review, "form": form})


def _alert_to_act_on(user, alert_id):
    alert = get_alert_for_user(user, alert_id)
    if not may_act_on_alert(user, alert):
        raise Http404
    return alert


def _detail_page(request, alert, close_form):
    user = request.user
    context = {
        "alert": AlertSummary(alert),
        "can_act": may_act_on_alert(user, alert),
        "review_visible": reviews_visible_to(user).filter(pk=alert.review_id).exists(),
        "close_form": close_form,
    }
    return render(request, "alerts/alert_detail.html", context)
