"""The Django admin holds reference data (grade descriptors, learning topics) for support.

Case records (children, reviews) are not in the admin: they are reached only through the
scoped pages, so nobody sees case content through a side door.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from practice_review.accounts.admin import AccountsPermissionMixin
from practice_review.core.permissions import Permission
from practice_review.reviews.models import GradeDescriptor, GradeDescriptorSet, LearningTopic


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
