"""The service navigation: a link to each part of the service a person's role lets them use.
It names pages of every app, so it lives on the top floor (docs/architecture.md)."""

from django.urls import reverse

from practice_review.accounts import two_factor
from practice_review.core.permissions import Permission, has_permission
from practice_review.core.vocabulary import Role


def nav_items_for(request):
    """The service navigation a signed-in person sees, by what their role lets them do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # Before the second factor nothing but "Sign out" leads anywhere (accounts/middleware.py).
    # (Only links: the middleware is what refuses. A request that skipped OTPMiddleware, as in a
    # template test, has no is_verified.)
    if two_factor.required(request) and not getattr(user, "is_verified", lambda: True)():
        return []
    items = [("Home", reverse("home"))]
    if user.role == Role.REVIEWER:
        items.append(("My reviews", reverse("my_reviews")))
    if has_permission(user, Permission.VIEW_ALERTS):
        items.append(("Alerts", reverse("alert_list")))
    if has_permission(user, Permission.VIEW_CASES):  # MANAGE_RECOMMENDATIONS roles have it too
        items.append(("Recommendations", reverse("tracker_list")))
    if has_permission(user, Permission.VIEW_MODERATION):
        items.append(("Moderation", reverse("meeting_list")))
    if has_permission(user, Permission.VIEW_REPORTS):
        items.append(("Reports", reverse("report_list")))
    if has_permission(user, Permission.VIEW_AGREEMENT):
        items.append(("Agreement", reverse("agreement")))
    if has_permission(user, Permission.VIEW_COVERAGE):
        items.append(("Coverage", reverse("coverage")))
    if has_permission(user, Permission.IMPORT_REVIEWS):
        items.append(("Import reviews", reverse("import_reviews")))
    if has_permission(user, Permission.MANAGE_CASELOAD):
        items.append(("Caseload", reverse("caseload")))
    if has_permission(user, Permission.MANAGE_TEMPLATES):
        items.append(("Audit templates", reverse("template_list")))
    if has_permission(user, Permission.MANAGE_DATA_PROTECTION):
        items.append(("Children", reverse("child_search")))
    if has_permission(user, Permission.VIEW_AUDIT):
        items.append(("Audit trail", reverse("audit_log")))
    if has_permission(user, Permission.APPROVE_ACCOUNT_CHANGES):
        items.append(("Account approvals", reverse("account_approvals")))
    if has_permission(user, Permission.MANAGE_ACCOUNTS):
        items.append(("Accounts and settings", reverse("admin:index")))
    path = request.path
    return [
        {
            "label": label,
            "url": url,
            "current": path == url or (url != "/" and path.startswith(url)),
        }
        for label, url in items
    ]
