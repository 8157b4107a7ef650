"""The {% govuk_error_summary %} and {% govuk_field %} tags render GOV.UK markup.

The markup is checked against govuk-frontend 6.6.0's Nunjucks templates: the
ids, classes and aria-describedby links that the error summary and screen
readers depend on.
"""

from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = {name: ("" if value is None else value) for name, value in attrs}
        self.children = []
        self.parts = []  # text and child elements, in document order

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    def find_all(self, tag=None, **attrs):
        """Descendants by tag and exact attribute values: class_="a b", for_="x", data_module=..."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and all(
                child.attrs.get(name) == value for name, value in wanted.items()
            ):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    def by_class(self, class_name):
        return [element for element in self.find_all() if class_name in element.classes]

    @property
    def text(self):
        """The element's own text, without its children's."""
        return "".join(part for part in self.parts if isinstance(part, str))

    def full_text(self):
        """All the text inside the element, whitespace collapsed, as a reader would get it."""
        text = " ".join(part if isinstance(part, str) else part.full_text() for part in self.parts)
        return " ".join(text.split())


class TreeBuilder(HTMLParser):
    VOID = {"input", "br", "hr", "img", "meta", "link"}

    def __init__(self):
        super().__init__()
        self.root = Element("root", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        self.stack[-1].children.append(element)
        self.stack[-1].parts.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].parts.append(data)


def parse(html):
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert len(builder.stack) == 1, "unclosed elements"
    return builder.root


def render(source, **context):
    return Template("{% load govuk %}" + source).render(Context(context))


def render_field(form, name, **options):
    extra = "".join(f" {key}={value!r}" for key, value in options.items())
    return parse(render("{% govuk_field field" + extra + " %}", field=form[name]))


class CaseForm(forms.Form):
    name = forms.CharField(
        label="Child's name",
        help_text="As it appears on the case record",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    grade = forms.ChoiceField(
        label="Overall grade",
        choices=[("outstanding", "Outstanding"), ("good", "Good"), ("inadequate", "Inadequate")],
        widget=forms.RadioSelect,
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("voice", "Voice of the child"), ("plan", "Planning")],
        widget=forms.CheckboxSelectMultiple,
    )
    team = forms.ChoiceField(label="Team", choices=[("", "Choose a team"), ("a", "Team A")])
    summary = forms.CharField(label="Summary", widget=forms.Textarea)
    reviewed_on = forms.DateField(label="Reviewed on", widget=forms.DateInput)
    age = forms.IntegerField(label="Age", min_value=0, max_value=25)
    agreed = forms.BooleanField(label="I agree", help_text="Tick to confirm")
    evidence = forms.FileField(label="Evidence", required=False)

    def clean(self):
        raise forms.ValidationError("These answers do not add up")


class SignInForm(forms.Form):
    email = forms.EmailField(label="Email address")
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def test_error_summary_links_point_at_the_field_ids():
    form = CaseForm(data={})
    summary = parse(render("{% govuk_error_summary form %}", form=form))
    links = [a.attrs["href"] for a in summary.find_all("a")]
    assert links == [
        "#id_name",
        "#id_grade",
        "#id_themes",
        "#id_team",
        "#id_summary",
        "#id_reviewed_on",
        "#id_age",
        "#id_agreed",
    ]
    # Every link lands on an element the fields render, including the first
    # radio and the first checkbox.
    page = parse("".join(render("{% govuk_field f %}", f=field) for field in form))
    for link in links:
        assert len(page.find_all(id=link[1:])) == 1, link


def test_error_summary_markup_and_form_wide_errors_without_a_link():
    form = CaseForm(data={})
    summary = parse(render("{% govuk_error_summary form %}", form=form))
    box = summary.find("div", class_="govuk-error-summary")
    assert box.attrs["data-module"] == "govuk-error-summary"
    alert = box.find("div", role="alert")
    assert alert.find("h2").full_text() == "There is a problem"
    items = alert.find("ul", class_="govuk-list govuk-error-summary__list").find_all("li")
    assert items[0].full_text() == "These answers do not add up"
    assert items[0].find_all("a") == []


@pytest.mark.parametrize("data", [None, {"email": "a@example.org", "password": "x"}])
def test_error_summary_renders_nothing_for_a_valid_or_unbound_form(data):
    form = SignInForm(data=data)
    assert render("{% govuk_error_summary form %}", form=form).strip() == ""


def test_a_field_with_an_error_gets_error_classes_and_aria_describedby():
    form = CaseForm(data={"name": ""})
    html = render_field(form, "name")
    group = html.find("div")
    assert group.classes == ["govuk-form-group", "govuk-form-group--error"]
    field_input = html.find("input", id="id_name")
    assert field_input.classes == ["govuk-input", "govuk-input--error"]
    assert field_input.attrs["aria-describedby"] == "id_name-hint id_name-error"
    assert html.find("div", id="id_name-hint").classes == ["govuk-hint"]
    error = html.find("p", id="id_name-error")
    assert error.classes == ["govuk-error-message"]
    assert error.find("span", class_="govuk-visually-hidden").full_text() == "Error:"
    assert error.full_text() == "Error: This field is required."
    assert html.find("label", for_="id_name").classes == ["govuk-label"]
    # GOV.UK does not use these: the error message says it all.
    assert "aria-invalid" not in field_input.attrs
    assert "required" not in field_input.attrs


def test_a_field_without_error_or_hint_has_no_aria_describedby():
    form = SignInForm(data={"email": "a@example.org", "password": "x"})
    html = render_field(form, "email")
    assert html.find("div").classes == ["govuk-form-group"]
    email = html.find("input", id="id_email")
    assert email.classes == ["govuk-input"]
    assert "aria-describedby" not in email.attrs
    assert html.by_class("govuk-error-message") == []


def test_values_are_kept_after_an_error():
    form = CaseForm(
        data={
            "name": "Sam <Smith>",
            "grade": "good",
            "themes": ["plan"],
            "team": "a",
            "summary": "Line one\nLine two",
            "reviewed_on": "2025-03-04",
            "age": "12",
            "agreed": "on",
        }
    )
    assert not form.is_valid()  # the form-wide error
    assert render_field(form, "name").find("input").attrs["value"] == "Sam <Smith>"
    assert render_field(form, "reviewed_on").find("input").attrs["value"] == "2025-03-04"
    assert render_field(form, "age").find("input").attrs["value"] == "12"
    # Browsers drop the one newline that follows <textarea>; this parser does not.
    assert render_field(form, "summary").find("textarea").text == "\nLine one\nLine two"
    radios = render_field(form, "grade").find_all("input")
    assert ["checked" in radio.attrs for radio in radios] == [False, True, False]
    checkboxes = render_field(form, "themes").find_all("input")
    assert ["checked" in box.attrs for box in checkboxes] == [False, True]
    options = render_field(form, "team").find_all("option")
    assert ["selected" in option.attrs for option in options] == [False, True]
    assert "checked" in render_field(form, "agreed").find("input").attrs


def test_value_is_escaped():
    form = CaseForm(data={"name": '"><script>alert(1)</script>'})
    html = render("{% govuk_field f %}", f=form["name"])
    assert "<script>" not in html
    assert parse(html).find("input").attrs["value"] == '"><script>alert(1)</script>'


def test_widget_attributes_are_kept():
    form = CaseForm()
    name = render_field(form, "name").find("input")
    assert name.attrs["autocomplete"] == "off"
    assert name.attrs["spellcheck"] == "false"
    assert name.attrs["type"] == "text"


def test_password_field_is_a_govuk_password_input_that_never_echoes_the_value():
    form = SignInForm(data={"email": "a@example.org", "password": "secret-value"})
    html = render_field(form, "password")
    password = html.find("input", id="id_password")
    assert password.attrs["type"] == "password"
    assert password.classes == ["govuk-input"]
    assert password.attrs["autocomplete"] == "current-password"
    assert password.attrs["spellcheck"] == "false"
    assert "value" not in password.attrs


def test_email_field_follows_the_govuk_email_pattern():
    email = render_field(SignInForm(), "email").find("input")
    assert email.attrs["type"] == "email"
    assert email.attrs["autocomplete"] == "email"
    assert email.attrs["spellcheck"] == "false"


def test_number_field_is_a_text_input_with_numeric_keyboard():
    age = render_field(CaseForm(), "age").find("input")
    assert age.attrs["type"] == "text"
    assert age.attrs["inputmode"] == "numeric"
    assert not {"min", "max", "step"} & set(age.attrs)


def test_radios_render_a_fieldset_with_legend_and_govuk_ids():
    form = CaseForm(data={})
    html = render_field(form, "grade", size="l", page_heading=True)
    group = html.find("div")
    assert group.classes == ["govuk-form-group", "govuk-form-group--error"]
    fieldset = group.find("fieldset")
    assert fieldset.classes == ["govuk-fieldset"]
    assert fieldset.attrs["aria-describedby"] == "id_grade-error"
    legend = fieldset.find("legend")
    assert legend.classes == ["govuk-fieldset__legend", "govuk-fieldset__legend--l"]
    assert legend.find("h1", class_="govuk-fieldset__heading").full_text() == "Overall grade"
    radios = fieldset.find("div", class_="govuk-radios")
    assert radios.attrs["data-module"] == "govuk-radios"
    inputs = radios.find_all("input")
    assert [i.attrs["id"] for i in inputs] == ["id_grade", "id_grade-2", "id_grade-3"]
    assert {i.attrs["name"] for i in inputs} == {"grade"}
    assert [i.attrs["value"] for i in inputs] == ["outstanding", "good", "inadequate"]
    assert all(i.classes == ["govuk-radios__input"] for i in inputs)
    labels = radios.find_all("label")
    assert [label.attrs["for"] for label in labels] == ["id_grade", "id_grade-2", "id_grade-3"]
    assert labels[0].classes == ["govuk-label", "govuk-radios__label"]
    # The fieldset carries the description, not each radio.
    assert all("aria-describedby" not in i.attrs for i in inputs)


def test_checkboxes_render_a_fieldset_with_govuk_checkboxes():
    html = render_field(CaseForm(), "themes")
    fieldset = html.find("fieldset")
    assert fieldset.find("legend").full_text() == "Themes"
    boxes = fieldset.find("div", class_="govuk-checkboxes").find_all("input")
    assert [b.attrs["id"] for b in boxes] == ["id_themes", "id_themes-2"]
    assert all(b.attrs["type"] == "checkbox" for b in boxes)


def test_a_single_checkbox_describes_itself():
    form = CaseForm(data={})
    html = render_field(form, "agreed")
    box = html.find("input", id="id_agreed")
    assert box.attrs["type"] == "checkbox"
    assert box.classes == ["govuk-checkboxes__input"]
    assert box.attrs["aria-describedby"] == "id_agreed-hint id_agreed-error"
    assert html.find("label", for_="id_agreed").classes == [
        "govuk-label",
        "govuk-checkboxes__label",
    ]


def test_select_textarea_and_file_upload_use_their_govuk_classes():
    form = CaseForm(data={})
    select = render_field(form, "team").find("select", id="id_team")
    assert select.classes == ["govuk-select", "govuk-select--error"]
    assert [o.attrs["value"] for o in select.find_all("option")] == ["", "a"]
    textarea = render_field(form, "summary").find("textarea", id="id_summary")
    assert textarea.classes == ["govuk-textarea", "govuk-textarea--error"]
    assert "cols" not in textarea.attrs
    upload = render_field(form, "evidence").find("input", id="id_evidence")
    assert upload.attrs["type"] == "file"
    assert upload.classes == ["govuk-file-upload"]


DETAILS = """{% govuk_details "A child new to Practice Review" open=opened %}
{% govuk_field form.name %}{% govuk_field form.reviewed_on %}
{% endgovuk_details %}"""


class NewChildForm(forms.Form):
    name = forms.CharField(label="Child's initials", required=False)
    reviewed_on = forms.DateField(label="Date of birth", required=False)


@pytest.mark.parametrize(
    ("data", "opened", "is_open"),
    [
        (None, False, False),  # as first shown
        ({"name": "AB", "reviewed_on": ""}, False, False),  # sent, with nothing wrong inside
        (None, True, True),  # asked to open
        ({"name": "", "reviewed_on": "31/02/2012"}, False, True),  # an error inside opens it
    ],
)
def test_details_open_when_asked_or_when_a_question_inside_has_an_error(data, opened, is_open):
    form = NewChildForm(data=data)
    html = parse(render(DETAILS, form=form, opened=opened))
    details = html.find("details", class_="govuk-details")
    assert ("open" in details.attrs) is is_open
    summary = details.find("summary", class_="govuk-details__summary")
    assert summary.find("span", class_="govuk-details__summary-text").full_text() == (
        "A child new to Practice Review"
    )
    text = details.find("div", class_="govuk-details__text")
    assert text.find("input", id="id_name") and text.find("input", id="id_reviewed_on")


def test_details_do_not_open_for_an_answer_that_looks_like_an_error():
    form = NewChildForm(data={"name": 'class="govuk-error-message"', "reviewed_on": ""})
    assert form.is_valid()
    details = parse(render(DETAILS, form=form, opened=False)).find("details")
    assert "open" not in details.attrs


def test_label_can_be_the_page_heading():
    html = render_field(SignInForm(), "email", size="l", page_heading=True)
    label = html.find("h1", class_="govuk-label-wrapper").find("label", for_="id_email")
    assert label.classes == ["govuk-label", "govuk-label--l"]


def test_notification_banner_for_success_is_an_alert():
    html = parse(
        render_to_string(
            "govuk/notification_banner.html", {"type": "success", "content": "Case saved"}
        )
    )
    banner = html.find("div", role="alert")
    assert banner.classes == ["govuk-notification-banner", "govuk-notification-banner--success"]
    assert banner.attrs["aria-labelledby"] == "govuk-notification-banner-title"
    assert banner.find("h2", id="govuk-notification-banner-title").full_text() == "Success"
    assert banner.find("p").full_text() == "Case saved"


@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def test_base_template_has_no_crown_and_no_inline_script_or_style():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string(
        "base.html",
        {
            "council_name": "Example Council",
            "service_name": "Practice Review",
            "demo_mode": True,
            "nav_items": [],
            "user": request.user,
        },
        request=request,
    )
    page = parse(html)
    assert page.find("html").attrs == {"lang": "en", "class": "govuk-template"}
    assert page.find("title").full_text() == "– Practice Review – Example Council"
    assert page.find("a", class_="govuk-generic-header__homepage-link").full_text() == (
        "Example Council"
    )
    assert "Demo" in page.find("strong", class_="govuk-tag govuk-phase-banner__content__tag").text
    assert page.find("main").attrs["id"] == "main-content"
    assert page.find("a", class_="govuk-skip-link").attrs["href"] == "#main-content"
    for script in page.find_all("script"):
        assert script.attrs["type"] == "module" and script.attrs["src"]
    assert not [element for element in page.find_all() if "style" in element.attrs]
    assert page.find_all("style") == []
    lowered = html.lower()
    assert "crown" not in lowered
    assert "gov.uk" not in lowered
    # Signed-out visitors see no navigation and no sign-out button.
    assert page.find_all("nav") == []
