from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "practice_review.accounts"
    label = "accounts"
    verbose_name = "Accounts, staff and teams"
