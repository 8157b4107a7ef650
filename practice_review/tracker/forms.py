from django import forms
from django.db.models import Q

from practice_review.accounts.models import StaffMember, Team
from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import built_in
from practice_review.core.forms import date_field, text
from practice_review.reviews.forms import staff_choice
from practice_review.reviews.models import AuditTemplate, Cohort
from practice_review.reviews.review_sections import due_date_problem
from practice_review.tracker import rules

ATTENTION = [("overdue", "Overdue"), ("impact_due", "Impact check due")]


class FilterForm(forms.Form):
    """The list's filters. Choices come from the recommendations the person can see, so a
    filter never reveals a name or cohort they could not otherwise find."""

    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="Any owner",
        error_messages={"invalid_choice": "Select an owner from the list"},
    )
    team = forms.ModelChoiceField(
        label="Owner's team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Any team",
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    theme = forms.ChoiceField(
        label="Theme",
        required=False,
        error_messages={"invalid_choice": "Select a theme from the list"},
    )
    cohort = forms.ModelChoiceField(
        label="Cohort",
        queryset=Cohort.objects.none(),
        required=False,
        empty_label="Any cohort",
        error_messages={"invalid_choice": "Select a cohort from the list"},
    )
    status = forms.MultipleChoiceField(
        label="Status",
        choices=v.RecommendationStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        error_messages={"invalid_choice": "Select statuses from the list"},
    )
    attention = forms.MultipleChoiceField(
        label="Needs attention",
        choices=ATTENTION,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        error_messages={"invalid_choice": "Select from the list of what needs attention"},
    )

    def __init__(self, *args, visible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = StaffMember.objects.filter(
            pk__in=visible.values("owner")
        ).order_by("name")
        self.fields["team"].queryset = Team.objects.filter(
            pk__in=visible.values("owner__team")
        ).order_by("name")
        self.fields["cohort"].queryset = Cohort.objects.filter(
            Q(pk__in=visible.values("cohort")) | Q(pk__in=visible.values("review__cohort"))
        )
        # Every template's themes, the built-in's first (templates hold no one's details).
        words = AuditTemplate.objects.theme_words()[None]
        self.fields["theme"].choices = [("", "Any theme"), *words.items()]

    @property
    def active(self):
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


class UpdateForm(forms.Form):
    text = forms.CharField(
        label="Add an update",
        help_text="What has been done and what happens next. Updates are dated and cannot be "
        "changed once added.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the update"},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the new status",
            "invalid_choice": "Select a status from the list",
        },
    )
    reason = forms.CharField(
        label="Reason (needed if not accepted, superseded, or the case closed or transferred)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, the evidence that the recommendation has been completed.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, rules.status_label(status)) for status in rules.TRANSITIONS[current]
        ]
        self.current = current

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status:
            try:
                rules.check_status_change(self.current, status, cleaned.get("reason", ""))
            except rules.NotAllowed as refusal:
                self.add_error("reason" if status in rules.NEEDS_REASON else None, str(refusal))
        return cleaned


class ImpactCheckForm(forms.Form):
    made_difference = forms.ChoiceField(
        label="Did it make a difference?",
        choices=rules.IMPACT_RESULTS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it made a difference"},
    )
    difference_for = forms.ChoiceField(
        label="For whom?",
        choices=rules.IMPACT_FOR,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who it made a difference for"},
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text="What you saw, read or were told that shows the difference, or its absence.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the evidence of impact"},
    )


class ChildRecommendationForm(forms.Form):
    """A recommendation for the child, in the review form."""

    action = text("What should be done", required=True, long=True)
    # The reviewer's, who sees only their own reviews: names, not the parts staff play elsewhere.
    owner = staff_choice("Who will do it")
    due_date = date_field("Date it should be done by")
    success_measure = text("How success will be seen", required=True, long=True)
    theme = forms.ChoiceField(
        label="Theme (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a theme from the list"},
    )

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        # The themes of the review's template (the built-in's for a form about no review).
        themes = review.themes if review else built_in().themes
        self.fields["theme"].choices = [("", "None"), *((t.key, t.label) for t in themes)]

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        given = self.review.given_review_date if self.review else None
        problem = due_date_problem(due_date, given)
        if problem:
            raise forms.ValidationError(problem)
        return due_date
