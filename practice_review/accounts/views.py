"""The approvals page of the two-person rule (change_rules.py): the changes to accounts that
wait for a QA lead or a superuser, and the decision on one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from practice_review.accounts import actions, queries
from practice_review.accounts.change_rules import NotAllowed
from practice_review.accounts.forms import DecisionForm
from practice_review.accounts.presenters import AccountChangePresenter
from practice_review.core.permissions import Permission, requires


@requires(Permission.APPROVE_ACCOUNT_CHANGES)
@require_http_methods(["GET"])
def account_approvals(request):
    changes = [
        AccountChangePresenter(change, request.user)
        for change in queries.changes_waiting(request.user)
    ]
    return render(request, "accounts/approvals.html", {"changes": changes})


@requires(Permission.APPROVE_ACCOUNT_CHANGES)
@require_http_methods(["GET", "POST"])
def account_approval(request, change_id):
    change = queries.get_change_to_decide(request.user, change_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.approving:
                actions.approve_account_change(change=change, by=request.user)
            else:
                actions.decline_account_change(
                    change=change, reason=form.cleaned_data["reason"], by=request.user
                )
        except NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            done = "approved and made" if form.approving else "declined: nothing was changed"
            messages.success(
                request,
                f"Change {done} for {change.account.username}. They and the administrator "
                "who asked have been emailed.",
            )
            return redirect("account_approvals")
    presenter = AccountChangePresenter(change, request.user)
    return render(request, "accounts/approval.html", {"item": presenter, "form": form})
