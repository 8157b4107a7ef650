"""A file that this server cannot make says why, in a page, rather than failing with a 500."""

import functools
import logging

from django.shortcuts import render

from practice_review.reports.renderers.pdf import MissingSystemLibrary

logger = logging.getLogger(__name__)


def explains_missing_library(view):
    """Wraps a view that renders a document: a missing system library (PDF output on a server
    without Pango) gives a page naming the Debian package to install, with status 503."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except MissingSystemLibrary as missing:
            logger.error("PDF output unavailable: install %s", " ".join(missing.packages))
            return render(
                request,
                "reports/pdf_unavailable.html",
                {"packages": " ".join(missing.packages)},
                status=503,
            )

    return wrapped
