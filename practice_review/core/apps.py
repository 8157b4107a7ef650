from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "practice_review.core"
    label = "core"
