from django import forms

from practice_review.core.forms import date_field, text
from practice_review.reports.summary import Coverage, previous_cohort
from practice_review.reviews.models import Cohort, Review

PREVIOUS, NONE = "previous", "none"


class CoverageForm(forms.Form):
    """What a report covers and what it is compared with."""

    title = text(
        "Title of the report",
        required=True,
        help_text="For example, Practice and Impact Reviews, April to September 2025",
    )
    cohorts = forms.ModelMultipleChoiceField(
        label="Cohorts",
        queryset=Cohort.objects.order_by("-period_start", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose one or more, or leave them all and give a date range",
    )
    date_from = date_field(
        "Reviews from",
        required=False,
        help_text="Only reviews on or after this date. For example, 1/4/2025",
    )
    date_to = date_field(
        "Reviews to",
        required=False,
        help_text="Only reviews on or before this date. For example, 30/9/2025",
    )
    comparator = forms.ChoiceField(label="Compare with", widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comparator"].choices = [
            (PREVIOUS, "The cohort before the one this report covers"),
            (NONE, "No comparison"),
        ] + [(str(cohort.pk), cohort.name) for cohort in self.fields["cohorts"].queryset]
        self.fields["comparator"].initial = PREVIOUS

    @staticmethod
    def initial_for(report):
        return {
            "title": report.title,
            "cohorts": list(report.cohorts.all()),
            "date_from": report.date_from,
            "date_to": report.date_to,
            "comparator": str(report.comparator_id) if report.comparator_id else NONE,
        }

    def clean(self):
        data = super().clean()
        cohorts, start, end = data.get("cohorts"), data.get("date_from"), data.get("date_to")
        if "cohorts" in data and not cohorts and not start and not end:
            self.add_error("cohorts", "Choose at least one cohort, or give a date range")
        if start and end and end < start:
            self.add_error("date_to", "The end of the date range must be on or after its start")
        coverage = Coverage(tuple(cohorts or ()), start, end)
        choice = data.get("comparator")
        if choice == PREVIOUS:
            data["comparator"] = previous_cohort(coverage)
        elif choice == NONE or choice is None:
            data["comparator"] = None
        else:
            comparator = data["comparator"] = Cohort.objects.get(pk=choice)
            covers_something = cohorts or start or end
            if covers_something and coverage.of(Review.objects.filter(cohort=comparator)).exists():
                self.add_error("comparator", f"{comparator.name} has reviews this report covers: "
                                             "compare with a cohort it does not cover")  # fmt: skip
        return data


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=50_000,
        help_text='Markdown: a blank line between paragraphs, "- " at the '
        "start of a line for a list, **bold**. Figures in braces, such as "
        "{practice.good_or_better}, are filled in from the reviews.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_text(self):
        # Browsers send a text box's lines ended "\r\n": the part is kept, and its problems
        # found, with "\n" alone, so a place in the text is the same place in both.
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def text_in_box(self):
        """What the box holds (as sent, or as stored), its lines ended as clean_text ends them."""
        return (self["text"].value() or "").replace("\r\n", "\n")


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen_problems = forms.CharField(widget=forms.HiddenInput, required=False)
    override_reason = forms.CharField(
        label="Why publish with these figure-check problems",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        help_text="Only if every problem above is right as it is. The reason is kept with the "
        "version.",
    )

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = problems

    def clean_override_reason(self):
        reason = self.cleaned_data["override_reason"].strip()
        if self.problems and not reason:
            count = len(self.problems)
            raise forms.ValidationError(
                f"Fix the {count} figure-check problem{'s' if count != 1 else ''}, or say why "
                "the report should be published with them"
            )
        return reason
