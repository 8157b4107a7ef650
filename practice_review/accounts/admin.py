from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from practice_review.accounts import actions, queries
from practice_review.accounts.change_rules import WAITING_MESSAGE, NotAllowed
from practice_review.accounts.models import StaffMember, Team, User
from practice_review.accounts.presenters import change_summary, held_fields
from practice_review.core.permissions import Permission, has_permission

# django-otp's own device pages would show each person's secret key (and its QR code) to
# superusers, enough to make their codes. Administrators ask for a reset instead (below).
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
    """Accounts, under the two-person rule (change_rules.py): a save that gives case access or
    changes how another person signs in files a request instead of making that change, and says
    so; the rest of the save is made at once."""

    list_display = ["username", "first_name", "last_name", "role", "staff_member", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            "Role in Practice Review",
            {
                "fields": [
                    "signs_in_with",
                    "role",
                    "staff_member",
                    "suggested_staff_member",
                    "waiting_for_approval",
                ]
            },
        ),
    )
    # A whole account in one go; what of it must wait is held back as on the change page.
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Role in Practice Review", {"fields": ["role", "staff_member"]}),
    )
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor sign-in (they set it up again at next sign-in)")
    def reset_two_factor(self, request, queryset):
        """For someone who lost their phone and their recovery codes. Asked for here, made when
        a QA lead or a superuser approves (change_rules.two_factor_reset_refusal says who may
        not even ask)."""
        filed = 0
        for user in queryset:
            try:
                actions.ask_for_two_factor_reset(account=user, by=request.user)
            except NotAllowed as refusal:
                messages.error(request, str(refusal))
            else:
                filed += 1
        if filed:
            people = "1 person" if filed == 1 else f"{filed} people"
            messages.warning(
                request,
                f"{WAITING_MESSAGE}: a reset of two-factor sign-in for {people}. Until then "
                "nothing changes; once approved, they set it up again when they next sign in.",
            )

    @admin.display(description="Signs in with")
    def signs_in_with(self, obj):
        if obj.provider_subject:
            return (
                "Their council account. Their role comes from the groups they are in at the "
                "council's identity provider, read again at each sign-in: to change it, change "
                "their groups there."
            )
        return "A username and password here, and two-factor sign-in"

    @admin.display(description="Suggested staff member")
    def suggested_staff_member(self, obj):
        """The staff member this account may be, by name or email address, for the administrator
        to choose in "Staff member" above (never linked without them)."""
        found = [str(staff) for staff in queries.suggested_staff_members(obj)] if obj.pk else []
        return "; ".join(found) or "None found"

    @admin.display(description="Waiting for approval")
    def waiting_for_approval(self, obj):
        waiting = [
            f"{'; '.join(change_summary(change))} (asked by {change.requested_by} on "
            f"{timezone.localtime(change.requested_at):%-d %B %Y})"
            for change in queries.changes_waiting_for_account(obj)
        ]
        return " · ".join(waiting) or "Nothing"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_system=False)

    def get_readonly_fields(self, request, obj=None):
        """Nobody widens their own access, and only superusers make superusers or staff (the
        admin site is where accounts are managed). When an account was made and last signed in
        are facts the approvers of changes rely on, so nobody edits them here."""
        readonly = [
            *super().get_readonly_fields(request, obj),
            "waiting_for_approval",
            "signs_in_with",
            "suggested_staff_member",
            "last_login",
            "date_joined",
        ]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "is_staff", "user_permissions", "groups"]
        if obj is not None and obj.pk == request.user.pk:
            readonly += ["role", "staff_member", "is_staff", "is_active"]
        if obj is not None and obj.provider_subject:
            # The provider's groups decide it at every sign-in; a role set here would not last.
            readonly += ["role"]
        return list(dict.fromkeys(readonly))

    def save_model(self, request, obj, form, change):
        request.account_change = actions.save_account(account=obj, by=request.user)

    def construct_change_message(self, request, form, formsets, add=False):
        """The admin's own log of the save names only what was made, not what waits."""
        message = super().construct_change_message(request, form, formsets, add)
        change = getattr(request, "account_change", None)
        if change is None or add:
            return message
        waiting = {
            str(form.fields[name].label) for name in held_fields(change) if name in form.fields
        }
        for entry in message:
            if "changed" in entry:
                entry["changed"]["fields"] = [
                    label for label in entry["changed"]["fields"] if label not in waiting
                ]
        return [entry for entry in message if entry.get("changed", {}).get("fields", True)]

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._say_what_waits(request)
        return response

    def response_change(self, request, obj):
        if getattr(request, "account_change", None) is None:
            return super().response_change(request, obj)
        self._say_what_waits(request)
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[obj.pk]))

    def _say_what_waits(self, request):
        change = getattr(request, "account_change", None)
        if change is not None:
            self.message_user(
                request,
                f"{WAITING_MESSAGE}: {'; '.join(change_summary(change))}. Until then the account "
                "stays as it was; anything else you changed is saved.",
                messages.WARNING,
            )

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        """Another person's new password is asked for, not set: the form hashes it and the hash
        alone is kept, for the approver to apply. Your own you set at once, as Django does."""
        account = self.get_object(request, unquote(id))
        if (
            request.method != "POST"
            or account is None
            or account.pk == request.user.pk
            or not self.has_change_permission(request, account)
        ):
            return super().user_change_password(request, id, form_url)
        form = self.change_password_form(account, request.POST)
        # Django's view shows the form's errors (and refuses conflicting buttons) saving nothing.
        if not form.is_valid() or not (
            form.cleaned_data["set_usable_password"] or "unset-password" in request.POST
        ):
            return super().user_change_password(request, id, form_url)
        form.save(commit=False)  # hashes the new password into account.password; saves nothing
        password_hash = account.password
        account.refresh_from_db()
        change = actions.ask_for_password(
            account=account, password_hash=password_hash, by=request.user
        )
        self.message_user(
            request,
            f"{WAITING_MESSAGE}: {'; '.join(change_summary(change))}. Until then their password "
            "stays as it was.",
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[account.pk]))


@admin.register(StaffMember)
class StaffMemberAdmin(AccountsPermissionMixin, SimpleHistoryAdmin):
    list_display = ["name", "initials", "team"]
    search_fields = ["name", "initials"]
    list_filter = ["team"]


@admin.register(Team)
class TeamAdmin(AccountsPermissionMixin, SimpleHistoryAdmin):
    search_fields = ["name"]
