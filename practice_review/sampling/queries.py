"""Reads of the sampling app (docs/architecture.md): the pages guard who may call them."""

from practice_review.sampling.models import CaseloadExtract


def extracts():
    """Every caseload extract imported, latest (the current one) first, with who imported it.
    An extract holds no case data itself (a file name, a date, a count): the QA lead's list."""
    return CaseloadExtract.objects.select_related("imported_by").order_by("-imported_at", "-id")
