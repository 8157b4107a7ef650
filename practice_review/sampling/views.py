"""The QA lead's page for drawing a cohort from the caseload extract (docs/sampling.md)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from practice_review.core.permissions import Permission, requires
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.queries import frameworks, get_cohort_for_user
from practice_review.sampling import actions
from practice_review.sampling.draw import SampleRefused
from practice_review.sampling.forms import DrawForm
from practice_review.sampling.presenters import DrawPresenter
from practice_review.sampling.queries import current_extract


@requires(Permission.MANAGE_CASELOAD)
def sample_draw(request):
    """Options, a preview of the draw, then "Create the cohort" (or, for a cohort drawn
    before, "Replace the draw")."""
    redraw = _cohort_to_redraw(request)
    creating = request.POST.get("action") == "create"
    initial = {"redraw": redraw.id, **redraw.draw.rules_for_form()} if redraw else None
    form = DrawForm(request.POST or None, creating=creating, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        rules = form.rules()
        try:
            if creating:
                return _create(request, form, rules, redraw)
            _, result = actions.draw_sample(rules, leave_out_cohort=redraw)
            # The seed drawn for the preview goes back in the form, so that creating the
            # cohort draws the children previewed.
            form = DrawForm({**request.POST.dict(), "seed": rules.seed}, initial=initial)
        except (SampleRefused, NotAllowed) as refused:
            form.add_error(None, str(refused))
    context = {
        "form": form,
        "redraw": redraw,
        "extract": current_extract(),
        "result": result,
        "draw": DrawPresenter(result, framework_labels()) if result else None,
    }
    return render(request, "sampling/draw.html", context)


def framework_labels():
    return {framework.key: framework.label for framework in frameworks()}


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
