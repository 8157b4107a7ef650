"""The pages about cases that this app draws: a cohort's page with its figures, and one review
as a Word or PDF document for the child's case file. They live here, above the reviews app,
because the figures and the documents are this app's (docs/architecture.md)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render

from practice_review.core.audit_templates import BUILT_IN_KEY
from practice_review.core.permissions import Permission, has_permission
from practice_review.reports.builder import build_review_document
from practice_review.reports.figures import cohort_figures
from practice_review.reports.presenters import FiguresPresenter
from practice_review.reports.renderers import RENDERERS
from practice_review.reports.report_data import review_document_data
from practice_review.reports.summary import protective_marking
from practice_review.reports.unavailable import explains_missing_library
from practice_review.reviews import dual_review
from practice_review.reviews.models import AuditTemplate, grade_row
from practice_review.reviews.notifications import review_reference
from practice_review.reviews.queries import (
    frameworks,
    get_cohort_for_user,
    get_review_for_user,
    graded_reviews_visible_to,
    reviews_blind_to,
    reviews_visible_to,
)
from practice_review.sampling.draw import rules_in_words
from practice_review.sampling.queries import children_to_add, started_reviews


def cohort_detail(request, cohort_id):
    cohort = get_cohort_for_user(request.user, cohort_id)
    visible = reviews_visible_to(request.user)
    reviews = visible.filter(cohort=cohort).select_related(
        "child", "social_worker", "supervisor", "reviewer"
    )
    graded = graded_reviews_visible_to(request.user)
    figures = FiguresPresenter(
        cohort_figures(cohort, reviews=graded), frameworks(), [cohort.template.template]
    )
    can_manage = has_permission(request.user, Permission.MANAGE_COHORTS)
    # Reviews this reader grades blind as second reviewer: their grades are not shown, and the
    # standards figures leave them out (graded_reviews_visible_to).
    blind = set(reviews_blind_to(request.user, reviews).values_list("pk", flat=True))
    # Each review's grades in its own template version's words, each version read once.
    asks = AuditTemplate.objects.by_id_for(reviews)
    axes = cohort.template.template.grades
    return render(
        request,
        "reports/cohort_detail.html",
        {
            "cohort": cohort,
            "reviews": [
                (
                    review,
                    [grade_row(axis, review.answers) for axis in asks[review.template_id].grades],
                )
                for review in reviews
            ],
            "axes": axes,
            "figures": figures,
            "can_manage": can_manage,
            "blind": blind,
            # Named when it is not the built-in one, which every cohort was on before templates.
            "template": None if cohort.template.key == BUILT_IN_KEY else cohort.template,
            "drawn": _how_drawn(cohort),
            # The children drawn and not yet added, for the QA lead to add with a reviewer.
            "to_add": children_to_add(cohort) if can_manage else [],
            "can_redraw": can_manage and _redraw_allowed(cohort),
        },
    )


def _redraw_allowed(cohort):
    return hasattr(cohort, "draw") and not started_reviews(cohort).exists()


def _how_drawn(cohort):
    draw = getattr(cohort, "draw", None)
    if draw is None:
        return None
    return {
        "rules": rules_in_words(draw.rules, draw.as_of),
        "seed": draw.seed,
        "as_of": draw.as_of,
        "extract": draw.extract,
        "drawn_at": draw.drawn_at,
    }


@explains_missing_library
def review_document(request, review_id, format):
    """The review as a Word or PDF document for the child's case file (scoped like the page)."""
    if format not in ("docx", "pdf"):
        raise Http404
    review = get_review_for_user(request.user, review_id)
    if dual_review.write_up_hidden_from(request.user, review):
        raise Http404  # the document is the first reviewer's write-up, not for a blind reader
    document = build_review_document(
        council=settings.COUNCIL_NAME,
        data=review_document_data(review),
        marking=protective_marking(),
    )
    renderer = RENDERERS[format]()
    response = HttpResponse(renderer.render(document), content_type=renderer.content_type)
    # The file name carries the reference only, never the child's initials.
    name = f"practice-review-{review_reference(review).lower()}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
