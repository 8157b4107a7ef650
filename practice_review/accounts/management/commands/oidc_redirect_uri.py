"""`practice-review oidc-redirect-uri`: the address to register with the council's identity
provider, so an administrator never has to guess it
(docs/spec/interchange.md#practice-review-oidc-redirect-uri).

It comes from PRACTICE_REVIEW_SITE_URL alone and works before any OIDC_* setting exists: the
registration with the provider is made first, and gives the client id and secret.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from practice_review.accounts import single_sign_on


class Command(BaseCommand):
    help = (
        "Print the redirect URI to register with the identity provider (from "
        "PRACTICE_REVIEW_SITE_URL); --sign-out prints where it returns people after signing out."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sign-out",
            action="store_true",
            help="print the address the provider sends people back to after signing out",
        )

    def handle(self, *args, sign_out=False, **options):
        uri = (single_sign_on.signed_out_uri if sign_out else single_sign_on.redirect_uri)(
            settings.SITE_URL
        )
        self.stdout.write(uri)
