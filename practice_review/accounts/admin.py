from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from practice_review.accounts import two_factor
from practice_review.accounts.models import StaffMember, Team, User
from practice_review.core.permissions import Permission, has_permission

# django-otp's own device pages would show each person's secret key (and its QR code) to
# superusers, enough to make their codes. Administrators reset two-factor instead (below).
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


class AccountsPermissionMixin:
    """Administrators manage accounts, staff and teams (docs/spec/domain.md#roles); nobody else
    does here."""

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
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor sign-in (they set it up again at next sign-in)")
    def reset_two_factor(self, request, queryset):
        """For someone who lost their phone and their recovery codes.

        Not for yourself: a reset lets the next sign-in set up a new app with the password
        alone, so another administrator must do it. Only a superuser resets a superuser, or an
        administrator who can set a superuser's password could take over that account.
        """
        done = 0
        for user in queryset:
            if user.pk == request.user.pk:
                messages.error(
                    request,
                    "You cannot reset your own two-factor sign-in. Ask another administrator.",
                )
            elif user.is_superuser and not request.user.is_superuser:
                messages.error(
                    request, f"Only a superuser can reset two-factor sign-in for {user.username}."
                )
            else:
                two_factor.reset_two_factor(user, by=request.user)
                done += 1
        if done:
            messages.success(
                request,
                f"Two-factor sign-in reset for {done} {'person' if done == 1 else 'people'}. "
                "They will set it up again when they next sign in.",
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
