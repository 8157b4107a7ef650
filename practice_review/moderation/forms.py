from django import forms

from practice_review.core.audit_templates import built_in
from practice_review.core.forms import date_field, text
from practice_review.reviews.answers import grade_field
from practice_review.reviews.forms import staff_choice
from practice_review.reviews.review_forms import add_grade_fields, grade_names


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
    """The meeting's grade on each of the review's template's axes, and why any changed."""

    reason = text(
        "Why the meeting changed a grade",
        long=True,
        help_text="Needed if any grade differs from the reviewer's",
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.axes = review.axes
        add_grade_fields(self, self.axes, required=True)
        self.order_fields([*grade_names(self.axes), "reason"])

    def grade_fields(self):
        return [self[grade_field(axis.key)] for axis in self.axes]

    def grades(self):
        """{axis: grade} from the cleaned data."""
        return {axis.key: self.cleaned_data.get(grade_field(axis.key)) for axis in self.axes}

    def clean(self):
        data = super().clean()
        agreed = self.grades()
        original = {axis.key: self.review.grade(axis.key) for axis in self.axes}
        if (
            None not in agreed.values()
            and agreed != original
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", "Give the reason for changing the grade")
        return data


def _themes(meeting):
    """(key, words) of the themes a meeting's point or recommendation may be about: its
    reviews' templates' themes (Meeting.themes), or the built-in's away from a meeting."""
    return [(t.key, t.label) for t in (meeting.themes if meeting else built_in().themes)]


class LearningPointForm(forms.Form):
    text = text("Learning point", required=True, long=True)
    theme = forms.ChoiceField(
        label="Theme (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a theme from the list"},
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "No particular theme"), *_themes(meeting)]


class RecommendationForm(forms.Form):
    action = text("What should be done", required=True, long=True)
    theme = forms.ChoiceField(
        label="Theme",
        error_messages={
            "required": "Choose a theme",
            "invalid_choice": "Select a theme from the list",
        },
    )
    owner = staff_choice("Who owns it", with_roles=True)  # the QA lead's: sees every review
    due_date = date_field("Date it should be done by")
    success_measure = text("How success will be seen", required=True, long=True)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Choose a theme"), *_themes(meeting)]
