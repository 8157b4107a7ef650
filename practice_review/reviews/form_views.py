"""The review form: a task list of sections saved as drafts, then submission; sign-off and
reopening by the QA lead; responses by the practitioner and manager."""

from functools import wraps

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from practice_review.core.permissions import Permission, requires
from practice_review.reviews import actions, review_sections, workflow
from practice_review.reviews.models import GradeDescriptor
from practice_review.reviews.practice_window import practice_window
from practice_review.reviews.queries import (
    ReviewClosed,
    can_respond,
    get_review_for_user,
    get_review_to_edit,
    review_answers,
    section_values,
)
from practice_review.reviews.review_forms import (
    SECTION_FORMS,
    ConversationForm,
    ReasonForm,
    ResponseForm,
)
from practice_review.reviews.views import review_page


def review_form_page(view):
    """A page of the review form. For a review the person may still see but nobody may
    change any more (submitted, signed off), it sends them to the review's page, saying since
    when (queries.ReviewClosed); an autosave is told the same in JSON, so a tab left open says
    that, not that the person was signed out."""

    @wraps(view)
    def page(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ReviewClosed as closed:
            if _is_autosave(request):
                return JsonResponse({"submitted": closed.message}, status=409)
            messages.info(request, closed.message)
            return redirect("review_detail", closed.review.id)

    return page


@review_form_page
def review_tasks(request, review_id):
    review = get_review_to_edit(request.user, review_id)
    answers = review_answers(review)
    missing = review_sections.missing(answers)
    sections = review_sections.sections(answers)
    tasks = [
        {
            "section": section,
            "status": review_sections.status(section.key, answers),
            "missing": missing[section.key],
        }
        for section in sections
    ]
    done = sum(
        task["status"] == review_sections.COMPLETED for task in tasks if task["section"].required
    )
    required = sum(section.required for section in sections)
    return render(
        request,
        "reviews/form/tasks.html",
        {
            "review": review,
            "tasks": tasks,
            "done": done,
            "required": required,
            "window": practice_window(review.review_date, review.case_start_date),
        },
    )


def _is_autosave(request):
    return request.headers.get("X-Autosave") == "1"


@review_form_page
def review_section(request, review_id, section):
    """GET shows a section; POST saves it (autosave sends the same POST and gets JSON)."""
    if section not in SECTION_FORMS:
        raise Http404
    review = get_review_to_edit(request.user, review_id)
    if section not in {s.key for s in review_sections.sections_for(review.asks)}:
        raise Http404  # the questions of a template that asks none
    form_class = SECTION_FORMS[section]
    if request.method != "POST":
        version = review.section_versions.get(section, 0)
        form = form_class.showing(review, section_values(review, section), version)
        return _section_page(request, review, form)
    form = form_class(request.POST, review=review)
    result = None
    if form.is_valid():
        try:
            result = actions.save_section(
                review_id=review.id, section=section, values=form.values(),
                seen_version=form.cleaned_data["version"], base=form.cleaned_data["base"],
                by=request.user,
            )  # fmt: skip
        except actions.NotAllowed as refused:
            get_review_to_edit(request.user, review.id)  # submitted meanwhile: ReviewClosed
            form.add_error(None, str(refused))
    if _is_autosave(request):
        return _autosave_response(review, form, result)
    if result is None:
        return _section_page(request, review, form)
    if result.ok:
        messages.success(request, _saved(section, result))
        return redirect("review_tasks", review.id)
    # Their next save is a deliberate choice, made after seeing what clashed: the page holds
    # the merge (their answers where the two clash), over the answers now saved.
    shown = form_class.showing(review, result.shown, result.version, base=result.saved)
    conflicts = _describe_conflicts(shown, result)
    shown.mark_clashes({conflict["field"]: conflict["message"] for conflict in conflicts})
    return _section_page(request, review, shown, conflicts)


def _section_page(request, review, form, conflicts=()):
    section = form.section
    return render(
        request,
        f"reviews/form/section_{section}.html",
        {
            "review": review,
            "form": form,
            "section": review_sections.BY_KEY[section],
            "conflicts": conflicts,
            "descriptors": _descriptors(review) if section == "grades" else None,
            "grade_words": [axis.label for axis in review.asks.grades],
        },
    )


KEPT = "Someone else's changes to other questions in this section were kept."
BLANK = "(blank)"  # an answer not given, as the conflict page shows it


def _saved(section, result):
    saved = f"{review_sections.BY_KEY[section].title} saved"
    return f"{saved}. {KEPT}" if result.kept else saved


def _autosave_response(review, form, result):
    if result is None:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    if not result.ok:
        return JsonResponse({"version": result.version, "conflict": result.conflicts}, status=409)
    saved_at = timezone.localtime(result.saved_at)
    answer = {
        "version": result.version,
        "saved_at": f"{saved_at:%H:%M:%S}",
        "base": form.signed(review, result.saved),
    }
    if result.kept:
        # Someone else's changes were kept: the page shows them (autosave.js puts them in).
        now = form.showing(review, result.saved, result.version)
        answer.update(kept=now.as_sent(result.kept), message=KEPT)
    return JsonResponse(answer)


def _describe_conflicts(form, result):
    rows = {}
    for name in result.conflicts:
        field_name = form.field_for(name)
        if field_name in rows:
            continue
        field = form.fields.get(field_name)
        # An answer kept in two of the review's columns is shown by the one a person reads.
        shown = {"age_at_review": "age_as_written"}.get(field_name, field_name)
        saved = _shown(field, result.saved.get(shown))
        rows[field_name] = {
            "field": field_name,
            "label": form.describe(name),
            "saved": saved,
            "yours": _shown(field, result.shown.get(shown)),
            # Shown at the question itself, so it is marked where it is answered (WCAG 3.3.1).
            "message": _clash(saved),
        }
    return list(rows.values())


def _clash(saved):
    theirs = "cleared this answer" if saved == BLANK else f"saved “{Truncator(saved).chars(120)}”"
    return (
        f"Someone else {theirs} while you were editing. The answer here is yours: keep it or "
        "change it, then save again"
    )


def _shown(field, value):
    if value in (None, "", []):
        return BLANK
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(choices.get(value, value))


def _descriptors(review):
    """[(axis label, [(grade label, descriptor)], where they are from)] the reviewer is shown:
    the review's template's own descriptors for an axis, and where it gives none the council's
    descriptor set recorded on the review (docs/audit-templates.md#grade-descriptors)."""
    asks = review.asks
    recorded = {
        (d.axis, d.grade): d.text
        for d in GradeDescriptor.objects.filter(descriptor_set=review.descriptor_set_id)
    }
    shown = []
    for axis in asks.grades:
        if any(level.descriptor for level in axis.levels):
            rows = [(level.label, level.descriptor) for level in axis.levels]
            source = f"{asks.name}, version {asks.version}"
        else:
            rows = [(level.label, recorded.get((axis.key, level.key), "")) for level in axis.levels]
            set_version = review.descriptor_set.version if review.descriptor_set else 1
            source = f"the council's grade descriptors, version {set_version}"
        if any(text for _, text in rows):
            shown.append((axis.label, rows, source))
    return shown


def item_list_page(request, review_id, *, form_class, add, message, template, items):
    """A section that is a list: the items so far and a form to add one more."""
    review = get_review_to_edit(request.user, review_id)
    form = form_class(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        add(review=review, by=request.user, **form.cleaned_data)
        messages.success(request, message)
        return redirect(request.path)
    return render(request, template, {"review": review, "form": form, "items": items(review)})


@review_form_page
def review_conversations(request, review_id):
    return item_list_page(
        request,
        review_id,
        form_class=ConversationForm,
        add=actions.add_conversation,
        message="Conversation added",
        template="reviews/form/conversations.html",
        items=lambda review: review.conversations.all(),
    )


@require_POST
@review_form_page
def review_remove_item(request, review_id, kind, item_id):
    review = get_review_to_edit(request.user, review_id)
    # Recommendations are removed through the tracker (tracker/views.py), which keeps those it
    # already tracks; this view removes conversations.
    if kind != "conversations":
        raise Http404
    item = get_object_or_404(review.conversations, pk=item_id)
    try:
        actions.remove_item(review=review, item=item, by=request.user)
    except actions.NotAllowed as refused:
        messages.warning(request, str(refused))
    else:
        messages.success(request, "Conversation removed")
    return redirect("review_conversations", review.id)


@review_form_page
def review_submit(request, review_id):
    review = get_review_to_edit(request.user, review_id)
    answers = review_answers(review)
    missing = review_sections.missing(answers)
    if request.method == "POST" and review_sections.ready_to_submit(answers):
        try:
            actions.submit_review(review=review, by=request.user, answers=answers)
        except actions.NotAllowed:
            # Submitted meanwhile (a second click in another tab): ReviewClosed. Otherwise
            # not started, which the page never offers.
            get_review_to_edit(request.user, review.id)
            raise Http404 from None
        messages.success(
            request, "Review submitted. The practitioner and their manager can now read it."
        )
        return redirect("review_detail", review.id)
    problems = [
        (section, need)
        for section in review_sections.sections(answers)
        for need in missing[section.key]
    ]
    return render(
        request,
        "reviews/form/submit.html",
        {"review": review, "problems": problems, "questions": review.questions()},
    )


@require_POST
@requires(Permission.SIGN_OFF_REVIEWS)
def review_sign_off(request, review_id):
    review = get_review_for_user(request.user, review_id)
    if not workflow.can("sign_off", review.status, request.user.role):
        raise Http404
    try:
        actions.sign_off_review(review=review, by=request.user)
    except actions.NotAllowed:
        raise Http404 from None
    messages.success(request, "Review signed off: it is now final")
    return redirect("review_detail", review.id)


@requires(Permission.SIGN_OFF_REVIEWS)
def review_reopen(request, review_id):
    review = get_review_for_user(request.user, review_id)
    if not workflow.can("reopen", review.status, request.user.role):
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reopen_review(
                review=review, by=request.user, reason=form.cleaned_data["reason"]
            )
        except actions.NotAllowed:
            raise Http404 from None
        messages.success(request, "Review reopened: the reviewer can change it again")
        return redirect("review_detail", review.id)
    return render(request, "reviews/form/reopen.html", {"review": review, "form": form})


@require_POST
def review_respond(request, review_id):
    review = get_review_for_user(request.user, review_id)
    if not can_respond(request.user, review):
        raise Http404
    form = ResponseForm(request.POST)
    if form.is_valid():
        actions.record_response(review=review, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Your reflection and response has been added")
        return redirect("review_detail", review.id)
    return review_page(request, review, response_form=form)
