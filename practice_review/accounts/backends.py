"""Signing in with a username and password: Django's, for accounts made here only.

The rules live in the backend, not the sign-in form, so that every way in obeys them: the
sign-in page, the Django admin's own sign-in page, and a session already open (Django asks the
backend again for its user on every request).
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from practice_review.accounts import oidc


def local_sign_in_allowed():
    """Passwords are for accounts made here, unless PRACTICE_REVIEW_LOCAL_SIGN_IN turns them off
    where a council account sign-in exists (settings.py refuses to start with neither)."""
    return settings.LOCAL_SIGN_IN or not oidc.configuration().enabled


class PasswordBackend(ModelBackend):
    def user_can_authenticate(self, user):
        # A council account's role comes from the provider's groups at each sign-in: a password
        # set on it by mistake must not be a way round them (docs/spec/domain.md#council-accounts).
        if getattr(user, "provider_subject", None):
            return False
        return local_sign_in_allowed() and super().user_can_authenticate(user)
