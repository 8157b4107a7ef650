from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "practice_review.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready, which is why Django gives apps ready() (not to dodge a cycle).
        from practice_review.alerts.personal_data import register_personal_data
        from practice_review.alerts.queries import alerts_visible_to
        from practice_review.audit.registry import register_record_page

        register_record_page("alert", visible_to=alerts_visible_to, url_name="alert_detail")
        register_personal_data()
