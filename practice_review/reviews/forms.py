from django import forms
from django.conf import settings
from django.db.models import Case, Value, When

from practice_review.accounts.models import StaffMember
from practice_review.core.audit_templates import BUILT_IN_KEY
from practice_review.core.vocabulary import Role, staff_roles_text
from practice_review.reviews.models import AuditTemplate
from practice_review.reviews.queries import staff_roles


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of staff as the council recorded them: the name, with the initials in brackets
    when both are recorded (StaffMember.__str__), and, `with_roles`, the parts each has played
    on reviews: "Rachel Lewis (RL) – social worker"."""

    def __init__(self, *args, with_roles=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_roles = with_roles

    def label_from_instance(self, member):
        if not self.with_roles:
            return str(member)
        if getattr(self, "_roles", None) is None:
            self._roles = staff_roles()  # once per form shown: each form has its own fields
        roles = staff_roles_text(self._roles.get(member.pk, ()))
        return f"{member} – {roles}" if roles else str(member)


def staff_choice(label, required=True, reviewers_only=False, with_roles=False):
    """Choose a member of staff. `with_roles` only in forms for people who see every review
    (the QA lead's): the parts are read from all reviews (queries.staff_roles)."""
    staff = StaffMember.objects.order_by("name")
    if reviewers_only:
        staff = staff.filter(user__role=Role.REVIEWER, user__is_active=True)
    return StaffChoiceField(
        label=label,
        queryset=staff,
        required=required,
        empty_label="Choose a member of staff" if required else "None",
        error_messages={"required": f"Choose {label.lower()}"},
        with_roles=with_roles,
    )


class TemplateChoiceField(forms.ModelChoiceField):
    """A choice of the published audit templates, each by name and version
    ("Thematic audit - neglect, version 1"), the built-in one first and chosen unless another
    is; left blank (an older page or a script), it is the built-in one too."""

    def __init__(self, label, help_text=""):
        published = AuditTemplate.objects.published().order_by(
            Case(When(key=BUILT_IN_KEY, then=Value(0)), default=Value(1)), "name", "version"
        )
        super().__init__(
            label=label,
            help_text=help_text,
            queryset=published,
            required=False,
            empty_label=None,
            widget=forms.RadioSelect,
            initial=lambda: AuditTemplate.objects.built_in().pk,
            error_messages={"invalid_choice": f"Select {label.lower()}: one of those listed"},
        )

    def clean(self, value):
        return super().clean(value) or AuditTemplate.objects.built_in()


class ReviewFileForm(forms.Form):
    file = forms.FileField(
        label="Upload a review file",
        help_text="A CSV (UTF-8 or Windows-1252) or XLSX file with one row per completed review.",
        error_messages={
            "required": "Select a review file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded: try again",
        },
    )
    cohort = forms.CharField(
        label="Cohort (optional)",
        required=False,
        max_length=200,
        help_text="Used for rows whose cohort column is blank, or when the file has none.",
    )
    template = TemplateChoiceField(
        "Audit template",
        help_text="The template the reviews in the file answer: its standards and questions are "
        "the file's columns. A new cohort is made on it.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The selected file must be smaller than {limit} MB")
        if not upload.name.casefold().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        return upload
