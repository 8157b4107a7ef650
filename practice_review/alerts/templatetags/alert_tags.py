"""What the alerts include on a review page needs, so the template holds no rules.

{% load alert_tags %}
{% review_alerts_panel review user as panel %}
"""

from django import template

from practice_review.alerts.presenters import summarise
from practice_review.alerts.queries import alerts_visible_to, may_raise_alert
from practice_review.core.permissions import Permission, has_permission

register = template.Library()


@register.simple_tag
def review_alerts_panel(review, user):
    """The alerts on `review` this person may see, and whether they may raise one.

    `shown` is false for people who never see alerts (practitioners, administrators), so the
    section is left out rather than claiming there are none."""
    shown = has_permission(user, Permission.VIEW_ALERTS)
    return {
        "shown": shown,
        "alerts": summarise(alerts_visible_to(user).filter(review=review)) if shown else [],
        "can_raise": may_raise_alert(user, review),
    }
