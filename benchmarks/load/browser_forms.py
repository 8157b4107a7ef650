"""Forms as a browser sends them: what `new FormData(form)` would post from a page, and what a
person typing into the review form changes. Used by the load test (locustfile.py) and by the
test that proves its posts are the ones the server accepts; no locust or gevent in here.
"""

import random
from collections import defaultdict
from html.parser import HTMLParser

PHRASES = [
    "Visits were on time and the child was seen alone.",
    "The plan was reviewed at supervision, with clear actions.",
    "The chronology needs updating before the next review.",
    "The child's wishes and feelings are recorded in their words.",
    "Management oversight drove the plan forward.",
]
# The child section's free-text answers (its other text inputs are dates and an age).
CHILD_TEXT = ("ethnicity", "religion", "first_language")


class Forms(HTMLParser):
    """The page's forms, each as the fields `new FormData(form)` would send, in order."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._textarea = None
        self._select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": [], "radios": defaultdict(list),
                          "textareas": [], "inputs": {}}  # fmt: skip
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "radio":
                form["radios"][attrs["name"]].append(attrs.get("value", "on"))
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            form["fields"].append(
                [attrs["name"], attrs.get("value", "on" if kind in ("radio", "checkbox") else "")]
            )
            form["inputs"][attrs["name"]] = kind
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            form["fields"].append(self._textarea)
            form["textareas"].append(attrs["name"])
        elif tag == "select":
            self._select = {"name": attrs["name"], "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # The HTML parser drops the newline that follows <textarea>; so does the browser.
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if chosen is None:
                chosen = self._select["first"]
            if chosen is not None and self._form is not None:
                self._form["fields"].append([self._select["name"], chosen])
            self._select = None
        elif tag == "form":
            self._form = None

    def find(self, *, action=None, has=None, attr=None):
        for form in self.forms:
            names = {name for name, _ in form["fields"]}
            if action is not None and form["attrs"].get("action") != action:
                continue
            if has is not None and has not in names:
                continue
            if attr is not None and attr not in form["attrs"]:
                continue
            return form
        raise LookupError(f"no form (action={action}, field={has}, attribute={attr})")


def set_field(form, name, value):
    """Set a field as a person would: replace its value, or add it (a radio not yet chosen)."""
    for field in form["fields"]:
        if field[0] == name:
            field[1] = value
            return
    form["fields"].append([name, value])


def typed(before, limit):
    """What the text looks like after a few more seconds of typing."""
    text = (before.rstrip() + " " + random.choice(PHRASES)).strip()
    return text if len(text) <= limit else random.choice(PHRASES)


def type_into(form, section):
    """A few seconds of a reviewer's typing: more words in one free-text answer, and one
    choice (a radio button) made or changed."""
    answers = dict(form["fields"])
    if section == "child":
        name = random.choice(CHILD_TEXT)
        set_field(form, name, typed(answers.get(name, ""), 150)[:150])
    elif form["textareas"]:
        name = random.choice(form["textareas"])
        set_field(form, name, typed(answers.get(name, ""), 600))
    if form["radios"]:
        name = random.choice(sorted(form["radios"]))
        set_field(form, name, random.choice(form["radios"][name]))
