from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "practice_review.reports"
    label = "reports"
