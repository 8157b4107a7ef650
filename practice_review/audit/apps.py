from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "practice_review.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from practice_review.audit.history import record_history

        post_create_historical_record.connect(record_history, dispatch_uid="audit_history")
