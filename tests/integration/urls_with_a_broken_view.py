"""The product's URLconf plus a view that fails, for the server error test only (never in the
product). The error handlers are the product's."""

from django.urls import path

from practice_review.urls import (  # noqa: F401 (Django looks the handlers up here)
    handler400,
    handler403,
    handler404,
    handler500,
    urlpatterns,
)

FAILURE = "a deliberate failure the page must not show"


def broken(request):
    raise RuntimeError(FAILURE)


urlpatterns = [*urlpatterns, path("broken/", broken, name="broken_for_tests")]
