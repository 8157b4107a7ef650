"""Summary reports in the app: the list, the builder, the narrative, publishing, downloads.

QA leads write and publish; senior leaders read. Figures are computed over the reviews the
reader may see (both roles see every review, as docs/spec/domain.md#who-sees-what says).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from practice_review.core.csp import allow_own_style_elements
from practice_review.core.permissions import Permission, has_permission, requires
from practice_review.reports import actions
from practice_review.reports.builder import (
    INTERNAL,
    WIDER,
    Section,
    narrative_parts,
    report_from_dict,
)
from practice_review.reports.checks import Problem, problems_digest, with_placeholder
from practice_review.reports.drafts import Draft, coverage_of
from practice_review.reports.forms import CoverageForm, NarrativeForm, PublishForm
from practice_review.reports.models import AUDIENCES, SummaryReport
from practice_review.reports.narrative import blocks
from practice_review.reports.queries import get_report_for_user, reports_visible_to
from practice_review.reports.renderers import RENDERERS
from practice_review.reports.unavailable import explains_missing_library
from practice_review.reviews.queries import reviews_visible_to

EDITIONS = {INTERNAL: "full", WIDER: "wider-circulation"}


def _draft(request, report):
    return Draft(report, reviews_visible_to(request.user))


@requires(Permission.VIEW_REPORTS)
def report_list(request):
    reports = reports_visible_to(request.user).prefetch_related("versions", "cohorts")
    return render(
        request,
        "reports/list.html",
        {
            "reports": reports,
            "can_write": has_permission(request.user, Permission.WRITE_REPORTS),
        },
    )


@requires(Permission.WRITE_REPORTS)
def report_create(request):
    form = CoverageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = actions.create_report(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            "Draft report created from the reviews. Check it, write the "
            "narrative, then publish it.",
        )
        return redirect("report_detail", report.pk)
    return render(request, "reports/coverage_form.html", {"form": form, "report": None})


@requires(Permission.WRITE_REPORTS)
def report_coverage(request, report_id):
    report = get_report_for_user(request.user, report_id)
    form = CoverageForm(request.POST or None, initial=CoverageForm.initial_for(report))
    if request.method == "POST" and form.is_valid():
        actions.change_coverage(by=request.user, report=report, **form.cleaned_data)
        messages.success(request, "What the report covers has been changed.")
        return redirect("report_detail", report.pk)
    return render(request, "reports/coverage_form.html", {"form": form, "report": report})


@requires(Permission.VIEW_REPORTS)
def report_detail(request, report_id, publish_form=None):
    report = get_report_for_user(request.user, report_id)
    draft = _draft(request, report)
    can_write = has_permission(request.user, Permission.WRITE_REPORTS)
    return render(
        request,
        "reports/draft.html",
        {
            "report": report,
            "draft": draft,
            "coverage": coverage_of(report),
            "document": draft.document(marked=True),
            "can_write": can_write,
            "publish_form": publish_form or _publish_form(draft),
            "versions": report.versions.select_related("published_by"),
            "formats": [(key, RENDERERS[key].content_type) for key in ("docx", "pdf")],
        },
        status=400 if publish_form else 200,
    )


STALE = "Someone else changed this report while you were writing"


@requires(Permission.WRITE_REPORTS)
def report_part(request, report_id, part):
    """The editor for one part. Besides Save, each figure-check problem that has a placeholder
    offers a button ("use_figure") that saves the text in the box with the placeholder put in
    place of the wrong words, and comes back here to show the result."""
    report = get_report_for_user(request.user, report_id)
    draft = _draft(request, report)
    where = _where(draft, part)  # a part the report does not have is not found
    initial = {"text": draft.narrative[part], "version": report.version}
    form = NarrativeForm(request.POST or None, initial=initial)
    if not (request.method == "POST" and form.is_valid()):
        return _part_page(request, draft, part, form)
    text, used = form.cleaned_data["text"], None
    if "use_figure" in request.POST:
        used = _offered(draft.problems_in(part, text), request.POST["use_figure"])
        if used is None:
            form.add_error(None, "The text changed after the list of problems was made. The "
                                 "list below is up to date: choose again.")  # fmt: skip
            return _part_page(request, draft, part, form, status=409)
        text = with_placeholder(text, used)
    try:
        actions.save_narrative(by=request.user, report=report, part=part, text=text,
                               version=form.cleaned_data["version"])  # fmt: skip
    except actions.StaleNarrative:
        # Keep their words; the next save starts from the version now stored.
        form = NarrativeForm({"text": text, "version": report.version})
        form.add_error(None, f"{STALE}: your text is not saved yet. Combine it with theirs "
                             "(below the box), then save again.")  # fmt: skip
        return _part_page(request, draft, part, form, status=409, stale=True)
    if used is not None:
        shown = draft.placeholders()[used.placeholder.strip("{}")][0]
        messages.success(request, f"Saved with {used.placeholder} in place of "
                                  f"\u201c{used.text}\u201d: it shows {shown}.")  # fmt: skip
        return redirect(f"{request.path}#figure-problems")
    _say_what_the_check_found(request, report, part, where)
    return redirect(f"{report.get_absolute_url()}#part-{part}")


def _part_page(request, draft, part, form, status=200, stale=False):
    box = form.text_in_box()
    # The problems of the text in the box, so each offered placeholder fits what is there.
    problems = draft.problems_in(part, box)
    where = _where(draft, part)
    # The text in the box as the report will show it, figures filled in, problems marked.
    marked = [problem.text for problem in problems]
    preview = Section("", where, narrative=blocks(box, draft.placeholders(), marked))
    return render(request, "reports/part_form.html", {
        "report": draft.report, "draft": draft, "part": part, "where": where, "form": form,
        "stale": stale, "current_text": draft.narrative[part], "preview": preview,
        "problems": problems, "offers_placeholder": any(problem.span for problem in problems),
        "placeholders": draft.placeholders().items(),
    }, status=status)  # fmt: skip


def _offered(problems, chosen):
    """The problem whose placeholder the author chose ("start-end", where its words are in the
    box), or None when the box no longer has a problem there."""
    for problem in problems:
        if problem.span and "-".join(map(str, problem.span)) == chosen:
            return problem
    return None


@require_POST
@requires(Permission.WRITE_REPORTS)
def report_part_restore(request, report_id, part):
    report = get_report_for_user(request.user, report_id)
    where = _where(_draft(request, report), part)
    try:
        version = int(request.POST.get("version", ""))
        actions.restore_default(by=request.user, report=report, part=part, version=version)
    except (ValueError, actions.StaleNarrative):
        messages.warning(request, f"{STALE}, so {where} was not started again. Check it now.")
    else:
        messages.success(request, f"{where} now follows the reviews again.")
    return redirect(f"{report.get_absolute_url()}#part-{part}")


def _where(draft, part):
    where = dict(draft.parts).get(part)
    if where is None:
        raise Http404
    return where


def _say_what_the_check_found(request, report, part, where):
    found = _draft(request, SummaryReport.objects.get(pk=report.pk)).problems_in(part)
    if found:
        count = len(found)
        messages.warning(request, f"Saved. The figure check found {count} "
                                  f"problem{'s' if count != 1 else ''} in {where}.")  # fmt: skip
    else:
        messages.success(request, f"{where} saved.")


def _publish_form(draft, data=None):
    initial = {"version": draft.report.version, "seen_problems": problems_digest(draft.problems)}
    return PublishForm(data, initial=initial, problems=draft.problems)


@require_POST
@requires(Permission.WRITE_REPORTS)
def report_publish(request, report_id):
    report = get_report_for_user(request.user, report_id)
    draft = _draft(request, report)
    form = _publish_form(draft, request.POST)
    if not form.is_valid():
        return report_detail(request, report_id, publish_form=form)
    try:
        version = actions.publish(
            by=request.user,
            report=report,
            reviews=reviews_visible_to(request.user),
            version=form.cleaned_data["version"],
            seen_problems=form.cleaned_data["seen_problems"],
            override_reason=form.cleaned_data["override_reason"],
        )
    except (actions.StaleNarrative, actions.Unchecked):
        # The draft changed between the page and the click: show it as it is now, with the
        # form set to publish that (and asking again for a reason if there are problems).
        now = _draft(request, SummaryReport.objects.get(pk=report.pk))
        fresh = _publish_form(now, {"version": now.report.version,
                                    "seen_problems": problems_digest(now.problems)})  # fmt: skip
        fresh.is_valid()
        fresh.add_error(None, "The report changed after you opened it. Read it again as it is "
                              "now, then publish.")  # fmt: skip
        return report_detail(request, report_id, publish_form=fresh)
    messages.success(request, f"Version {version.number} published.")
    return redirect("report_version", report.pk, version.number)


@requires(Permission.VIEW_REPORTS)
def report_preview(request, report_id):
    """Both editions of the draft side by side, as publishing would make them, so the QA lead
    reads what the wider edition leaves out before it goes anywhere."""
    report = get_report_for_user(request.user, report_id)
    draft = _draft(request, report)
    editions = [(label, EDITIONS[audience], draft.document(audience, draft=True))
                for audience, label in AUDIENCES]  # fmt: skip
    return render(request, "reports/preview.html", {"report": report, "editions": editions})


@requires(Permission.VIEW_REPORTS)
@explains_missing_library
def report_draft_file(request, report_id, edition, format):
    report = get_report_for_user(request.user, report_id)
    document = _draft(request, report).document(_audience(edition), draft=True)
    return _file(
        RENDERERS[format]().render(document), format, f"{_slug(report.title)}-draft-{edition}"
    )


@requires(Permission.VIEW_REPORTS)
def report_version(request, report_id, number):
    report = get_report_for_user(request.user, report_id)
    version = get_object_or_404(report.versions.select_related("published_by"), number=number)
    return render(
        request,
        "reports/version.html",
        {
            "report": report,
            "version": version,
            "document": report_from_dict(version.documents[INTERNAL]),
            "editions": [(EDITIONS[key], label) for key, label in AUDIENCES],
            "overridden": _overridden(version),
        },
    )


def _overridden(version):
    """The problems the version was published with, as checks.Problem, to list like a draft's."""
    where = dict(narrative_parts())
    return [
        Problem(p["part"], p["text"], p["problem"], where.get(p["part"], ""))
        for p in version.overridden_problems
    ]


@requires(Permission.VIEW_REPORTS)
@explains_missing_library
def report_version_file(request, report_id, number, edition, format):
    report = get_report_for_user(request.user, report_id)
    version = get_object_or_404(report.versions, number=number)
    stored = actions.published_file(version, _audience(edition), format)
    return _file(bytes(stored.content), format, f"{_slug(report.title)}-v{number}-{edition}")


@requires(Permission.VIEW_REPORTS)
def report_figures(request, report_id, number=None):
    """The figures as JSON (docs/spec/interchange.md#where-figures-are-served): the draft's as they
    are now, or a version's as they were published."""
    report = get_report_for_user(request.user, report_id)
    if number is None:
        figures = _draft(request, report).figures
    else:
        figures = get_object_or_404(report.versions, number=number).figures
    response = JsonResponse(figures, json_dumps_params={"indent": 2})
    suffix = f"v{number}" if number else "draft"
    response["Content-Disposition"] = content_disposition_header(
        True, f"{_slug(report.title)}-{suffix}-figures.json"
    )
    return response


def _audience(edition):
    for audience, name in EDITIONS.items():
        if name == edition:
            return audience
    raise Http404


def _file(content, format, name):
    response = HttpResponse(content, content_type=RENDERERS[format].content_type)
    disposition = "inline" if format == "html" else "attachment"
    response["Content-Disposition"] = content_disposition_header(
        disposition == "attachment", f"{name}.{format}"
    )
    if format == "html":
        allow_own_style_elements(response)  # a standalone document: its stylesheet is inline
    return response


def _slug(title):
    return slugify(title)[:80] or "report"
