"""Locking out wrong passwords (django-axes): two rules, and the address they count by.

- **A username from one address**: 10 wrong passwords in 5 minutes lock that username from that
  address for 5 minutes. Axes does this itself (settings.py: `AXES_LOCKOUT_PARAMETERS =
  [["username", "ip_address"]]`, `AXES_FAILURE_LIMIT`, `AXES_COOLOFF_TIME`). Someone who keeps
  sending wrong passwords for the QA lead locks only their own address; the QA lead at their desk
  still signs in.
- **A username from every address**: 50 wrong passwords in an hour, from any addresses, lock the
  username everywhere until fewer than 50 of the last hour are left. Axes has one threshold, so
  this rule is `LockoutHandler` below, counting axes' own log of failures (`AccessFailureLog`,
  on in settings.py). Axes logs no failure made while the person is already locked out, so an
  attacker hammering a locked address does not bring the username-wide lock nearer. The log
  holds addresses, so it is kept for the hour it is needed and no longer.

Both lockouts send axes' `user_locked_out` signal, which puts a `locked_out` event in the audit
trail (signals.py). Behind the council's proxy the address is the one the proxy saw
(`client_address`).
"""

import datetime
import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.utils import timezone

USERNAME_FAILURE_LIMIT = 50
USERNAME_WINDOW = datetime.timedelta(hours=1)


def client_address(request):
    """AXES_CLIENT_IP_CALLABLE: the address of the person signing in.

    Directly reachable (PROXY_COUNT 0), that is REMOTE_ADDR. Behind PROXY_COUNT proxies, each
    appending the address it saw to X-Forwarded-For, it is the PROXY_COUNT-th address from the
    right: what the outermost of our proxies saw. Anything further left was written by the
    browser and is not believed."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(addresses) >= proxies:
            try:
                return str(ipaddress.ip_address(addresses[-proxies]))
            except ValueError:
                pass  # not an address: our proxy wrote no such thing; fall back
    return request.META.get("REMOTE_ADDR")


def username_failures_in_the_last_hour(username):
    since = timezone.now() - USERNAME_WINDOW
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the username-wide rule added (AXES_HANDLER)."""

    def is_locked(self, request, credentials=None):
        # The username-wide rule first: when both apply, the page says the longer wait.
        return self.locked_everywhere(request, credentials) or super().is_locked(
            request, credentials
        )

    def locked_everywhere(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return False
        locked = username_failures_in_the_last_hour(username) >= USERNAME_FAILURE_LIMIT
        if locked:
            request.locked_out_everywhere = True  # the lockout page says how long
        return locked

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        AccessFailureLog.objects.filter(attempt_time__lt=timezone.now() - USERNAME_WINDOW).delete()
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out:
            return
        # This failure may be the 50th of the hour from anywhere (axes checked one address).
        if self.locked_everywhere(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
