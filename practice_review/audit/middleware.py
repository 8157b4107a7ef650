"""Records who opened or downloaded case data (docs/spec/quality.md#audit-trail: who viewed what).

Before the view: a case page (pages.py's table) answers only the methods its row names (GET and
HEAD; its own form's POST), anything else (OPTIONS, PUT, PATCH, DELETE...) is refused with a 405
and no content, so no method returns case data the trail does not see.

After the view has answered: a signed-in person's answer that shows the page is recorded
(shows_case_data), whatever the method: a GET or HEAD that succeeded, and a POST that shows the
page again with its form's errors (400 or 409 too). A refused or missing record (403, 404) is
not a view, and the record named in the URL is the one the view let them see. A redirect after
a POST is not a view: what it changed is recorded from the record's history. At most one insert
per request.

If the event cannot be written the error propagates: a page of case data is not shown
without its record in the trail.
"""

from django.http import HttpResponseNotAllowed

from practice_review.audit.events import record
from practice_review.audit.pages import case_page
from practice_review.core.errors import is_error_page

SHOWN_AGAIN_WITH_ERRORS = (400, 409)  # a form with errors, a save that met someone else's


def shows_case_data(request, response):
    """Whether this answer to an allowed method shows the case page (or its file)."""
    if is_error_page(response):  # the generic 400 page: nothing of the case
        return False
    if request.method == "POST" and response.get("Content-Type", "").startswith("application/json"):
        return False  # the review form's autosave: versions and field names, no case data
    status = response.status_code
    return 200 <= status < 300 or status in SHOWN_AGAIN_WITH_ERRORS


class RecordCaseViews:
    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        page = case_page(match.url_name, match.namespace)
        if page is not None and request.method not in page.methods:
            return HttpResponseNotAllowed(page.methods)
        return None

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or match is None:
            return response
        page = case_page(match.url_name, match.namespace)
        if page is None or request.method not in page.methods:
            return response
        if shows_case_data(request, response):
            target_type, target_id, details = page.target_and_details(match.kwargs)
            record(
                page.action,
                by=user,
                target_type=target_type,
                target_id=target_id,
                details=details,
            )
        return response
