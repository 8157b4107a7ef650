from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "practice_review.tracker"
    label = "tracker"
    verbose_name = "Recommendation and Impact Tracker"
