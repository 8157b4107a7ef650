from django import forms

from practice_review.core import vocabulary as v
from practice_review.core.forms import date_field, radios, text
from practice_review.reviews.forms import staff_choice


class ReviewChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, review):
        return f"{review.child.initials}, {review.cohort.name}, review {review.dated}"


class MeetingForm(forms.Form):
    held_on = date_field("Date of the meeting")
    attendees = text(
        "Who is attending",
        required=True,
        long=True,
        help_text="Names and roles, for example: Head of QA, two independent "
        "reviewers, Service Manager (Children in Care)",
    )
    reviews = ReviewChoice(
        label="Reviews to moderate",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every submitted review is ticked. Untick any the meeting will not take: "
        "they wait for your sign-off or the next meeting.",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].queryset = candidates
        self.fields["reviews"].initial = list(candidates)


class DecisionForm(forms.Form):
    practice_grade = radios("Social work practice", v.GRADES)
    outcome_grade = radios("Outcomes for the child", v.GRADES)
    reason = text(
        "Why the meeting changed a grade",
        long=True,
        help_text="Needed if either grade differs from the reviewer's",
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review

    def clean(self):
        data = super().clean()
        agreed = (data.get("practice_grade"), data.get("outcome_grade"))
        original = (self.review.practice_grade, self.review.outcome_grade)
        if None not in agreed and agreed != original and not data.get("reason", "").strip():
            self.add_error("reason", "Give the reason for changing the grade")
        return data


class LearningPointForm(forms.Form):
    text = text("Learning point", required=True, long=True)
    theme = forms.ChoiceField(
        label="Theme (optional)",
        required=False,
        choices=[("", "No particular theme")] + list(v.THEMES),
    )


class RecommendationForm(forms.Form):
    action = text("What should be done", required=True, long=True)
    theme = forms.ChoiceField(
        label="Theme",
        choices=[("", "Choose a theme")] + list(v.THEMES),
        error_messages={"required": "Choose a theme"},
    )
    owner = staff_choice("Who owns it", with_roles=True)  # the QA lead's: sees every review
    due_date = date_field("Date it should be done by")
    success_measure = text("How success will be seen", required=True, long=True)
