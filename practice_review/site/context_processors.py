from django.conf import settings

from practice_review.site.navigation import nav_items_for


def site(request):
    """What every page's shell needs: the council's name, demo mode and the navigation."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "two_factor_required": settings.TWO_FACTOR_REQUIRED,
        "nav_items": nav_items_for(request),
    }
