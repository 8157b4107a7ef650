"""Records who opened or downloaded case data (docs/spec/quality.md#audit-trail: who viewed what).

After the view has answered: only a signed-in person's GET that succeeded (2xx) is recorded, so
a refused or missing record (404) is not a view, and the record named in the URL is the one the
view let them see. Which pages count, and as what, is pages.py's table. At most one insert per
request. POSTs are not views; what they change is recorded from the record's history.

If the event cannot be written the error propagates: a page of case data is not shown
without its record in the trail.
"""

from practice_review.audit.events import record
from practice_review.audit.pages import case_page


class RecordCaseViews:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "GET" or not 200 <= response.status_code < 300:
            return response
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or match is None:
            return response
        page = case_page(match.url_name, match.namespace)
        if page is not None:
            target_type, target_id, details = page.target_and_details(match.kwargs)
            record(
                page.action,
                by=user,
                target_type=target_type,
                target_id=target_id,
                details=details,
            )
        return response
