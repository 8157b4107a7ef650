from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "practice_review.reports"
    label = "reports"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready, which is why Django gives apps ready() (not to dodge a cycle).
        from practice_review.audit.registry import register_record_page
        from practice_review.reports.queries import reports_visible_to

        register_record_page(
            "summaryreport", visible_to=reports_visible_to, url_name="report_detail"
        )
