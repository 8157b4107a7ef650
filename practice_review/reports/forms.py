import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms

from practice_review.accounts.models import Team
from practice_review.core.dates import add_months
from practice_review.core.forms import date_field, text
from practice_review.core.text import long_date
from practice_review.reports.summary import Coverage, previous_cohort
from practice_review.reviews.models import AuditTemplate, Cohort, Review

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


# The trends page's default range: two years of cohorts, enough to see a direction (issue 17).
TRENDS_DEFAULT_MONTHS = 24
ALL_TEMPLATES, ALL_TEAMS = "All audit templates", "All teams"


@dataclass(frozen=True)
class TrendFilters:
    """What the trends page counts: cohorts whose first review is from `first` to `last`, and
    only the reviews on one audit template (by key, every version) or of one team's social
    workers, when chosen."""

    first: datetime.date
    last: datetime.date
    template: str = ""
    team: Team | None = None
    template_name: str = ""

    @property
    def words(self):
        """What is counted, in words: on the page and under each chart, so a chart copied into
        slides still says which reviews it shows."""
        said = [f"Cohorts whose first review is from {long_date(self.first)} to "
                f"{long_date(self.last)}"]  # fmt: skip
        if self.team is not None:
            said.append(f"reviews of social workers in {self.team.name}")
        if self.template:
            said.append(f"reviews on the audit template {self.template_name or self.template}")
        return ", ".join(said)

    def apply(self, reviews):
        if self.template:
            reviews = reviews.filter(template__key=self.template)
        if self.team is not None:
            reviews = reviews.filter(social_worker__team=self.team)
        return reviews

    @property
    def query(self):
        """The filters as the URL's query, for the downloads to count what the page shows."""
        given = {
            "date_from": self.first.isoformat(),
            "date_to": self.last.isoformat(),
            "template": self.template,
            "team": self.team.pk if self.team else "",
        }
        return urlencode({name: value for name, value in given.items() if value})

    @property
    def file_dates(self):
        return f"{self.first.isoformat()}-to-{self.last.isoformat()}"


class TrendsFilterForm(forms.Form):
    """The trends page's filters, sent in the URL (a GET form), so a view can be bookmarked and
    shared. A date left out is the default range's; the boxes show the dates counted."""

    date_from = date_field("From date", required=False,
                           help_text="Cohorts whose first review is on or after this date. "
                                     "For example, 1/4/2025")  # fmt: skip
    date_to = date_field("To date", required=False,
                         help_text="Cohorts whose first review is on or before this date. "
                                   "For example, 31/3/2026")  # fmt: skip
    template = forms.ChoiceField(label="Audit template", required=False, error_messages={
        "invalid_choice": "Select an audit template from the list"})  # fmt: skip
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label=ALL_TEAMS,
        label="Social worker's team",
        help_text="The team each review's social worker is in now",
        error_messages={"invalid_choice": "Select a team from the list"},
    )

    def __init__(self, query, *, reviews, today):
        self.defaults = {"date_from": add_months(today, -TRENDS_DEFAULT_MONTHS), "date_to": today}
        data = {name: query.get(name, "").strip() for name in self.base_fields}
        for name, day in self.defaults.items():
            data[name] = data[name] or day.strftime("%d/%m/%Y")
        super().__init__(data)
        completed = reviews.completed()
        names = {}  # key -> the newest version's name
        for key, name in (AuditTemplate.objects.filter(pk__in=completed.values("template"))
                          .order_by("key", "version").values_list("key", "name")):  # fmt: skip
            names[key] = name
        self.template_names = names
        self.fields["template"].choices = [("", ALL_TEMPLATES), *names.items()]
        # Offered only when there is a choice to make (issue 17).
        self.chooses_template = len(names) > 1
        self.fields["team"].queryset = Team.objects.filter(
            pk__in=completed.values("social_worker__team")
        )
        for name in self.defaults:
            self.fields[name].widget.attrs["class"] = "govuk-input--width-10"

    @property
    def chooses_team(self):
        return self.fields["team"].queryset.exists()

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", "The end of the date range must be on or after its start")
        return data

    def filters(self):
        data = self.cleaned_data
        return TrendFilters(
            data["date_from"],
            data["date_to"],
            data["template"],
            data["team"],
            template_name=self.template_names.get(data["template"], ""),
        )
