import re

from django import forms

from practice_review.audit.models import AuditEvent
from practice_review.core.forms import date_field

# "review 12", "review", "summary report 3": a kind of record, then perhaps its number.
RECORD = re.compile(r"^\s*([a-z][a-z _]*?)\s*(?:(\d{1,18})\s*)?$", re.IGNORECASE)


class AuditSearchForm(forms.Form):
    who = forms.CharField(
        label="Who",
        required=False,
        max_length=150,
        help_text="Their username, for example qa.lead",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": "A username is 150 characters or fewer"},
    )
    action = forms.ChoiceField(
        label="What they did",
        required=False,
        choices=[("", "Anything"), *AuditEvent.Action.choices],
        error_messages={"invalid_choice": "Select what they did from the list"},
    )
    record = forms.CharField(
        label="Record",
        required=False,
        max_length=80,
        help_text="The kind of record and its number, for example review 12",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": "Enter a kind of record and its number, like review 12"},
    )
    date_from = date_field("Date from", required=False)
    date_to = date_field("Date to", required=False)

    def clean_record(self):
        text = self.cleaned_data["record"]
        if not text.strip():
            return ("", "")
        match = RECORD.match(text)
        if match is None:
            raise forms.ValidationError("Enter a kind of record and its number, like review 12")
        return (" ".join(match.group(1).split()).lower(), match.group(2) or "")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The date to must be the same as or after the date from")
        return cleaned

    def filters(self):
        """Keyword arguments for queries.search_events; empty when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        kind, number = data["record"]
        return {
            "who": data["who"].strip(),
            "action": data["action"],
            "record_kind": kind,
            "record_id": number,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
