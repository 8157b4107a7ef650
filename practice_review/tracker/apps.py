from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "practice_review.tracker"
    label = "tracker"
    verbose_name = "Recommendation and Impact Tracker"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready, which is why Django gives apps ready() (not to dodge a cycle).
        from practice_review.audit.registry import register_record_page
        from practice_review.tracker.personal_data import register_personal_data
        from practice_review.tracker.queries import recommendations_visible_to

        register_record_page(
            "recommendation", visible_to=recommendations_visible_to, url_name="tracker_detail"
        )
        register_personal_data()
