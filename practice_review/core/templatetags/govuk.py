"""Render Django forms as GOV.UK Design System components.

    {% load govuk %}
    {% govuk_error_summary form %}
    <form method="post" novalidate>
      {% csrf_token %}
      {% govuk_field form.email %}
      {% govuk_field form.reason size="l" page_heading=True %}
      <button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>
    </form>

The markup follows the Nunjucks templates of govuk-frontend 6.6.0
(node_modules/govuk-frontend/dist/govuk/components/*/template.njk); each
component has a small Django template under templates/govuk/.

A details component whose hidden text holds questions opens itself when any
of them has an error, so the error summary's link and the message are not
hidden (WCAG 3.3.1):

    {% govuk_details "A child new to Practice Review" open=form.initials.value %}
      {% govuk_field form.date_of_birth %}
    {% endgovuk_details %}

Ids follow GOV.UK's rules so the error summary can link to the right place:
a field's id is Django's auto id ("id_<name>"); the hint is "<id>-hint" and
the error message "<id>-error". For radios and checkboxes the first input
gets the field's id and the others "<id>-2", "<id>-3", ..., so a summary link
to "#<id>" lands on the first option, as GOV.UK does.
"""

from django import forms, template
from django.forms.utils import flatatt
from django.template.base import token_kwargs
from django.template.loader import render_to_string

register = template.Library()

# Label and legend sizes from the Design System: "s", "m", "l" or "xl".
SIZES = {"s", "m", "l", "xl"}

# Attributes the component templates write themselves, so they are not copied
# again from the widget's attrs. "required" and "aria-invalid" are dropped on
# purpose: GOV.UK components do not use them (every question is required
# unless its label says "(optional)", and errors are announced through the
# error message that aria-describedby points at).
OWN_ATTRS = {"id", "name", "type", "value", "class", "aria-describedby", "required", "aria-invalid"}


def field_id(bound_field):
    """The id of the field's input (or of the first radio or checkbox)."""
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id or bound_field.html_name


@register.simple_tag
def govuk_error_summary(form):
    """A GOV.UK error summary for ``form``; nothing when the form is valid or unbound."""
    if not form.is_bound or not form.errors:
        return ""
    # Errors that belong to the form as a whole have no field to link to.
    items = [{"text": error, "href": ""} for error in form.non_field_errors()]
    # Visible fields in page order, so the summary reads in the same order as the page.
    for bound_field in form.visible_fields():
        for error in bound_field.errors:
            items.append({"text": error, "href": "#" + field_id(bound_field)})
    # A hidden field's error has nothing on the page to link to either.
    for bound_field in form.hidden_fields():
        for error in bound_field.errors:
            items.append({"text": f"{bound_field.label}: {error}", "href": ""})
    return render_to_string("govuk/error_summary.html", {"items": items})


@register.simple_tag
def govuk_field(bound_field, size="", page_heading=False):
    """Render ``bound_field`` as the GOV.UK component that suits its widget.

    ``size`` ("s", "m", "l" or "xl") sizes the label or legend; with
    ``page_heading=True`` the label or legend is also the page's <h1>, as
    GOV.UK does on one-question pages.
    """
    if size and size not in SIZES:
        raise template.TemplateSyntaxError(f"govuk_field size must be one of {sorted(SIZES)}")
    widget = bound_field.field.widget
    if widget.is_hidden:
        return bound_field.as_widget()

    context = _base_context(bound_field, size, page_heading)

    # Order matters: several widgets subclass others (CheckboxSelectMultiple
    # is a RadioSelect, which is a Select; PasswordInput is an Input...).
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return _render_choices(bound_field, context, "govuk/checkboxes.html")
    if isinstance(widget, forms.RadioSelect):
        return _render_choices(bound_field, context, "govuk/radios.html")
    if isinstance(widget, forms.Select):
        return _render_choices(bound_field, context, "govuk/select.html")
    if isinstance(widget, forms.CheckboxInput):
        return _render(bound_field, context, "govuk/checkbox.html")
    if isinstance(widget, forms.FileInput):
        return _render(bound_field, context, "govuk/file_upload.html")
    if isinstance(widget, forms.Textarea):
        return _render(bound_field, context, "govuk/textarea.html", drop={"cols"})
    if isinstance(widget, forms.PasswordInput):
        # As GOV.UK's password input: no spellcheck (which may send the
        # password to a service) and no automatic capitals.
        defaults = {"spellcheck": "false", "autocapitalize": "none"}
        return _render(bound_field, context, "govuk/input.html", defaults=defaults)
    if isinstance(widget, forms.NumberInput):
        # GOV.UK asks for type="text" with inputmode="numeric", not
        # type="number" (which rounds, scrolls and is hard to use with
        # assistive technology); min, max and step mean nothing on text.
        context["input_type"] = "text"
        defaults = {"inputmode": "numeric", "spellcheck": "false"}
        return _render(
            bound_field, context, "govuk/input.html", defaults=defaults, drop={"min", "max", "step"}
        )
    if isinstance(widget, forms.EmailInput):
        defaults = {"spellcheck": "false", "autocomplete": "email"}
        return _render(bound_field, context, "govuk/input.html", defaults=defaults)
    # TextInput, DateInput, URLInput and any other single-line input.
    return _render(bound_field, context, "govuk/input.html")


# GOV.UK's error message (govuk/error_message.html), on every question in error. The quotes
# make it markup: a typed answer holding these words is escaped, so it cannot match.
ERROR_MESSAGE = 'class="govuk-error-message"'


@register.tag
def govuk_details(parser, token):
    """``{% govuk_details summary [open=condition] %}...{% endgovuk_details %}``: GOV.UK
    details, open when ``open`` is true or when what it holds shows an error message."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("govuk_details needs the summary text")
    summary = parser.compile_filter(bits[1])
    options = token_kwargs(bits[2:], parser)
    if set(options) - {"open"} or len(options) != len(bits[2:]):
        raise template.TemplateSyntaxError("govuk_details takes only open=...")
    nodelist = parser.parse(("endgovuk_details",))
    parser.delete_first_token()
    return DetailsNode(summary, options.get("open"), nodelist)


class DetailsNode(template.Node):
    def __init__(self, summary, open_when, nodelist):
        self.summary, self.open_when, self.nodelist = summary, open_when, nodelist

    def render(self, context):
        # Rendered first, so whatever renders a question in error (govuk_field or not) opens it.
        text = self.nodelist.render(context)
        is_open = bool(self.open_when and self.open_when.resolve(context))
        return render_to_string(
            "govuk/details.html",
            {
                "summary": self.summary.resolve(context),
                "text": text,  # the template's own output: escaped, and marked safe, by it
                "open": is_open or ERROR_MESSAGE in text,
            },
        )


def _base_context(bound_field, size, page_heading):
    id_ = field_id(bound_field)
    hint = bound_field.help_text
    errors = list(bound_field.errors)
    # Hint first, then error, as in GOV.UK's templates; keep any
    # aria-describedby the form itself set on the widget in front.
    described_by = [bound_field.field.widget.attrs.get("aria-describedby", "")]
    if hint:
        described_by.append(f"{id_}-hint")
    if errors:
        described_by.append(f"{id_}-error")
    return {
        "id": id_,
        "name": bound_field.html_name,
        "label": bound_field.label,
        "hint": hint,
        # GOV.UK shows one message per field; Django may give several, all of
        # which the user needs, so they share the one message.
        "error": " ".join(str(error) for error in errors),
        "described_by": " ".join(part for part in described_by if part),
        "size": size,
        "page_heading": page_heading,
    }


def _widget_context(bound_field):
    """Django's own context for the widget: formatted value, merged attrs, options."""
    widget = bound_field.field.widget
    if bound_field.field.localize:
        widget.is_localized = True
    attrs = {"disabled": True} if bound_field.field.disabled else {}
    return widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]


def _split_attrs(attrs, defaults=None, drop=frozenset()):
    """Modifier classes (e.g. "govuk-input--width-10") and the other attributes, as HTML."""
    attrs = {**(defaults or {}), **attrs}
    classes = attrs.get("class", "")
    extra = {key: value for key, value in attrs.items() if key not in OWN_ATTRS | set(drop)}
    return classes, flatatt(extra)


def _render(bound_field, context, template_name, defaults=None, drop=frozenset()):
    widget_context = _widget_context(bound_field)
    # The templates write "checked" (checkbox) and "rows" (textarea) themselves.
    drop = {"checked", "rows", *drop}
    classes, extra_attrs = _split_attrs(widget_context["attrs"], defaults, drop)
    context.update(
        classes=classes,
        extra_attrs=extra_attrs,
        value=widget_context["value"],
        input_type=context.get("input_type") or widget_context.get("type", "text"),
        # Only CheckboxInput puts "checked" in attrs.
        checked=bool(widget_context["attrs"].get("checked")),
        rows=widget_context["attrs"].get("rows", 5),
    )
    return render_to_string(template_name, context)


def _render_choices(bound_field, context, template_name):
    widget_context = _widget_context(bound_field)
    classes, extra_attrs = _split_attrs(widget_context["attrs"])
    is_select = template_name == "govuk/select.html"
    groups = []
    number = 0
    for group_name, options, _index in widget_context["optgroups"]:
        items = []
        for option in options:
            # A "---------" radio or checkbox is meaningless: choosing none is
            # how to leave the answer empty. A <select> keeps it.
            if not is_select and option["value"] in ("", None):
                continue
            number += 1
            items.append(
                {
                    # GOV.UK ids: the first option has the field's id, so the
                    # error summary link "#<id>" reaches it.
                    "id": context["id"] if number == 1 else f"{context['id']}-{number}",
                    "value": option["value"],
                    "label": option["label"],
                    "selected": option["selected"],
                    "extra_attrs": flatatt(
                        {
                            key: value
                            for key, value in option["attrs"].items()
                            if key not in OWN_ATTRS | {"checked", "selected"}
                        }
                    ),
                }
            )
        groups.append({"name": group_name, "items": items})
    context.update(
        classes=classes,
        extra_attrs=extra_attrs,
        groups=groups,
        items=[item for group in groups for item in group["items"]],
    )
    return render_to_string(template_name, context)
