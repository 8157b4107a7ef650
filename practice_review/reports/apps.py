from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "practice_review.reports"
    label = "reports"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready, which is why Django gives apps ready() (not to dodge a cycle).
        from practice_review.audit.registry import register_record_page
        from practice_review.reports.figures import store_every_trend_count, store_trend_counts
        from practice_review.reports.queries import reports_visible_to
        from practice_review.reviews.signals import reviews_changed

        register_record_page(
            "summaryreport", visible_to=reports_visible_to, url_name="report_detail"
        )
        # Each cohort's trend counts are stored, and stored afresh by every write to its
        # reviews, in the same transaction, and after every migrate (ADR 0008).
        reviews_changed.connect(store_trend_counts, dispatch_uid="store_trend_counts")
        post_migrate.connect(store_every_trend_count, sender=self, dispatch_uid="trend_counts")
