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
