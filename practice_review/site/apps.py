from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top floor: the home page, the demo, backups and the server command. It may import
    every app; no app imports it (docs/architecture.md)."""

    name = "practice_review.site"
    label = "site"
    verbose_name = "Practice Review"
