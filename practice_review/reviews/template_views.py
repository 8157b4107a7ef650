"""The QA lead's pages for audit templates: the list, a version's page, its file and preview,
and changing a draft item by item (docs/audit-templates.md#managing-templates-in-the-browser).

Templates are reference data, not case data: whoever may manage them sees them all, and no
page here shows anything about a child. Every change is an action of template_actions.py.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from practice_review.core.audit_templates import TemplateProblems, read_yaml, to_yaml
from practice_review.core.permissions import Permission, requires
from practice_review.reviews import template_actions as actions
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.queries import (
    get_draft_template,
    get_template,
    template_in_use,
    templates_with_use,
)
from practice_review.reviews.review_sections import sections_for
from practice_review.reviews.template_editing import PARTS, items_of, keys_of, revision
from practice_review.reviews.template_forms import (
    ITEM_FORMS,
    TemplateDetailsForm,
    TemplateFileForm,
    preview_sections,
    show_problems,
)
from practice_review.reviews.template_presenters import TemplatePresenter, template_list_rows


@requires(Permission.MANAGE_TEMPLATES)
def template_list(request):
    return render(
        request, "reviews/templates/list.html", {"keys": template_list_rows(templates_with_use())}
    )


@requires(Permission.MANAGE_TEMPLATES)
def template_detail(request, template_id):
    template = get_template(template_id)
    return render(
        request,
        "reviews/templates/detail.html",
        {"page": TemplatePresenter(template), "in_use": template_in_use(template)},
    )


@requires(Permission.MANAGE_TEMPLATES)
def template_download(request, template_id):
    """The version as a YAML file, as `practice-review templates dump` prints it."""
    template = get_template(template_id)
    response = HttpResponse(to_yaml(template.template), content_type="application/yaml")
    name = f"{template.key}-{template.version}.yaml"  # a key is [a-z0-9_]: safe in a header
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Permission.MANAGE_TEMPLATES)
def template_preview(request, template_id):
    """The review form's sections for this version, every answer disabled: no child, no save."""
    template = get_template(template_id)
    context = {
        "page": TemplatePresenter(template),
        "sections": sections_for(template.template),
        "forms": preview_sections(template.template),
    }
    return render(request, "reviews/templates/preview.html", context)


@requires(Permission.MANAGE_TEMPLATES)
def template_create(request):
    form = TemplateDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = actions.create_template(by=request.user, **form.cleaned_data)
        except TemplateProblems as problems:
            show_problems(form, problems.problems)
        else:
            messages.success(request, f"{template.name} created as a draft")
            return redirect("template_detail", template.pk)
    context = {"form": form, "title": "Create a template", "template": None, "source": None}
    return render(request, "reviews/templates/details_form.html", context)


@requires(Permission.MANAGE_TEMPLATES)
def template_copy(request, template_id):
    source = get_template(template_id)
    form = TemplateDetailsForm(request.POST or None, with_description=False)
    if request.method == "POST" and form.is_valid():
        try:
            template = actions.copy_template(by=request.user, source=source, **form.cleaned_data)
        except TemplateProblems as problems:
            show_problems(form, problems.problems)
        else:
            messages.success(request, f"{template.name} created as a draft copy of {source}")
            return redirect("template_detail", template.pk)
    return render(
        request,
        "reviews/templates/details_form.html",
        {"form": form, "title": "Copy as a new template", "template": None, "source": source},
    )


@require_POST
@requires(Permission.MANAGE_TEMPLATES)
def template_new_version(request, template_id):
    source = get_template(template_id)
    try:
        template = actions.new_version(by=request.user, source=source)
    except NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("template_detail", source.pk)
    messages.success(request, f"Version {template.version} created as a draft")
    return redirect("template_detail", template.pk)


@requires(Permission.MANAGE_TEMPLATES)
def template_details(request, template_id):
    template = get_draft_template(template_id)
    initial = {
        "name": template.name,
        "key": template.key,
        "description": template.definition.get("description", ""),
    }
    form = TemplateDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_details(
                by=request.user, template=template, based_on=_based_on(request), **form.cleaned_data
            )
        except NotAllowed as refused:
            messages.error(request, str(refused))
            return redirect("template_detail", template.pk)
        except TemplateProblems as problems:
            show_problems(form, problems.problems)
        else:
            messages.success(request, "Name and description saved")
            return redirect("template_detail", template.pk)
    return render(
        request,
        "reviews/templates/details_form.html",
        {
            "form": form,
            "title": "Name and description",
            "template": template,
            "source": None,
            "based_on": _shown_revision(request, template),
        },
    )


def _based_on(request):
    """The revision of the draft the person was shown (template_editing.revision), if sent."""
    return request.POST.get("based_on") or None


def _shown_revision(request, template):
    """The revision a form page is based on: the one it was first shown with, kept when it is
    shown again with errors."""
    return _based_on(request) or revision(template.definition)


def _part(part):
    if part not in PARTS:
        raise Http404
    return part


@requires(Permission.MANAGE_TEMPLATES)
def template_add_item(request, template_id, part):
    return _item_page(request, get_draft_template(template_id), _part(part), None)


@requires(Permission.MANAGE_TEMPLATES)
def template_item(request, template_id, part, number):
    template = get_draft_template(template_id)
    if not 1 <= number <= len(items_of(template.definition, _part(part))):
        raise Http404
    return _item_page(request, template, part, number - 1)


def _item_page(request, template, part, position):
    """Add an item to a part of a draft (position None) or change one."""
    item = items_of(template.definition, part)[position] if position is not None else {}
    taken = keys_of(template.definition, part, position)
    form = ITEM_FORMS[part].for_item(request.POST or None, item, taken)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_item(
                by=request.user,
                template=template,
                part=part,
                position=position,
                item=form.item(),
                based_on=_based_on(request),
            )
        except NotAllowed as refused:
            messages.error(request, str(refused))
            return redirect("template_detail", template.pk)
        except TemplateProblems as problems:
            show_problems(form, problems.problems)
        else:
            messages.success(request, f"{form.cleaned_data['label']} saved")
            return redirect("template_detail", template.pk)
    return render(
        request,
        f"reviews/templates/{part}_form.html",
        {
            "form": form,
            "template": template,
            "noun": PARTS[part],
            "adding": position is None,
            "based_on": _shown_revision(request, template),
        },
    )


@require_POST
@requires(Permission.MANAGE_TEMPLATES)
def template_move_item(request, template_id, part, number):
    template = get_draft_template(template_id)
    up = request.POST.get("direction") != "down"
    return _change(
        request,
        template,
        actions.move_item,
        part=_part(part),
        position=number - 1,
        up=up,
        done="Moved",
    )


@require_POST
@requires(Permission.MANAGE_TEMPLATES)
def template_remove_item(request, template_id, part, number):
    template = get_draft_template(template_id)
    return _change(
        request,
        template,
        actions.remove_item,
        part=_part(part),
        position=number - 1,
        done=f"The {PARTS[part]} was removed",
    )


@require_POST
@requires(Permission.MANAGE_TEMPLATES)
def template_publish(request, template_id):
    template = get_draft_template(template_id)
    return _change(
        request,
        template,
        actions.publish,
        done=f"Version {template.version} is published: cohorts can now use it, "
        "and it can no longer change",
    )


def _change(request, template, action, done, **kwargs):
    """One change from a button on the version's page; a refusal is told there."""
    try:
        action(by=request.user, template=template, based_on=_based_on(request), **kwargs)
    except NotAllowed as refused:
        messages.error(request, str(refused))
    except TemplateProblems as problems:
        messages.error(request, "Nothing was changed: " + "; ".join(problems.problems))
    else:
        messages.success(request, done)
    return redirect("template_detail", template.pk)


@requires(Permission.MANAGE_TEMPLATES)
def template_delete(request, template_id):
    """Asks first; deletes a draft nothing uses on POST."""
    template = get_draft_template(template_id)
    if request.method == "POST":
        try:
            actions.delete_draft(by=request.user, template=template)
        except NotAllowed as refused:
            messages.error(request, str(refused))
            return redirect("template_detail", template.pk)
        messages.success(
            request, f"The draft version {template.version} of {template.name} was deleted"
        )
        return redirect("template_list")
    return render(request, "reviews/templates/delete.html", {"template": template})


UPLOADED = {
    actions.ADDED: "{template} loaded and published",
    actions.UNCHANGED: "{template} was already loaded: nothing changed",
    actions.REPLACED: "{template} replaced by the file and published",
}


@requires(Permission.MANAGE_TEMPLATES)
def template_upload(request):
    """The same as `practice-review templates load`: a bad file changes nothing and shows every
    problem, one a line."""
    form = TemplateFileForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            definition = read_yaml(form.cleaned_data["file"].read().decode("utf-8"))
            loaded = actions.load_template(by=request.user, definition=definition)
        except UnicodeDecodeError:
            problems = ["the file is not UTF-8 text: save it as UTF-8 and upload it again"]
        except TemplateProblems as error:
            problems = error.problems
        except NotAllowed as refused:
            problems = [str(refused)]
        else:
            template = loaded.template
            messages.success(request, UPLOADED[loaded.outcome].format(template=template))
            return redirect("template_detail", template.pk)
    return render(request, "reviews/templates/upload.html", {"form": form, "problems": problems})
