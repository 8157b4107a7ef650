"""The QA lead's forms for audit templates: a template's details and each kind of item.

Each item form turns its answers into an item in the file's form (docs/spec/audit-templates.md),
and an item back into its answers; core/audit_templates.py checks the result when it is saved
(template_actions.py), and `show_problems` puts what it finds on the field it is about, in the
format's own words.
"""

import re

from django import forms

from practice_review.core import audit_templates as files
from practice_review.core.forms import radios, text
from practice_review.core.vocabulary import GRADES, STANDARD_RESULTS
from practice_review.reviews.template_editing import suggest_key

KEY_HINT = (
    "Lower-case letters, numbers and _, starting with a letter, like voice_recorded. Files and "
    "figures use it. Leave it blank to make one from the words."
)


def key_field(label="Key (optional)", hint=KEY_HINT):
    return forms.CharField(label=label, required=False, max_length=200, help_text=hint)


def words(label, message, hint=""):
    field = text(label, required=True, max_length=files.MAX_LABEL_LENGTH, help_text=hint)
    field.error_messages["required"] = message
    return field


def long_text(label, hint=""):
    return text(label, long=True, max_length=files.MAX_TEXT_LENGTH, help_text=hint)


class TemplateDetailsForm(forms.Form):
    """A template's name, key and description (a new template, a copy or a draft's details)."""

    name = words("Name", "Enter the template's name", "What people call it, like Thematic "
                 "audit - neglect")  # fmt: skip
    key = key_field("Key (optional)", KEY_HINT.replace("voice_recorded", "neglect_thematic"))
    description = long_text("Description (optional)")

    def __init__(self, *args, with_description=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_description:
            del self.fields["description"]

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("key"):
            data["key"] = suggest_key(data["name"])
        return data


class ItemForm(forms.Form):
    """An item of a template's part: label and key, and what the kind of item adds."""

    label = words("Words", "Enter the words people will read")
    key = key_field()

    def __init__(self, *args, taken=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = taken  # the other items' keys, so a suggested key is not one of them

    def item_key(self):
        return self.cleaned_data["key"].strip() or suggest_key(self.cleaned_data["label"],
                                                               self.taken)  # fmt: skip

    @classmethod
    def initial_from(cls, item):
        return {"label": item.get("label", ""), "key": item.get("key", "")}

    @classmethod
    def for_item(cls, data, item, taken, **kwargs):
        """The form to change `item` (plain data; empty to add one), with `data` if sent."""
        return cls(data, initial=cls.initial_from(item), taken=taken, **kwargs)


class StandardForm(ItemForm):
    label = words("The standard", "Enter the standard, as the reviewer will read it",
                  "Written as met, like: A chronology is up to date")  # fmt: skip
    key = key_field()
    help = long_text("Guidance for the reviewer (optional)", "Shown under the standard.")

    def item(self):
        return {"key": self.item_key(), "label": self.cleaned_data["label"],
                "help": self.cleaned_data["help"]}  # fmt: skip

    @classmethod
    def initial_from(cls, item):
        return {**super().initial_from(item), "help": item.get("help", "")}


class ThemeForm(ItemForm):
    label = words("The theme", "Enter the theme, as the reviewer will read it",
                  "Reviewers record strengths and areas for development under it")  # fmt: skip
    key = key_field()

    def item(self):
        return {"key": self.item_key(), "label": self.cleaned_data["label"]}


QUESTION_TYPES = [
    ("yes_no", "Yes or no"),
    ("choice", "A choice from a list"),
    ("number", "A number"),
    ("text", "Words"),
]


class QuestionForm(ItemForm):
    label = words("The question", "Enter the question, as the reviewer will read it")
    key = key_field()
    type = radios("How is it answered?", QUESTION_TYPES, message="Select how it is answered")
    choices = long_text("The choices (for a choice from a list)",
                        "One choice a line, in the order they are offered.")  # fmt: skip
    required = forms.BooleanField(label="A review must answer it", required=False)

    def __init__(self, *args, existing_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Choices keep their keys while their words stay the same.
        self.existing_choices = {label: key for key, label in existing_choices}

    def item(self):
        data = self.cleaned_data
        choices, taken = [], set()
        if data["type"] == "choice":
            for line in data["choices"].splitlines():
                label = line.strip()
                if not label:
                    continue
                key = self.existing_choices.get(label)
                if key is None or key in taken:
                    key = suggest_key(label, taken)
                taken.add(key)
                choices.append({"key": key, "label": label})
        return {"key": self.item_key(), "label": data["label"], "type": data["type"],
                "choices": choices, "required": data["required"]}  # fmt: skip

    @classmethod
    def for_item(cls, data, item, taken, **kwargs):
        choices = [(choice["key"], choice["label"]) for choice in item.get("choices") or []]
        return super().for_item(data, item, taken, existing_choices=choices, **kwargs)

    @classmethod
    def initial_from(cls, item):
        choices = "\n".join(choice["label"] for choice in item.get("choices") or [])
        return {**super().initial_from(item), "type": item.get("type"), "choices": choices,
                "required": bool(item.get("required"))}  # fmt: skip


SCALES = [
    (files.ILACS, "The Ofsted ILACS grades: outstanding, good, requires improvement to be good, "
                  "inadequate"),
    (files.CUSTOM, "Levels of your own"),
]  # fmt: skip


class GradeAxisForm(ItemForm):
    """A grade axis: its scale is the ILACS grades (with a descriptor for any of them) or up to
    10 levels of the council's own, best first, each with its own descriptor."""

    label = words("The grade", "Enter the grade's name, as the reviewer will read it",
                  "Like: Social work practice")  # fmt: skip
    key = key_field()
    scale = radios("Scale", SCALES, message="Select the scale")
    good_or_better = forms.CharField(
        label="Lowest level counted good or better (optional)",
        required=False,
        max_length=200,
        help_text="The key of a level, like good: it and the levels above it count as good or "
        "better in the figures. Leave it blank if no level is.",
    )

    def __init__(self, *args, level_rows=4, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in GRADES:
            self.fields[f"descriptor_{key}"] = long_text(f"{label} (optional)")
        self.level_rows = min(max(level_rows, files.MIN_LEVELS), files.MAX_LEVELS)
        for number in range(1, self.level_rows + 1):
            self.fields[f"level_{number}_label"] = text("Words", max_length=500)
            self.fields[f"level_{number}_key"] = key_field("Key (optional)", "")
            self.fields[f"level_{number}_descriptor"] = long_text("Descriptor (optional)")

    @property
    def descriptor_fields(self):
        return [self[f"descriptor_{key}"] for key, _ in GRADES]

    @property
    def levels(self):
        """(number, label, key, descriptor) bound fields of each row of levels."""
        return [
            (n, self[f"level_{n}_label"], self[f"level_{n}_key"], self[f"level_{n}_descriptor"])
            for n in range(1, self.level_rows + 1)
        ]

    def item(self):
        data = self.cleaned_data
        item = {"key": self.item_key(), "label": data["label"], "scale": data["scale"],
                "good_or_better": data["good_or_better"].strip() or None}  # fmt: skip
        if data["scale"] == files.ILACS:
            item["descriptors"] = {
                key: data[f"descriptor_{key}"] for key, _ in GRADES if data[f"descriptor_{key}"]
            }
            return item
        levels, taken = [], set()
        for n in range(1, self.level_rows + 1):
            label = data[f"level_{n}_label"].strip()
            if not label:
                continue
            key = data[f"level_{n}_key"].strip() or suggest_key(label, taken)
            taken.add(key)
            levels.append({"key": key, "label": label,
                           "descriptor": data[f"level_{n}_descriptor"]})  # fmt: skip
        item["scale"] = levels
        return item

    @classmethod
    def for_item(cls, data, item, taken, **kwargs):
        # Two empty rows to add levels to a scale of the council's own.
        scale = item.get("scale")
        rows = len(scale) + 2 if isinstance(scale, list) else 4
        return super().for_item(data, item, taken, level_rows=rows, **kwargs)

    @classmethod
    def initial_from(cls, item):
        initial = {**super().initial_from(item), "good_or_better": item.get("good_or_better")}
        scale = item.get("scale")
        if scale == files.ILACS:
            initial["scale"] = files.ILACS
            for key, text_ in (item.get("descriptors") or {}).items():
                initial[f"descriptor_{key}"] = text_
        else:
            initial["scale"] = files.CUSTOM
            for n, level in enumerate(scale or [], start=1):
                initial[f"level_{n}_label"] = level.get("label", "")
                initial[f"level_{n}_key"] = level.get("key", "")
                initial[f"level_{n}_descriptor"] = level.get("descriptor", "")
        return initial


ITEM_FORMS = {
    "grades": GradeAxisForm,
    "standards": StandardForm,
    "themes": ThemeForm,
    "questions": QuestionForm,
}


class TemplateFileForm(forms.Form):
    file = forms.FileField(
        label="Upload a template file",
        help_text="A YAML file in the format councils share templates in, at most 1 MB.",
        error_messages={
            "required": "Select a template file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded: try again",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > files.MAX_FILE_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 1 MB")
        return upload


# --- Problems on the fields they are about ------------------------------------------------------

# "line 4: " and "standards, item 3: " or "grades, item 1, level 2: " before a problem's words.
_LINE = re.compile(r"line \d+: ")
_PLACE = re.compile(r"(grades|standards|themes|questions), item \d+(?:, (level|choice) (\d+))?: ")


def show_problems(form, problems):
    """Put each of the format's problems on the field it is about, in its own words; a problem
    about no field of the form goes at the top of the error summary."""
    for problem in problems:
        words_ = _LINE.sub("", problem, count=1)
        place = _PLACE.match(words_)
        prefix = ""
        if place:
            words_ = words_[place.end() :]
            if place.group(2) == "level":
                prefix = f"level_{place.group(3)}_"
            elif place.group(2) == "choice":
                prefix = "choices"
        form.add_error(_field_for(form, words_, prefix), words_[:1].upper() + words_[1:])


def _field_for(form, words_, prefix):
    if prefix == "choices":
        return "choices" if "choices" in form.fields else None
    first = re.match(r'(?:the )?(\w+)(?: of "(\w+)")?', words_)
    name = first.group(1) if first else ""
    if name == "descriptor" and first.group(2):
        name = f"descriptor_{first.group(2)}"
    if name == "descriptors":
        name = "scale"
    if name == "a" and "choice" in words_:
        name = "choices"
    candidate = f"{prefix}{name}"
    if candidate in form.fields:
        return candidate
    if "key" in words_ and f"{prefix}key" in form.fields:
        return f"{prefix}key"
    return None


# --- The preview of the review form -------------------------------------------------------------

YES_NO = [("yes", "Yes"), ("no", "No")]


def _disabled(field):
    field.disabled = True
    field.required = False
    return field


def _section(fields):
    form = forms.Form()
    for name, field in fields:
        form.fields[name] = _disabled(field)
    return form


def preview_sections(template):
    """{section key: a form of disabled fields}: the review form's template-made sections as a
    reviewer would see them, answering nothing and saving nothing."""
    standards, questions, themes, grades = [], [], [], []
    for n, standard in enumerate(template.standards):
        standards.append((f"standard_{n}", radios(standard.label, STANDARD_RESULTS)))
        standards[-1][1].help_text = standard.help
        standards.append((f"standard_{n}_comment", text("Comment", long=True)))
    for n, question in enumerate(template.questions):
        label = question.label if question.required else f"{question.label} (optional)"
        field = {
            "yes_no": lambda label=label: radios(label, YES_NO),
            "choice": lambda label=label, q=question: radios(label, list(q.choices)),
            "number": lambda label=label: forms.IntegerField(label=label),
        }.get(question.type, lambda label=label: text(label, long=True))()
        questions.append((f"question_{n}", field))
    for n, theme in enumerate(template.themes):
        themes.append((f"theme_{n}_strengths", text(f"{theme.label}: strengths", long=True)))
        themes.append((f"theme_{n}_development",
                       text(f"{theme.label}: areas for development", long=True)))  # fmt: skip
    for n, axis in enumerate(template.grades):
        levels = [(level.key, level.label) for level in axis.levels]
        grades.append((f"grade_{n}", radios(axis.label, levels)))
        grades.append((f"grade_{n}_reason", text("Why this grade", long=True)))
    return {
        "standards": _section(standards),
        "questions": _section(questions),
        "themes": _section(themes),
        "grades": _section(grades),
    }
