"""Forms for cohorts, assignment and the review form's sections.

Section forms accept partial answers (a draft is saved as it is typed); completeness is
checked once, at submission, by review_sections.missing().
"""

from django import forms
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import built_in
from practice_review.core.forms import date_field, radios, text
from practice_review.reviews import review_sections
from practice_review.reviews.actions import conflicts_of_interest
from practice_review.reviews.answers import GRADE, RATIONALE, grade_field
from practice_review.reviews.forms import TemplateChoiceField, staff_choice
from practice_review.reviews.models import Child, Cohort, Conversation, LearningTopic
from practice_review.reviews.queries import frameworks, section_values
from practice_review.reviews.review_file import Bad, age_on, parse_age

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


def yes_no(value):
    return {"yes": True, "no": False}.get(value)  # "unknown" or blank: not recorded


def yes_no_initial(value):
    return {True: "yes", False: "no"}.get(value, "unknown")


class CohortForm(forms.Form):
    name = text("Name of the cohort", required=True, help_text="For example, March 2026")
    period_start = date_field("Start of the period")
    period_end = date_field("End of the period")
    selected_by = text("Who selected the cohort", required=True,
                       help_text="For example, the senior leadership team")  # fmt: skip
    selection_reason = radios("Why these cases", v.SELECTION_REASONS)
    theme = text("Theme", help_text="Only if the cohort was chosen for a theme")
    template = TemplateChoiceField(
        "Audit template",
        help_text="What the cohort's reviews ask. Every review in a cohort answers the same "
        "template, so that its figures add up.",
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Cohort.objects.filter(name_key=Cohort.key_for(name)).exists():
            raise forms.ValidationError("A cohort with this name already exists")
        return name

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        if data.get("selection_reason") == "theme" and not data.get("theme", "").strip():
            self.add_error("theme", "Enter the theme")
        return data


class AssignmentForm(forms.Form):
    """Who reviews a case and by when; refused when the reviewer is too close to the case."""

    # Assignment is the QA lead's, who sees every review: staff with the parts they play.
    reviewer = staff_choice("Reviewer", reviewers_only=True, with_roles=True)
    reviewer_type = radios("Type of reviewer", v.REVIEWER_TYPES)
    due_date = date_field("Date the review is due")
    conflict_reason = text(
        "Reason to assign this reviewer anyway",
        long=True,
        help_text="Only needed when the reviewer is the child's social worker, their "
        "supervisor or the child's IRO",
    )

    def check_conflicts(self, social_worker, supervisor, iro):
        reasons = conflicts_of_interest(
            reviewer=self.cleaned_data.get("reviewer"),
            social_worker=social_worker,
            supervisor=supervisor,
            iro=iro,
        )
        if reasons and not (self.cleaned_data.get("conflict_reason") or "").strip():
            self.add_error(
                "conflict_reason",
                f"The reviewer is {' and '.join(reasons)}. Choose another reviewer, or give "
                "the reason to assign them anyway",
            )


class ReassignForm(AssignmentForm):
    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review

    def clean(self):
        data = super().clean()
        review = self.review
        self.check_conflicts(
            review.social_worker, review.supervisor, review.independent_reviewing_officer
        )
        return data


class AddCaseForm(AssignmentForm):
    """Add a child's case to a cohort: an existing child by case reference, or a new one."""

    case_ref = text("Case reference", required=True, max_length=50,
                    help_text="From the case management system. An existing child is found "
                              "by it; otherwise fill in the child's details below.")  # fmt: skip
    initials = text(
        "Child's initials", max_length=20, help_text="Only for a child new to Practice Review"
    )
    gender = radios("Gender", v.GENDERS, required=False)
    date_of_birth = date_field("Date of birth", required=False)
    ethnicity = text("Ethnicity", help_text="As recorded, for example Iraqi (Kurd)")
    religion = text("Religion")
    first_language = text("First language")
    interpreter_needed = radios("Needs an interpreter", YES_NO_UNKNOWN, required=False)
    uasc = radios("Arrived as an unaccompanied asylum-seeking child", YES_NO_UNKNOWN,
                  required=False)  # fmt: skip
    social_worker = staff_choice("Allocated social worker", with_roles=True)
    social_worker_is_student = forms.BooleanField(
        label="The social worker is a student", required=False
    )
    supervisor = staff_choice("Social worker's supervisor", required=False, with_roles=True)
    iro = staff_choice("Child's Independent Reviewing Officer", required=False, with_roles=True)

    # The page's order, so the error summary lists problems in the order they appear.
    field_order = [
        "case_ref", "initials", "gender", "date_of_birth", "ethnicity", "religion",
        "first_language", "interpreter_needed", "uasc", "social_worker",
        "social_worker_is_student", "supervisor", "iro", "reviewer", "reviewer_type",
        "due_date", "conflict_reason",
    ]  # fmt: skip

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.child = None

    def clean(self):

        data = super().clean()
        ref = (data.get("case_ref") or "").strip()
        self.child = Child.objects.filter(case_ref=ref).first() if ref else None
        if ref and self.child is None:
            if not (data.get("initials") or "").strip():
                self.add_error("initials", "Enter the child's initials (this is a new child)")
            if not data.get("gender"):
                self.add_error("gender", "Select the child's gender (this is a new child)")
        born, due = data.get("date_of_birth"), data.get("due_date")
        if born and due and born > due:
            self.add_error("date_of_birth", "The date of birth must be before the review is due")
        if self.child and self.cohort and self.child.reviews.filter(cohort=self.cohort).exists():
            self.add_error("case_ref", "This child's case is already in the cohort")
        self.check_conflicts(data.get("social_worker"), data.get("supervisor"), data.get("iro"))
        return data


def about(label, subject):
    """A label that says, to screen readers, which standard or theme it belongs to: the page
    shows that as a heading, but eight boxes all named "Comment", or five groups of learning
    topics, would be ambiguous (WCAG 1.3.1, 2.4.6)."""
    return format_html('{}<span class="govuk-visually-hidden"> ({})</span>', label, subject)


class _LoadedAnswersJSON(signing.JSONSerializer):
    """Dates as ISO text: section_merge.comparable() compares them so."""

    def dumps(self, obj):
        return DjangoJSONEncoder(separators=(",", ":")).encode(obj).encode("latin-1")


def _salt(review, section):
    # A copy signed for one review's section is refused on any other.
    return f"practice_review.reviews.loaded-answers:{review.pk}:{section}"


class SectionForm(forms.Form):
    """A section of the review form. `version` is the section's version the page started from;
    `base` the section's answers as the page was loaded, signed.

    The base is what lets a save from a stale page be merged answer by answer
    (section_merge.py). It travels with the page, signed (django.core.signing, salted with the
    review and section), rather than being rebuilt from the review's history at `version`:
    the themes' answers live in ThemeFinding rows and their topic links, whose history would
    have to be replayed to a moment, and the purge may have cleared it. The signed copy is
    exactly what the page showed, and cannot be forged into anything else: a copy that does
    not verify counts as none, and then nothing is merged silently.
    """

    section = ""
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review

    @classmethod
    def showing(cls, review, values, version, base=None):
        """The section's page showing `values` (section_values()'s answers), to be saved over
        `version` of the section, whose answers were then `base` (by default, `values`)."""
        base = values if base is None else base
        return cls(initial={**cls.initial_from_values(values), "version": version,
                            "base": cls.signed(review, base)}, review=review)  # fmt: skip

    @classmethod
    def signed(cls, review, values):
        return signing.dumps(
            values, salt=_salt(review, cls.section), serializer=_LoadedAnswersJSON, compress=True
        )

    def clean_base(self):
        if not self.cleaned_data["base"] or self.review is None:
            return None
        try:
            return signing.loads(self.cleaned_data["base"], salt=_salt(self.review, self.section))
        except signing.BadSignature:
            return None

    @classmethod
    def initial_from(cls, review):
        return cls.initial_from_values(section_values(review, cls.section))

    @staticmethod
    def initial_from_values(values):
        """The form's initial data for the section's answers (section_values())."""
        return dict(values)

    def field_for(self, name):
        """The form field that gives an answer (section_values()'s name)."""
        return name

    def as_sent(self, names):
        """{form field: what the page's inputs would send} for the answers named, as a page
        shows them: a radio or text box's value, the ticked boxes' values, or a checkbox's
        true or false. autosave.js puts them into the page."""
        sent = {}
        for name in dict.fromkeys(self.field_for(name) for name in names):
            field = self[name]
            value = field.value()
            if isinstance(field.field.widget, forms.CheckboxInput):
                sent[name] = bool(value)
            else:
                shown = field.field.widget.format_value(value)
                sent[name] = shown if isinstance(shown, list) else ["" if shown is None else shown]
        return sent

    def describe(self, name):
        """The question a field answers, as a person would name it in a conflict."""
        field = self.fields.get(self.field_for(name))
        return field.label if field else name

    def mark_clashes(self, messages):
        """Put each of `messages` ({form field: message}) on its question as an error, so the
        conflict page marks every clashing question where it is answered, as any other error
        is (WCAG 3.3.1). The form only shows answers (it is not bound): checking it found
        nothing, which add_error's cleaned_data stands for."""
        self.cleaned_data = {}
        for name, message in messages.items():
            if name in self.fields:  # an answer with no question of its own stays listed only
                self.add_error(name, message)


class ChildSectionForm(SectionForm):
    section = "child"
    # Until the reviewer first gives it, the draft saves without it (as it is typed) and the
    # task list names it as missing; see clean().
    review_date = date_field(
        "Date of the review",
        required=False,
        help_text="The date you reviewed the file: today or earlier. For example, 17/09/2024",
    )
    age_at_review = text("Age at the review", help_text="For example, 16, or 2 months. Worked "
                         "out from the date of birth when it is known.")  # fmt: skip
    case_start_date = date_field(
        "Date the case started",
        required=False,
        help_text="Only if it started less than 6 months before the review: the practice "
        "window starts then",
    )
    # Its choices are the council's frameworks, given in __init__.
    legal_status = radios("Legal or practice framework", [], required=False)
    gender = radios("Gender", v.GENDERS, required=False)
    ethnicity = text("Ethnicity")
    religion = text("Religion")
    first_language = text("First language")
    interpreter_needed = radios("Needs an interpreter", YES_NO_UNKNOWN, required=False)
    uasc = radios("Arrived as an unaccompanied asylum-seeking child", YES_NO_UNKNOWN,
                  required=False)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = self.review.child if self.review else None
        # The frameworks in use, and the review's own even if it is no longer in use: a review
        # keeps what it was given until the reviewer changes it.
        current = self.review.legal_status if self.review else ""
        self.fields["legal_status"].choices = [
            (framework.key, framework.label)
            for framework in frameworks()
            if framework.active or framework.key == current
        ]

    # One question gives the age in years and as written; the date gives its confirmation.
    FIELD_FOR = {
        "age_years": "age_at_review",
        "age_as_written": "age_at_review",
        "review_date_confirmed": "review_date",
    }

    def field_for(self, name):
        return self.FIELD_FOR.get(name, name)

    def clean(self):
        data = super().clean()
        start, review_date = data.get("case_start_date"), data.get("review_date")
        # Once given, the date may be changed but not cleared: a review always has its date.
        # Given as the page knew it: a page loaded before it was given (another tab) leaves
        # it blank without clearing it, and the save keeps the date given meanwhile.
        loaded = data.get("base")
        given = (
            loaded["review_date_confirmed"]
            if loaded
            else (self.review is not None and self.review.review_date_confirmed)
        )
        if given and not review_date and "review_date" not in self.errors:
            self.add_error("review_date", self.fields["review_date"].error_messages["required"])
        if start and review_date and start > review_date:
            self.add_error("case_start_date", "The case must have started by the review date")
        return data

    def clean_review_date(self):
        review_date = self.cleaned_data["review_date"]
        problem = review_sections.review_date_problem(review_date, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return review_date

    def clean_age_at_review(self):
        value = self.cleaned_data["age_at_review"].strip()
        if not value:
            return None
        try:
            return parse_age(value)
        except Bad as bad:
            raise forms.ValidationError(f"Enter {bad.expected}") from None

    def values(self):
        data = self.cleaned_data
        age = data["age_at_review"]
        born = self.child.date_of_birth if self.child else None
        if born and data["review_date"] and born <= data["review_date"]:
            age = age_on(born, data["review_date"])
        years, written = age or (None, "")
        given = (
            {"review_date": data["review_date"], "review_date_confirmed": True}
            if data["review_date"]
            else {}  # not given yet: the placeholder stays, and the task list says so
        )
        return {
            **given,
            "case_start_date": data["case_start_date"],
            "age_years": years,
            "age_as_written": written,
            "legal_status": data["legal_status"],
            "gender": data["gender"],
            "ethnicity": data["ethnicity"].strip(),
            "religion": data["religion"].strip(),
            "first_language": data["first_language"].strip(),
            "interpreter_needed": yes_no(data["interpreter_needed"]),
            "uasc": yes_no(data["uasc"]),
        }

    @staticmethod
    def initial_from_values(values):
        return {
            # A new review's date is its due date until the reviewer gives the real one.
            "review_date": values["review_date"] if values["review_date_confirmed"] else None,
            "age_at_review": values["age_as_written"],
            "case_start_date": values["case_start_date"],
            "legal_status": values["legal_status"],
            "gender": values["gender"],
            "ethnicity": values["ethnicity"],
            "religion": values["religion"],
            "first_language": values["first_language"],
            "interpreter_needed": yes_no_initial(values["interpreter_needed"]),
            "uasc": yes_no_initial(values["uasc"]),
        }


class StandardsSectionForm(SectionForm):
    """The practice standards the review's template asks, each with its help as the hint."""

    section = "standards"
    PARTS = {"_comment": "comment", "_put_right": "put right during the review", "": "result"}

    def describe(self, name):
        for standard in self.asked:
            for suffix, part in self.PARTS.items():
                if name == f"{standard.key}{suffix}":
                    return f"{standard.label}: {part}"
        return super().describe(name)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = self.review.asks.standards
        for standard in self.asked:
            key, label = standard.key, standard.label
            self.fields[key] = radios(label, v.STANDARD_RESULTS, required=False)
            self.fields[key].help_text = standard.help
            self.fields[f"{key}_comment"] = text(about("Comment", label), long=True)
            self.fields[f"{key}_put_right"] = forms.BooleanField(
                label=about("A deficit was put right during the review", label), required=False
            )

    def groups(self):
        """(label, result field, comment field, put right field) for each standard."""
        return [
            (s.label, self[s.key], self[f"{s.key}_comment"], self[f"{s.key}_put_right"])
            for s in self.asked
        ]

    def values(self):
        data = self.cleaned_data
        values = {}
        for key in (standard.key for standard in self.asked):
            values[key] = data[key] or None
            values[f"{key}_comment"] = data[f"{key}_comment"].strip()
            values[f"{key}_put_right"] = data[f"{key}_put_right"]
        return values


YES_NO = [("yes", "Yes"), ("no", "No")]
# GOV.UK marks the questions that may be left out "(optional)"; here every answer may be left
# out of a draft, so the few a template requires say instead that submission needs them.
NEEDED_TO_SUBMIT = "Answer this before you submit the review"


class QuestionsSectionForm(SectionForm):
    """The questions the review's template asks beyond its standards, each in the GOV.UK way:
    yes or no and a choice as radios, a number as a numeric text input, text as a text area."""

    section = "questions"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = self.review.asks.questions
        for question in self.asked:
            self.fields[question.key] = self._field(question)
            if question.required:
                self.fields[question.key].help_text = NEEDED_TO_SUBMIT

    @staticmethod
    def _field(question):
        if question.type == "yes_no":
            return radios(question.label, YES_NO, required=False)
        if question.type == "choice":
            return radios(question.label, list(question.choices), required=False)
        if question.type == "number":
            # Rendered as GOV.UK asks: type="text" with inputmode="numeric" (core/govuk.py).
            widget = forms.NumberInput(attrs={"class": "govuk-input--width-5"})
            return forms.CharField(label=question.label, required=False, widget=widget)
        return text(question.label, long=True)

    def clean(self):
        data = super().clean()
        for question in self.asked:
            given = (data.get(question.key) or "").strip()
            if question.type == "number" and given:
                problem = review_sections.number_problem(given)
                if problem:
                    self.add_error(question.key, problem)
        return data

    def questions(self):
        return [self[question.key] for question in self.asked]

    def values(self):
        """The answers as the review keeps them (reviews/answers.py): yes or no as true or
        false, a choice as its key, a number as a number, text as text; None when not given."""
        values = {}
        for question in self.asked:
            given = (self.cleaned_data[question.key] or "").strip()
            if not given:
                values[question.key] = None
            elif question.type == "yes_no":
                values[question.key] = given == "yes"
            elif question.type == "number":
                values[question.key] = int(given.replace(",", ""))
            else:
                values[question.key] = given
        return values

    @staticmethod
    def initial_from_values(values):
        shown = {True: "yes", False: "no"}
        return {
            key: shown[value] if isinstance(value, bool) else value for key, value in values.items()
        }


class ThemesSectionForm(SectionForm):
    """Strengths and areas for development under each theme of the review's template (the
    built-in's for a form not yet about a review)."""

    section = "themes"
    PARTS = {
        "strengths": "strengths",
        "development": "areas for development",
        "topics": "learning topics",
        "before_window": "finding from before the practice window",
    }

    def describe(self, name):
        for theme in self.asked:
            for prefix, part in self.PARTS.items():
                if name == f"{prefix}_{theme.key}":
                    return f"{theme.label}: {part}"
        return super().describe(name)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = self.review.themes if self.review else built_in().themes
        # Topics no longer offered stay on the findings that already use them.
        in_use = Q(findings__review=self.review) if self.review else Q(pk__in=[])
        topics = LearningTopic.objects.filter(Q(active=True) | in_use).distinct()
        for theme in self.asked:
            key, title = theme.key, theme.label
            self.fields[f"strengths_{key}"] = text(about("Strengths", title), long=True)
            self.fields[f"development_{key}"] = text(
                about("Areas for development", title), long=True
            )
            self.fields[f"topics_{key}"] = forms.ModelMultipleChoiceField(
                label=about("Learning topics", title),
                queryset=topics,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"before_window_{key}"] = forms.BooleanField(
                label=about("This includes a finding from before the practice window", title),
                required=False,
            )

    def groups(self):
        return [
            (
                theme.label,
                self[f"strengths_{theme.key}"],
                self[f"development_{theme.key}"],
                self[f"topics_{theme.key}"],
                self[f"before_window_{theme.key}"],
            )
            for theme in self.asked
        ]

    def values(self):
        data = self.cleaned_data
        values = {}
        for key in (theme.key for theme in self.asked):
            values[f"strengths_{key}"] = data[f"strengths_{key}"].strip()
            values[f"development_{key}"] = data[f"development_{key}"].strip()
            values[f"topics_{key}"] = sorted(topic.pk for topic in data[f"topics_{key}"])
            values[f"before_window_{key}"] = data[f"before_window_{key}"]
        return values


class GradesSectionForm(SectionForm):
    """A grade and its reasons for each of the template's grade axes, in its words, and why
    outcomes are not good when practice is (a gap case, on a template with both)."""

    section = "grades"
    practice_outcome_reason = text(
        "Why outcomes are not good when practice is good or better",
        long=True,
        help_text="Needed when practice is good or outstanding and outcomes are not: for "
        "example, a young person who will not engage despite the worker's efforts",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        axes = self.review.axes if self.review is not None else built_in().grades
        self.axes = axes
        add_grade_fields(self, axes, required=False, with_reasons=True)
        # Why outcomes differ from practice: asked on a template with both (a gap case).
        self.asks_why_outcomes_differ = review_sections.gap_axes(axes) is not None
        if not self.asks_why_outcomes_differ:
            del self.fields["practice_outcome_reason"]
        self.order_fields([*grade_names(axes, with_reasons=True), "practice_outcome_reason"])

    def grade_rows(self):
        """(grade field, reasons field) of each axis, bound, in the template's order."""
        return [(self[grade_field(a.key)], self[grade_field(a.key, RATIONALE)]) for a in self.axes]

    def values(self):
        data = self.cleaned_data
        values = {}
        for axis in self.axes:
            values[grade_field(axis.key)] = data[grade_field(axis.key)] or None
            values[grade_field(axis.key, RATIONALE)] = data[
                grade_field(axis.key, RATIONALE)
            ].strip()
        if "practice_outcome_reason" in self.fields:
            values["practice_outcome_reason"] = data["practice_outcome_reason"].strip()
        return values


class ConversationForm(forms.Form):
    held_with = radios("Who the conversation was with", Conversation.WITH)
    held_on = date_field("Date of the conversation")
    method = radios("How it was held", Conversation.METHODS)
    their_words = text("What they said, in their words", required=True, long=True)

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review  # item_list_page gives each item form its review


class ReasonForm(forms.Form):
    reason = text("Reason for reopening the review", required=True, long=True)


class ResponseForm(forms.Form):
    text = text(
        "Your reflection and response",
        required=True,
        long=True,
        help_text="It is added as a new dated entry. The review itself does not change.",
    )


SECTION_FORMS = {
    "child": ChildSectionForm,
    "standards": StandardsSectionForm,
    "questions": QuestionsSectionForm,
    "themes": ThemesSectionForm,
    "grades": GradesSectionForm,
}


class SecondReviewerForm(forms.Form):
    second_reviewer = staff_choice("Second reviewer", reviewers_only=True, with_roles=True)


class SecondGradesForm(forms.Form):
    """The second reviewer's grade on each of the template's axes, with their reasons."""

    rationale = text(
        "Your reasons for these grades",
        required=True,
        long=True,
        help_text="What in the case file and the conversations led you to them",
    )

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.axes = review.axes if review is not None else built_in().grades
        add_grade_fields(self, self.axes, required=True)
        self.order_fields([*grade_names(self.axes), "rationale"])

    def grade_fields(self):
        return [self[grade_field(axis.key)] for axis in self.axes]

    def grades(self):
        """{axis: grade} from the cleaned data."""
        return {axis.key: self.cleaned_data[grade_field(axis.key)] for axis in self.axes}


def grade_names(axes, with_reasons=False):
    """The form's names for grades on `axes` (reviews/answers.py names them)."""
    parts = (GRADE, RATIONALE) if with_reasons else (GRADE,)
    return [grade_field(axis.key, part) for axis in axes for part in parts]


def add_grade_fields(form, axes, required, with_reasons=False):
    """A grade question for each of the template's grade `axes` (core GradeAxis), in its words
    and with its levels, named as review files name them (`practice_grade`), with a reasons box
    under each when `with_reasons`."""
    for axis in axes:
        form.fields[grade_field(axis.key)] = radios(
            axis.label, [(level.key, level.label) for level in axis.levels], required=required
        )
        if with_reasons:
            form.fields[grade_field(axis.key, RATIONALE)] = text(
                f"Reasons for the grade for {axis.label.lower()}", long=True
            )
