from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "practice_review.accounts"
    label = "accounts"
    verbose_name = "Accounts, staff and teams"

    def ready(self):
        from practice_review.accounts import signals  # noqa: F401  (connects the receivers)
