from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "practice_review.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready, which is why Django gives apps ready() (not to dodge a cycle).
        from practice_review.audit.registry import register_record_page
        from practice_review.moderation.personal_data import register_personal_data
        from practice_review.moderation.queries import meetings_visible_to

        register_record_page("meeting", visible_to=meetings_visible_to, url_name="meeting_detail")
        register_personal_data()
