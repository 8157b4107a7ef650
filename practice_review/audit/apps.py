from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "practice_review.audit"
    label = "audit"
    verbose_name = "Audit trail"
