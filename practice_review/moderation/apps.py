from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "practice_review.moderation"
    label = "moderation"
    verbose_name = "Moderation"
