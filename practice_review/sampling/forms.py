"""The QA lead's forms: uploading a caseload extract, and drawing a cohort (docs/sampling.md)."""

from django import forms
from django.conf import settings
from django.utils import timezone

from practice_review.core.forms import date_field, radios, text
from practice_review.reviews.models import Cohort
from practice_review.sampling.draw import DEFAULT_MONTHS, LARGEST_SEED, MOST_MONTHS, Rules, new_seed


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


STRATA_CHOICES = [
    ("legal_status", "Legal or practice framework"),
    ("team", "Team"),
    ("none", "None: draw from all children together"),
]
# Large enough for any council's caseload; a seed fits the database's whole numbers.
MOST_CHILDREN = 100_000


def whole_number(label, required=True, min_value=0, max_value=None, help_text="", width=5):
    return forms.IntegerField(
        widget=forms.NumberInput(attrs={"class": f"govuk-input--width-{width}"}),
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        help_text=help_text,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"{label} must be a whole number, like 12",
            "min_value": f"{label} must be {min_value} or more",
            "max_value": f"{label} must be {max_value} or fewer",
        },
    )


class DrawForm(forms.Form):
    size = whole_number("How many children", min_value=1, max_value=MOST_CHILDREN)
    strata = radios(
        "Share the places in proportion across", STRATA_CHOICES, message="Select how to share"
    )
    exclude_reviewed_within = whole_number(
        "Leave out children reviewed in the last (months)",
        max_value=MOST_MONTHS,
        width=3,
        help_text="Any review, in any cohort, done or still to do. Enter 0 to leave nobody out.",
    )
    cover = forms.BooleanField(
        label="Draw first the children of social workers with no review in those months",
        required=False,
    )
    as_of = date_field("Date to draw as of", help_text="Usually today. For example, 31/03/2026")
    seed = whole_number(
        "Seed",
        required=False,
        width=20,
        max_value=LARGEST_SEED,
        help_text="Leave blank for a new random draw. Enter the seed of an earlier draw, with "
        "the same options and extract, to draw the same children again.",
    )
    name = text("Name of the new cohort", help_text="For example, April 2026")
    redraw = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The extract the preview drew from: creating from another (a newer one imported since) is
    # refused, so what is created is what was previewed.
    extract = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["strata"].initial = "legal_status"
        self.fields["exclude_reviewed_within"].initial = DEFAULT_MONTHS
        self.fields["as_of"].initial = timezone.localdate()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if self.creating and not self.data.get("redraw"):
            if not name:
                raise forms.ValidationError("Enter the name of the new cohort")
            if Cohort.objects.filter(name_key=Cohort.key_for(name)).exists():
                raise forms.ValidationError("A cohort with this name already exists")
        return name

    def rules(self):
        """The rules as entered, with a new seed when none was given."""
        data = self.cleaned_data
        return Rules(
            size=data["size"],
            as_of=data["as_of"],
            seed=new_seed() if data["seed"] is None else data["seed"],
            strata=data["strata"],
            exclude_reviewed_within=data["exclude_reviewed_within"],
            cover="social_worker" if data["cover"] else "",
        )
