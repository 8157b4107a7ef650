"""Form fields worded the GOV.UK way (a label, a hint, an error message that says what to do),
shared by every app's forms; the template tags in templatetags/govuk.py render them."""

import datetime

from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)


def sensible_date(value):
    if value and not EARLIEST <= value <= LATEST:
        raise forms.ValidationError("Enter a date between 1900 and 2100")


def date_field(label, required=True, help_text="For example, 17/09/2024"):
    return forms.DateField(
        validators=[sensible_date],
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"The {label.lower()} must be a real date, like 17/09/2024",
        },
        widget=forms.DateInput(format="%d/%m/%Y"),
    )


def radios(label, choices, required=True, message=None):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": message or f"Select {label.lower()}"},
    )


def text(label, required=False, long=False, help_text="", max_length=None):
    # Single-line answers fit their database columns; long answers are free text.
    max_length = max_length or (None if long else 200)
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput,
        error_messages={"required": f"Enter {label.lower()}"},
    )
