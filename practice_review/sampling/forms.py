from django import forms
from django.conf import settings


class CaseloadFileForm(forms.Form):
    file = forms.FileField(
        label="Upload a caseload extract",
        help_text="A CSV (UTF-8 or Windows-1252) or XLSX file with one row per open child.",
        error_messages={
            "required": "Select a caseload extract",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded: try again",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The selected file must be smaller than {limit} MB")
        if not upload.name.casefold().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        return upload
