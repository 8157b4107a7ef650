from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from practice_review.accounts.models import StaffMember, Team, User
from practice_review.accounts.permissions import Permission, has_permission


class AccountsPermissionMixin:
    """Administrators manage accounts, staff and teams (domain.md); nobody else does here."""

    permission = Permission.MANAGE_ACCOUNTS

    def _allowed(self, request):
        return request.user.is_superuser or has_permission(request.user, self.permission)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return False  # people leave; their records stay attributable


@admin.register(User)
class UserAdmin(AccountsPermissionMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "staff_member", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Role in Practice Review", {"fields": ["role", "staff_member"]}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_system=False)

    def get_readonly_fields(self, request, obj=None):
        """Nobody widens their own access, and only superusers make superusers."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "groups"]
        if obj is not None and obj.pk == request.user.pk:
            readonly += ["role", "staff_member", "is_staff", "is_active"]
        return readonly


@admin.register(StaffMember)
class StaffMemberAdmin(AccountsPermissionMixin, SimpleHistoryAdmin):
    list_display = ["name", "initials", "team"]
    search_fields = ["name", "initials"]
    list_filter = ["team"]


@admin.register(Team)
class TeamAdmin(AccountsPermissionMixin, SimpleHistoryAdmin):
    search_fields = ["name"]
