"""The report's figures (docs/spec/interchange.md#report-figures), computed in one place.

Every report, dashboard, export and the CLI's JSON take their numbers from here. Counting is
done by the database in one aggregate query over the reviews' stored snapshot columns and their
answers (and one each for alerts, dual reviews and recommendations, and a small one for the
template versions the reviews answered, which say what the aggregate counts); the pure
`figures_from_counts` then shapes the counts into the contract's JSON.
"""

from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Func, Max, Min, Q, Sum, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone

from practice_review.alerts.models import Alert
from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import Question
from practice_review.core.numbers import percentage
from practice_review.reports.agreement import agreement_figures
from practice_review.reviews.answers import question_lookup, question_steps, steps
from practice_review.reviews.models import AuditTemplate, Review
from practice_review.reviews.queries import frameworks
from practice_review.tracker.models import Recommendation
from practice_review.tracker.rules import ACTIVE_STATUSES

SCHEMA = "practice-review/report-figures/1"
BAD_OUTCOMES = [key for key in v.GRADE_KEYS if key not in v.GOOD_OR_BETTER]


def _count(**conditions):
    return Count("id", filter=Q(**conditions))


class AnswerText(Func):
    """One value in a review's answers (reviews/answers.py `steps`), as text, read with one
    JSON function a row. Django's key lookups read it two or three times on SQLite (to tell a
    JSON true from the text "true"), which doubled the figures' time over 50,000 reviews
    (docs/performance.md); results and choices are always text, so once is enough."""

    output_field = TextField()

    def __init__(self, steps):
        super().__init__(F("answers"))
        self.steps = steps

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"JSON_EXTRACT({sql}, %s)", [*params, "$." + ".".join(self.steps)]

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} #>> %s::text[])", [*params, "{" + ",".join(self.steps) + "}"]


def _answer_is(where, value):
    return Count("id", filter=Exact(AnswerText(where), value))


@dataclass(frozen=True)
class Asked:
    """What the counted reviews were asked, so what the figures count: the standards and
    questions their template versions share (all of one version's), in the order of the first
    version; `versions` are (key, version, name), and `left_out` the keys of the standards and
    questions some versions ask and others do not."""

    standards: tuple[str, ...]
    questions: tuple[Question, ...]
    versions: tuple[tuple[str, int, str], ...]
    left_out: dict[str, list[str]]


def asked(templates):
    """Asked from core AuditTemplates, oldest first. Pure. A question is shared when every
    version asks it with the same type; a choice counts the choices any of them offers, in
    order of appearance."""
    shared_standards = [
        standard.key for standard in templates[0].standards
        if all(any(s.key == standard.key for s in t.standards) for t in templates[1:])
    ]  # fmt: skip
    kinds = [{q.key: q for q in t.questions} for t in templates]
    shared_questions = []
    for question in templates[0].questions:
        same = [kind.get(question.key) for kind in kinds]
        if all(q is not None and q.type == question.type for q in same):
            choices = dict(c for q in same for c in q.choices if q is not None)
            shared_questions.append(
                Question(
                    question.key,
                    question.label,
                    question.type,
                    tuple(choices.items()),
                    question.required,
                )
            )
    every_standard = dict.fromkeys(s.key for t in templates for s in t.standards)
    every_question = dict.fromkeys(q.key for t in templates for q in t.questions)
    shared_keys = {q.key for q in shared_questions}
    return Asked(
        standards=tuple(shared_standards),
        questions=tuple(shared_questions),
        versions=tuple((t.key, t.version, t.name) for t in templates),
        left_out={
            "standards": [key for key in every_standard if key not in shared_standards],
            "questions": [key for key in every_question if key not in shared_keys],
        },
    )


def not_compared(this, other):
    """What a comparison of reviews asked `this` (an Asked) with reviews asked `other` leaves
    out, or None when it leaves out nothing. Pure. A standard is compared when both ask its
    key; a question when both ask its key with the same type (a number is not a sum of words).
    This cohort's keys come first, each in its template's order."""
    kinds = [{q.key: q.type for q in asks.questions} for asks in (this, other)]
    standards = [key for key in this.standards if key not in other.standards]
    standards += [key for key in other.standards if key not in this.standards]
    questions = [q.key for q in this.questions if kinds[1].get(q.key) != q.type]
    questions += [q.key for q in other.questions if kinds[0].get(q.key) != q.type
                  and q.key not in questions]  # fmt: skip
    if not standards and not questions:
        return None
    return {"standards": standards, "questions": questions}


def asked_of(completed, template_id=None):
    """(Asked, the versions' ids) of the reviews `completed`, from their template versions: one
    small query, which reads only the reviews' template ids (the aggregate counts the reviews
    on each version). With none counted, what the template version `template_id` (the
    cohort's) asks, else the built-in."""
    rows = list(
        AuditTemplate.objects.filter(pk__in=completed.values("template_id")).order_by(
            "key", "version"
        )
    )
    if not rows:
        rows = [
            AuditTemplate.objects.get(pk=template_id)
            if template_id
            else AuditTemplate.objects.built_in()
        ]
    return asked([row.template for row in rows]), [row.pk for row in rows]


def _question_counts(place, question):
    """{name: aggregate} for one question; a key is the template's, so names use its place."""
    answer = question_lookup(question.key)
    if question.type == "yes_no":
        return {f"question_{place}_yes": _count(**{answer: True}),
                f"question_{place}_no": _count(**{answer: False})}  # fmt: skip
    if question.type == "choice":
        return {f"question_{place}_choice_{n}": _answer_is(question_steps(question.key), key)
                for n, (key, _label) in enumerate(question.choices)}  # fmt: skip
    if question.type == "number":
        return {
            f"question_{place}_answered": _count(answers__questions__has_key=question.key),
            f"question_{place}_total": Sum(Cast(KT(answer), FloatField())),
        }
    # Answered in words: kept apart (reviews/answers.py), counted, never read here.
    return {f"question_{place}_answered": _count(answers__texts__has_key=question.key)}


def _aggregates(framework_keys, asks, template_ids=()):
    """{name: aggregate}: every count the figures need, for one query. `framework_keys` are the
    council's legal or practice frameworks, each counted as `framework_<its place>`: a key is
    reference data, so it never names a column of the query."""
    counts = {
        "reviews": Count("id"),
        "distinct_children": Count("child", distinct=True),
        "first_review": Min("review_date"),
        "last_review": Max("review_date"),
        "alerts_in_file": Sum("alerts_in_file"),
        "both_outstanding": _count(
            counted_practice_grade="outstanding", counted_outcome_grade="outstanding"
        ),
        "practice_good_or_better_outcome_not": _count(
            counted_practice_grade__in=v.GOOD_OR_BETTER, counted_outcome_grade__in=BAD_OUTCOMES
        ),
        "age_under_18": _count(age_years__lt=18),
        "age_aged_18_or_over": _count(age_years__gte=18),
        "age_aged_21_or_over": _count(age_years__gte=21),
        "uasc": _count(uasc=True),
        "moderated": Count(
            "id",
            filter=Q(moderated_practice_grade__isnull=False)
            | Q(moderated_outcome_grade__isnull=False),
        ),
    }
    for reviewer_type in v.REVIEWER_TYPE_KEYS:
        counts[f"reviewers_{reviewer_type}"] = _count(reviewer_type=reviewer_type)
    for grade in v.GRADE_KEYS:
        counts[f"practice_{grade}"] = _count(counted_practice_grade=grade)
        counts[f"outcome_{grade}"] = _count(counted_outcome_grade=grade)
    for gender in v.GENDER_KEYS:
        counts[f"gender_{gender}"] = _count(gender=gender)
    for place, status in enumerate(framework_keys):
        counts[f"framework_{place}"] = _count(legal_status=status)
    for place, standard in enumerate(asks.standards):
        for result in v.STANDARD_RESULT_KEYS:
            counts[f"standard_{place}_{result}"] = _answer_is(steps(standard), result)
    for place, question in enumerate(asks.questions):
        counts |= _question_counts(place, question)
    if len(template_ids) > 1:
        for place, template_id in enumerate(template_ids):
            counts[f"template_{place}"] = _count(template_id=template_id)
    for axis in ("practice", "outcome"):
        moderated, original = f"moderated_{axis}_grade", f"{axis}_grade"
        counts[f"changed_at_moderation_{axis}"] = Count(
            "id", filter=Q(**{f"{moderated}__isnull": False}) & ~Q(**{moderated: F(original)})
        )
    return counts


def count_reviews(reviews, today=None, framework_keys=None, template_id=None):
    """All the counts for a set of reviews (already scoped to what the user may see); overdue
    means overdue on `today` (the local date when None). Every framework of the council's list
    is counted, in its order, active or not (`framework_keys` when given). What the reviews'
    templates ask is counted; `template_id` (the cohort's) says what that is when none is."""
    completed = reviews.completed().with_counted_grades()
    if framework_keys is None:
        framework_keys = [framework.key for framework in frameworks()]
    asks, template_ids = asked_of(completed, template_id)
    counts = completed.aggregate(**_aggregates(framework_keys, asks, template_ids))
    counts["asked"] = asks
    counts["template_reviews"] = (
        [counts[f"template_{place}"] for place in range(len(template_ids))]
        if len(template_ids) > 1
        else [counts["reviews"]]
    )
    counts["legal_status"] = {
        key: counts[f"framework_{place}"] for place, key in enumerate(framework_keys)
    }
    counts["alerts"] = (counts["alerts_in_file"] or 0) + Alert.objects.filter(
        review__in=completed.values("id")
    ).count()
    # tracker/rules.py `is_overdue` as a filter: still being worked on, and due before today.
    today = today or timezone.localdate()
    recommendations = Recommendation.objects.filter(
        level="child", review__in=completed.values("id")
    ).aggregate(
        recommendations_made=Count("id"),
        recommendations_overdue=_count(status__in=ACTIVE_STATUSES, due_date__lt=today),
    )
    counts |= recommendations
    # Dual reviews: the (first, second) grade pairs of both axes, grouped in one query.
    counts["pairs"] = {"practice": {}, "outcome": {}}
    # The first grade of a pair is the one given before either reviewer saw the other's
    # (paired_*), or the reviewer's grade where no pair was recorded in the app (imports).
    grouped = (
        completed.filter(second_reviewer__isnull=False)
        .annotate(
            first_practice=Coalesce("paired_practice_grade", "practice_grade"),
            first_outcome=Coalesce("paired_outcome_grade", "outcome_grade"),
        )
        .values("first_practice", "second_practice_grade", "first_outcome", "second_outcome_grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        for axis in ("practice", "outcome"):
            first, second = row[f"first_{axis}"], row[f"second_{axis}_grade"]
            if first and second:
                pairs = counts["pairs"][axis]
                pairs[(first, second)] = pairs.get((first, second), 0) + row["n"]
    return counts


def _grades(counts, axis, total):
    grades = {grade: counts[f"{axis}_{grade}"] for grade in v.GRADE_KEYS}
    good = sum(grades[grade] for grade in v.GOOD_OR_BETTER)
    return grades | {"good_or_better": good, "good_or_better_pct": percentage(good, total)}


def _template(asks, reviews):
    """The `template` key, and for reviews on several versions `templates` and `left_out`;
    `reviews` are the reviews counted on each version."""
    if len(asks.versions) == 1:
        key, version, name = asks.versions[0]
        return {"template": {"key": key, "version": version, "name": name}}
    return {
        "template": None,
        "templates": [
            {"key": key, "version": version, "name": name, "reviews": n}
            for (key, version, name), n in zip(asks.versions, reviews, strict=True)
        ],
        "left_out": asks.left_out,
    }


def _number(value):
    """A sum of answers as JSON shows it: whole when it is (the database sums as floats)."""
    value = value or 0
    return int(value) if float(value).is_integer() else value


def _questions(counts, asks):
    """{question key: counts} (docs/spec/interchange.md#template-and-questions)."""
    questions = {}
    for place, question in enumerate(asks.questions):
        name = f"question_{place}"
        if question.type == "yes_no":
            questions[question.key] = {"yes": counts[f"{name}_yes"], "no": counts[f"{name}_no"]}
        elif question.type == "choice":
            questions[question.key] = {key: counts[f"{name}_choice_{n}"]
                                       for n, (key, _) in enumerate(question.choices)}  # fmt: skip
        elif question.type == "number":
            questions[question.key] = {"answered": counts[f"{name}_answered"],
                                       "total": _number(counts[f"{name}_total"])}  # fmt: skip
        else:
            questions[question.key] = {"answered": counts[f"{name}_answered"]}
    return questions


def figures_from_counts(name, counts):
    """The contract's JSON object for one cohort, from `count_reviews` output. Pure."""
    total = counts["reviews"]
    has_pairs = any(counts["pairs"][axis] for axis in ("practice", "outcome"))
    asks = counts["asked"]
    # The template's keys come first among the extra keys, the brief's keys keeping their
    # places; a template that asks questions adds their counts after them
    # (docs/spec/interchange.md#figures-json).
    questions = {"questions": _questions(counts, asks)} if asks.questions else {}
    return {
        "schema": SCHEMA,
        "cohort": {
            "name": name,
            "reviews": total,
            "first_review": counts["first_review"] and counts["first_review"].isoformat(),
            "last_review": counts["last_review"] and counts["last_review"].isoformat(),
        },
        "reviewers": {t: counts[f"reviewers_{t}"] for t in v.REVIEWER_TYPE_KEYS},
        "practice": _grades(counts, "practice", total),
        "outcome": _grades(counts, "outcome", total),
        "both_outstanding": counts["both_outstanding"],
        "practice_good_or_better_outcome_not": counts["practice_good_or_better_outcome_not"],
        "gender": {g: counts[f"gender_{g}"] for g in v.GENDER_KEYS},
        "age": {
            band: counts[f"age_{band}"]
            for band in ("under_18", "aged_18_or_over", "aged_21_or_over")
        },
        "legal_status": dict(counts["legal_status"]),
        "practice_standards": {
            standard: {r: counts[f"standard_{place}_{r}"] for r in v.STANDARD_RESULT_KEYS}
            for place, standard in enumerate(asks.standards)
        },
        "alerts": counts["alerts"],
        "agreement": (
            {axis: agreement_figures(counts["pairs"][axis]) for axis in ("practice", "outcome")}
            if has_pairs
            else None
        ),
        "comparison": None,
        # Extra keys (docs/spec/interchange.md#extra-keys welcomes them; the keys above keep their
        # meaning).
        **_template(asks, counts["template_reviews"]),
        **questions,
        "uasc": counts["uasc"],
        "distinct_children": counts["distinct_children"],
        "moderated": counts["moderated"],
        "grades_changed_at_moderation": {
            axis: counts[f"changed_at_moderation_{axis}"] for axis in ("practice", "outcome")
        },
        # Overdue on the day the figures were worked out: a published version keeps that day's.
        "recommendations": {
            "made": counts["recommendations_made"],
            "overdue": counts["recommendations_overdue"],
        },
    }


def figures_for(name, reviews, compare=None, today=None, template_ids=(None, None)):
    """Figures for a set of reviews called `name`; `compare` is (name, reviews) or None.
    `template_ids` say what each set asks when none of its reviews is counted."""
    keys = [framework.key for framework in frameworks()]
    counts = count_reviews(reviews, today, keys, template_ids[0])
    figures = figures_from_counts(name, counts)
    if compare is not None:
        compared = count_reviews(compare[1], today, keys, template_ids[1])
        comparison = figures_from_counts(compare[0], compared)
        del comparison["comparison"]
        # Each block keeps its own template's figures; what only one of them was asked is
        # named, so that nothing reads it as a comparison (docs/spec/interchange.md).
        left_out = not_compared(counts["asked"], compared["asked"])
        if left_out:
            comparison["not_compared"] = left_out
        figures["comparison"] = comparison
    return figures


def cohort_figures(cohort, reviews=None, compare=None, today=None):
    """Figures for a cohort, over `reviews` (the user's scope; all reviews when None)."""
    reviews = Review.objects.all() if reviews is None else reviews
    return figures_for(
        cohort.name,
        reviews.filter(cohort=cohort),
        compare=compare and (compare.name, reviews.filter(cohort=compare)),
        today=today,
        template_ids=(cohort.template_id, compare and compare.template_id),
    )


def grade_summaries_by_cohort(reviews):
    """{cohort id: counts} for many cohorts in one grouped query (the home page's summaries)."""
    completed = reviews.completed().with_counted_grades()
    rows = (
        completed.values("cohort")
        .annotate(
            reviews=Count("id"),
            practice_good_or_better=_count(counted_practice_grade__in=v.GOOD_OR_BETTER),
            outcome_good_or_better=_count(counted_outcome_grade__in=v.GOOD_OR_BETTER),
            practice_outstanding=_count(counted_practice_grade="outstanding"),
            outcome_outstanding=_count(counted_outcome_grade="outstanding"),
        )
        .order_by()
    )
    return {row.pop("cohort"): row for row in rows}
