"""Signing in and out, failed attempts and lockouts go to the audit trail
(docs/spec/quality.md#lockout: "lockout logged"); deactivating a person ends their sessions.

The audit trail may hold the username someone typed, since that is how an administrator sees
who is being attacked. Ordinary logs never do (no personal data in logs): see
`anonymous_client`, which axes uses to describe a client in its own log lines.
"""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from practice_review.accounts import session_clock
from practice_review.accounts.models import User
from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent


def anonymous_client(username, ip_address, user_agent, path_info, request):
    """How axes names a client in its log lines: without a username or address."""
    return "a sign-in attempt"


def _attempted_username(credentials):
    return str((credentials or {}).get("username", ""))[:150]


@receiver(user_logged_in, dispatch_uid="accounts_signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_clock.start(request.session, int(time.time()))
    # A sign-in with the council's account says with which groups and role (sign_in_views.py).
    record(AuditEvent.Action.SIGNED_IN, by=user, details=getattr(request, "sign_in_details", None))


@receiver(user_logged_out, dispatch_uid="accounts_signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditEvent.Action.SIGNED_OUT, by=user)


@receiver(user_login_failed, dispatch_uid="accounts_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    record(
        AuditEvent.Action.SIGN_IN_FAILED,
        details={"username": _attempted_username(credentials)},
    )


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    record(AuditEvent.Action.LOCKED_OUT, details={"username": str(username or "")[:150]})


@receiver(pre_save, sender=User, dispatch_uid="accounts_note_deactivation")
def note_deactivation(sender, instance, raw=False, **kwargs):
    instance._being_deactivated = bool(
        not raw
        and instance.pk
        and not instance.is_active
        and User.objects.filter(pk=instance.pk, is_active=True).exists()
    )


@receiver(post_save, sender=User, dispatch_uid="accounts_end_sessions_on_deactivation")
def end_sessions_on_deactivation(sender, instance, **kwargs):
    """Django already refuses an inactive user on their next request; deleting their stored
    sessions as well means nothing of a deactivated person's sign-in lingers."""
    if getattr(instance, "_being_deactivated", False):
        instance._being_deactivated = False
        end_sessions(instance)


def end_sessions(user):
    """Delete every stored session of `user`. Rare (deactivation), so reading each live session
    is affordable; the session table has no user column to filter on."""
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
