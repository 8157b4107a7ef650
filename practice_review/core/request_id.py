"""The id of the request being served, for error pages, logs and audit events.

A context variable rather than a thread-local so it is right under any server model; outside a
request (the command line) it is empty.
"""

import uuid
from contextvars import ContextVar

_current = ContextVar("request_id", default="")


def current_request_id():
    return _current.get()


def new_request_id():
    return uuid.uuid4().hex


def set_request_id(value):
    """Set the id for the rest of this request; returns a token to reset it with."""
    return _current.set(value)


def reset_request_id(token):
    _current.reset(token)


class RequestIdMiddleware:
    """Give every request a fresh id, for its log lines, its audit events, its error page and
    the X-Request-ID response header, so a person quoting it to the service desk can be matched
    to the log. An id sent by the client is never used: it could be forged to confuse the log.
    First in MIDDLEWARE, so everything after it, error pages included, sees the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = new_request_id()
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter:
    """A logging filter that stamps every record with the current request's id ("-" outside a
    request), for LOGGING's format."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True
