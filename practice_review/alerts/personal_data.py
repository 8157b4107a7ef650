"""The personal data in alerts (core/personal_data.py). Called from AlertsConfig.ready()."""

from practice_review.alerts.models import Alert
from practice_review.core.personal_data import register


def register_personal_data():
    register(
        Alert,
        name="alerts",
        reaches_review="review",
        words=("concern", "action_taken"),
        description="Alerts raised about a significant concern, and what was done.",
    )
