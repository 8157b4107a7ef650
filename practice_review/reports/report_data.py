"""Gathers, for the report builder, what the figures do not hold: the cohort table, the
practice/outcome gap cases with their reasons, the findings by theme. Scoped like the figures."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from practice_review.core import vocabulary as v
from practice_review.core.text import long_date
from practice_review.reports.builder import ReportData
from practice_review.reviews.answers import PUT_RIGHT, lookup
from practice_review.reviews.models import AuditTemplate, ThemeFinding
from practice_review.reviews.notifications import review_reference
from practice_review.reviews.practice_window import practice_window
from practice_review.reviews.queries import frameworks, template_versions
from practice_review.reviews.review_sections import is_gap
from practice_review.sampling.draw import rules_in_words
from practice_review.sampling.models import CohortDraw
from practice_review.tracker.models import Recommendation


def report_data(reviews, raised=(None, None), comparison=None):
    """For the completed reviews among `reviews` (already narrowed to what the report covers
    and to what its reader may see). `raised` is (first day, day after the last) of the period
    whose service-level recommendations the report lists, besides those for its cohorts.
    `comparison` is the figures' comparator block, whose template versions name what it asks."""
    completed = (
        reviews.completed()
        .select_related("child", "social_worker", "supervisor")
        .order_by("review_date", "id")
    )
    rows, gaps, staff_names = [], [], set()
    council_frameworks = frameworks()
    asks = AuditTemplate.objects.by_id_for(completed)  # each version read once
    for review in completed:
        worker = str(review.social_worker or "")
        for member in (review.social_worker, review.supervisor):
            if member is not None:
                staff_names.update(name for name in (member.name, member.initials) if name)
        rows.append({
            "initials": review.child.initials,
            "gender": review.get_gender_display(),
            "age": review.age_as_written,
            "ethnicity": review.ethnicity,
            "status": v.framework_label(review.legal_status, council_frameworks),
            "social_worker": worker + (" (student)" if review.social_worker_was_student else ""),
            "supervisor": str(review.supervisor or ""),
        })  # fmt: skip
        axes = asks[review.template_id].grades
        counted = {axis.key: review.counted_grade(axis.key) for axis in axes}
        if is_gap(counted, axes):
            words = {axis.key: {level.key: level.label for level in axis.levels} for axis in axes}
            gaps.append((
                review.child.initials,
                words["practice"][counted["practice"]],
                words["outcome"][counted["outcome"]],
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
    # What the counted reviews were asked (one small query): names their standards and questions.
    templates = tuple(
        row.template
        for row in AuditTemplate.objects.filter(reviews__in=completed.values("id"))
        .distinct()
        .order_by("key", "version")
    )
    standard_keys = dict.fromkeys(s.key for t in templates for s in t.standards)
    put_right = completed.aggregate(**{
        f"standard_{place}": Count("id", filter=Q(**{lookup(key, PUT_RIGHT): True}))
        for place, key in enumerate(standard_keys)
    })  # fmt: skip
    put_right = {key: put_right[f"standard_{place}"] for place, key in enumerate(standard_keys)}
    recommendations = defaultdict(list)
    service_level = Recommendation.objects.filter(
        Q(cohort__in=completed.values("cohort")) | _raised_in(*raised), level="service"
    ).order_by("theme", "id")
    for recommendation in service_level:
        recommendations[recommendation.theme].append(recommendation.action)
    child_level = (
        Recommendation.objects.filter(level="child", review__in=completed)
        .values("theme")
        .annotate(n=Count("id"))
        .order_by()
    )
    topics = defaultdict(list)
    tagged = (
        ThemeFinding.objects.filter(review__in=completed, topics__isnull=False)
        .values("theme", "topics__name")
        .annotate(n=Count("id"))
        .order_by("theme", "-n", "topics__name")
    )
    for row in tagged:
        topics[row["theme"]].append((row["topics__name"], row["n"]))
    return ReportData(
        cohort_rows=rows,
        gap_cases=gaps,
        findings=dict(findings),
        put_right=put_right,
        recommendations=dict(recommendations),
        child_recommendations={row["theme"]: row["n"] for row in child_level},
        topics=dict(topics),
        staff_names=staff_names,
        frameworks=council_frameworks,
        templates=templates,
        comparator_templates=templates_counted(comparison),
        how_drawn=_how_drawn(completed),
    )


def _how_drawn(completed):
    """How the reviews' cohort was drawn, when they are all of one cohort drawn from the
    caseload extract: the method section says so, so a reader knows the sample was random."""
    cohorts = set(completed.order_by().values_list("cohort_id", flat=True).distinct())
    if len(cohorts) != 1:
        return ""
    draw = CohortDraw.objects.filter(cohort_id=cohorts.pop()).select_related("extract").first()
    if draw is None:
        return ""
    return (
        f"The cohort was chosen at random: {rules_in_words(draw.rules, draw.as_of)} The seed "
        f"was {draw.seed} and the caseload extract was the one imported on "
        f"{long_date(timezone.localdate(draw.extract.imported_at))}: the same seed, options and "
        "extract, with the reviews as they were then, draw the same children."
    )


def templates_counted(figures):
    """The core AuditTemplates a figures block (or its comparison's) counted, from its
    `template` or `templates` key (docs/spec/interchange.md#template-and-questions); () for
    none, or for figures published before templates."""
    if not figures:
        return ()
    named = figures.get("templates") or [figures.get("template")]
    return template_versions((t["key"], t["version"]) for t in named if t)


def _raised_in(start, end):
    """Service-level recommendations for no cohort (raised at a moderation meeting or for a
    recurring finding) recorded from `start` up to, not including, `end` (open when None)."""
    if start is None:
        return Q(pk__in=[])
    raised = Q(cohort__isnull=True, created_at__date__gte=start)
    return raised & Q(created_at__date__lt=end) if end else raised


def review_document_data(review):
    """One review as plain data for builder.build_review_document()."""
    yes_no = {True: "Yes", False: "No", None: "Not recorded"}
    window = practice_window(review.review_date, review.case_start_date)
    findings = {f.theme: f for f in review.findings.all()}
    themes = []
    for key, title in ((theme.key, theme.label) for theme in review.themes):
        finding = findings.get(key)
        texts = []
        if finding and finding.strengths:
            texts.append(f"Strengths: {finding.strengths}")
        if finding and finding.development:
            texts.append(f"Areas for development: {finding.development}")
        if finding and finding.before_window:
            texts.append("Includes a finding from before the practice window.")
        themes.append((title, texts))
    grade_notes = []
    if review.practice_outcome_reason:
        grade_notes.append(f"Why outcomes differ from practice: {review.practice_outcome_reason}")
    for row in review.grade_rows:
        if row.moderated:
            grade_notes.append(
                f"The grade for {row.label.lower()} was moderated to {row.moderated_label}."
            )
    return {
        "reference": review_reference(review),
        "initials": review.child.initials,
        "cohort": review.cohort.name,
        "review_date": long_date(review.review_date),
        "reviewer": f"{review.reviewer or '—'} ({review.get_reviewer_type_display().lower()})",
        "status": review.get_status_display(),
        "practice_window": f"{long_date(window[0])} to {long_date(window[1])}",
        "child": [
            ["Initials", review.child.initials],
            ["Age", review.age_as_written or "Not recorded"],
            ["Gender", review.get_gender_display()],
            ["Ethnicity", review.ethnicity or "Not recorded"],
            ["Religion", review.religion or "Not recorded"],
            ["First language", review.first_language or "Not recorded"],
            ["Needs an interpreter", yes_no[review.interpreter_needed]],
            ["Legal or practice framework", review.legal_status_label],
            ["Arrived as an unaccompanied asylum-seeking child", yes_no[review.uasc]],
            [
                "Social worker",
                str(review.social_worker or "—")
                + (" (student)" if review.social_worker_was_student else ""),
            ],
            ["Supervisor", str(review.supervisor or "—")],
        ],  # fmt: skip
        "standards": [
            [
                label,
                v.label_for(v.STANDARD_RESULTS, result) if result else "Not checked",
                comment,
                "Yes" if put_right else "",
            ]
            for _key, label, result, comment, put_right in review.standards()
        ],  # fmt: skip
        "questions": [
            [label, answer or "Not answered"] for _key, label, answer in review.questions()
        ],
        "themes": themes,
        "conversations": [
            f"{c.get_held_with_display()}, {long_date(c.held_on)} "
            f"({c.get_method_display().lower()}): {c.their_words}"
            for c in review.conversations.all()
        ],  # fmt: skip
        "grades": [[row.label, row.grade_label or "—", row.rationale] for row in review.grade_rows],
        "grade_notes": grade_notes,
        "recommendations": [
            f"{r.action} Owner: {r.owner or '—'}. By {long_date(r.due_date)}. "
            f"Success: {r.success_measure}"
            for r in review.recommendations.select_related("owner")
        ],  # fmt: skip
        "responses": [
            f"{r.by}, {r.at:%-d %B %Y %H:%M}: {r.text}"
            for r in review.responses.select_related("by")
        ],  # fmt: skip
        "timeline": [
            f"{e.at:%-d %B %Y %H:%M}: {e.get_to_status_display()}, by {e.by}"
            + (f". {e.reason}" if e.reason else "")
            for e in review.events.select_related("by")
        ],  # fmt: skip
    }
