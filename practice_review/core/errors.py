"""Generic error pages that show the request id, never a traceback or what went wrong.

The id ties what a person tells the service desk to the log line of their request (the
logging filter in core/request_id.py stamps it on every record), so the page need say nothing
about the cause (docs/spec/quality.md#error-pages: "forced server error with DEBUG off: no leak").
"""

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from practice_review.core.request_id import current_request_id


def is_error_page(response):
    """Whether a response is one of these generic pages, which show nothing of a case."""
    return getattr(response, "generic_error_page", False)


def _marked(response):
    response.generic_error_page = True
    return response


def _page(request, template_name):
    return loader.render_to_string(
        template_name, {"request_id": current_request_id()}, request=request
    )


@requires_csrf_token
def bad_request(request, exception):
    return _marked(HttpResponseBadRequest(_page(request, "400.html")))


@requires_csrf_token
def permission_denied(request, exception):
    return _marked(HttpResponseForbidden(_page(request, "403.html")))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the GOV.UK 403 page instead of Django's (whose inline style our
    Content Security Policy blocks)."""
    return _marked(HttpResponseForbidden(_page(request, "403.html")))


@requires_csrf_token
def page_not_found(request, exception):
    return _marked(HttpResponseNotFound(_page(request, "404.html")))


def server_error(request):
    """Rendered without the request: no context processors, so no database and no user, any
    of which may be what failed."""
    html = loader.render_to_string("500.html", {"request_id": current_request_id()})
    return _marked(HttpResponseServerError(html))
