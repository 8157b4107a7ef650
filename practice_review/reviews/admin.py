"""The Django admin holds reference data (grade descriptors, learning topics, legal or practice
frameworks) for support.

Case records (children, reviews) are not in the admin: they are reached only through the
scoped pages, so nobody sees case content through a side door.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from practice_review.accounts.admin import AccountsPermissionMixin
from practice_review.core.permissions import Permission
from practice_review.reviews.models import (
    Framework,
    GradeDescriptor,
    GradeDescriptorSet,
    LearningTopic,
)
from practice_review.reviews.review_file import CONTROL_CHARACTERS


class ReferenceDataMixin(AccountsPermissionMixin):
    permission = Permission.MANAGE_REFERENCE_DATA


class GradeDescriptorInline(admin.TabularInline):
    model = GradeDescriptor
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GradeDescriptorSet)
class GradeDescriptorSetAdmin(ReferenceDataMixin, SimpleHistoryAdmin):
    list_display = ["version", "introduced_on"]
    inlines = [GradeDescriptorInline]


@admin.register(LearningTopic)
class LearningTopicAdmin(ReferenceDataMixin, SimpleHistoryAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


class SynonymsField(forms.CharField):
    """A framework's synonyms as a box of lines, one a line, as a QA lead would list them."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def validate(self, value):
        for synonym in value:
            if len(synonym) > 100 or CONTROL_CHARACTERS.search(synonym):
                raise forms.ValidationError(
                    "Give each synonym on a line of its own, in at most 100 characters"
                )


class FrameworkForm(forms.ModelForm):
    synonyms = SynonymsField(
        required=False,
        help_text="One a line: other words review files use for it, for example FH. Capitals, "
        "spaces and hyphens do not matter.",
    )

    class Meta:
        model = Framework
        fields = ["key", "label", "synonyms", "order", "active"]


@admin.register(Framework)
class FrameworkAdmin(ReferenceDataMixin, SimpleHistoryAdmin):
    form = FrameworkForm
    list_display = ["label", "key", "order", "active"]
    list_filter = ["active"]
    ordering = ["order", "key"]

    def get_readonly_fields(self, request, obj=None):
        # Reviews hold the key: changing it would leave them naming nothing.
        return ["key"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # reviews hold the key; one no longer used is made inactive
