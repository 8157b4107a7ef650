"""Gathers, for the report builder, what the figures do not hold: the cohort table, the
practice/outcome gap cases with their reasons, the findings by theme. Scoped like the figures."""

from collections import defaultdict

from django.db.models import Count, Q

from practice_review.reports.builder import ReportData
from practice_review.reviews import vocabulary as v
from practice_review.reviews.models import ThemeFinding

BAD_OUTCOMES = [key for key in v.GRADE_KEYS if key not in v.GOOD_OR_BETTER]


def report_data(cohort, reviews):
    completed = (
        reviews.filter(cohort=cohort)
        .completed()
        .with_counted_grades()
        .select_related("child", "social_worker", "supervisor")
        .order_by("review_date", "id")
    )
    rows, gaps = [], []
    for review in completed:
        worker = str(review.social_worker or "")
        rows.append({
            "initials": review.child.initials,
            "gender": review.get_gender_display(),
            "age": review.age_as_written,
            "ethnicity": review.ethnicity,
            "status": review.get_legal_status_display(),
            "social_worker": worker + (" (student)" if review.social_worker_was_student else ""),
            "supervisor": str(review.supervisor or ""),
        })  # fmt: skip
        if (review.counted_practice_grade in v.GOOD_OR_BETTER
                and review.counted_outcome_grade in BAD_OUTCOMES):  # fmt: skip
            gaps.append((
                review.child.initials,
                v.label_for(v.GRADES, review.counted_practice_grade),
                v.label_for(v.GRADES, review.counted_outcome_grade),
                review.practice_outcome_reason or "No reason recorded.",
            ))  # fmt: skip
    findings = defaultdict(lambda: {"strengths": [], "development": []})
    for finding in ThemeFinding.objects.filter(review__in=completed).order_by(
        "review__review_date"
    ):
        if finding.strengths:
            findings[finding.theme]["strengths"].append(finding.strengths)
        if finding.development:
            findings[finding.theme]["development"].append(finding.development)
    put_right = completed.aggregate(**{
        key: Count("id", filter=Q(**{f"{key}_put_right": True}))
        for key in v.PRACTICE_STANDARD_KEYS
    })  # fmt: skip
    return ReportData(
        cohort_rows=rows, gap_cases=gaps, findings=dict(findings), put_right=put_right
    )
