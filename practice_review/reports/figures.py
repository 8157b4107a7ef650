"""The report's figures (docs/spec/interchange.md#report-figures), computed in one place.

Every report, dashboard, export and the CLI's JSON take their numbers from here. Counting is
done by the database in one aggregate query over the reviews' stored snapshot columns and their
answers (and one each for alerts, dual reviews and recommendations, and a small one for the
template versions the reviews answered, which say what the aggregate counts); the pure
`figures_from_counts` then shapes the counts into the contract's JSON.
"""

import datetime
import gc
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    Max,
    Min,
    Q,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.db.models.lookups import Exact, GreaterThanOrEqual, In, IsNull
from django.utils import timezone

from practice_review.alerts.models import Alert
from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import GradeAxis, Question
from practice_review.core.numbers import percentage, wilson_interval
from practice_review.core.vocabulary import RecommendationStatus
from practice_review.reports.agreement import agreement_figures
from practice_review.reports.models import CohortTrendCounts
from practice_review.reviews.answers import (
    GRADE,
    MODERATED,
    PAIRED,
    SECOND,
    grade_steps,
    question_lookup,
    question_steps,
    steps,
)
from practice_review.reviews.models import AuditTemplate, Cohort, Review
from practice_review.reviews.queries import frameworks
from practice_review.reviews.review_sections import gap_axes
from practice_review.tracker.models import Recommendation
from practice_review.tracker.rules import ACTIVE_STATUSES

SCHEMA = "practice-review/report-figures/1"
# The two axes of the brief's own figures (both_outstanding, a gap case): counted when the
# template grades both (reviews/review_sections.py GAP_AXES).
PRACTICE, OUTCOME = "practice", "outcome"


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


def counted_grade(axis):
    """The counted grade on `axis` as SQL: the moderated grade where there is one, else the
    reviewer's (docs/spec/domain.md#counted-grade)."""
    return Coalesce(AnswerText(grade_steps(axis, MODERATED)), AnswerText(grade_steps(axis, GRADE)))


def _same_scale(one: GradeAxis, other: GradeAxis) -> bool:
    """Two versions' axes count alike: the same levels, and the same good-or-better cut."""
    keys = [level.key for level in one.levels]
    return keys == [level.key for level in other.levels] and (
        one.good_or_better == other.good_or_better
    )


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
    axes: tuple[GradeAxis, ...] = ()

    def axis(self, key):
        return next((axis for axis in self.axes if axis.key == key), None)


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
    shared_axes = [
        axis for axis in templates[0].grades
        if all(any(a.key == axis.key and _same_scale(a, axis) for a in t.grades)
               for t in templates[1:])
    ]  # fmt: skip
    every_axis = dict.fromkeys(a.key for t in templates for a in t.grades)
    every_standard = dict.fromkeys(s.key for t in templates for s in t.standards)
    every_question = dict.fromkeys(q.key for t in templates for q in t.questions)
    shared_keys = {q.key for q in shared_questions}
    return Asked(
        standards=tuple(shared_standards),
        questions=tuple(shared_questions),
        versions=tuple((t.key, t.version, t.name) for t in templates),
        left_out=_with_grades_left_out(
            {
                "standards": [key for key in every_standard if key not in shared_standards],
                "questions": [key for key in every_question if key not in shared_keys],
            },
            [key for key in every_axis if key not in {a.key for a in shared_axes}],
        ),
        axes=tuple(shared_axes),
    )


def _with_grades_left_out(left_out, grades):
    """`left_out` with the grade axes left out first, when there are any: a key the figures of
    reviews on one version never had (docs/spec/interchange.md#figures-json)."""
    return {"grades": grades, **left_out} if grades else left_out


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
    axes = [
        a.key for a in this.axes if not (other.axis(a.key) and _same_scale(a, other.axis(a.key)))
    ]
    axes += [a.key for a in other.axes if not this.axis(a.key) and a.key not in axes]
    if not standards and not questions and not axes:
        return None
    return _with_grades_left_out({"standards": standards, "questions": questions}, axes)


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
        "age_under_18": _count(age_years__lt=18),
        "age_aged_18_or_over": _count(age_years__gte=18),
        "age_aged_21_or_over": _count(age_years__gte=21),
        "uasc": _count(uasc=True),
    }
    counts |= _grade_aggregates(asks)
    for reviewer_type in v.REVIEWER_TYPE_KEYS:
        counts[f"reviewers_{reviewer_type}"] = _count(reviewer_type=reviewer_type)
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
    return counts


def _grade_aggregates(asks):
    """{name: aggregate} for the grades on the axes the reviews share: each level of each
    axis's counted grade, how many were moderated and how many changed at moderation, and
    (on a template with a practice and an outcome axis) the brief's two counts across them.
    An axis is named by its place, as its key is the template's."""
    counts = {}
    moderated_any = []
    for place, axis in enumerate(asks.axes):
        counted = counted_grade(axis.key)
        for n, level in enumerate(axis.levels):
            counts[f"axis_{place}_{n}"] = Count("id", filter=Exact(counted, level.key))
        moderated = AnswerText(grade_steps(axis.key, MODERATED))
        original = AnswerText(grade_steps(axis.key, GRADE))
        moderated_any.append(Q(IsNull(moderated, False)))
        counts[f"changed_at_moderation_{place}"] = Count(
            "id", filter=Q(IsNull(moderated, False)) & ~Q(Exact(moderated, original))
        )
    counts["moderated"] = (
        Count("id", filter=_any(moderated_any))
        if moderated_any
        else Count("id", filter=Q(pk__in=[]))
    )
    practice, outcome = asks.axis(PRACTICE), asks.axis(OUTCOME)
    if practice is not None and outcome is not None:
        best = (practice.levels[0].key, outcome.levels[0].key)
        counts["both_outstanding"] = Count(
            "id",
            filter=Exact(counted_grade(PRACTICE), best[0]) & Exact(counted_grade(OUTCOME), best[1]),
        )
    if gap_axes(asks.axes) is not None:  # gap cases (reviews/review_sections.py)
        not_good = [level.key for level in outcome.levels
                    if level.key not in outcome.good_or_better_keys]  # fmt: skip
        counts["practice_good_or_better_outcome_not"] = Count(
            "id",
            filter=In(counted_grade(PRACTICE), list(practice.good_or_better_keys))
            & In(counted_grade(OUTCOME), not_good),
        )
    return counts


def _any(conditions):
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def count_reviews(reviews, today=None, framework_keys=None, template_id=None):
    """All the counts for a set of reviews (already scoped to what the user may see); overdue
    means overdue on `today` (the local date when None). Every framework of the council's list
    is counted, in its order, active or not (`framework_keys` when given). What the reviews'
    templates ask is counted; `template_id` (the cohort's) says what that is when none is."""
    completed = reviews.completed()
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
    counts["pairs"] = _pairs(completed, asks.axes)
    return counts


def _pairs(completed, axes):
    """{axis: {(first grade, second grade): count}} of the dual reviews, in one grouped query.
    The first grade of a pair is the one given before either reviewer saw the other's (the
    paired grade), or the reviewer's grade where no pair was recorded in the app (imports)."""
    pairs = {axis.key: {} for axis in axes}
    if not axes:
        return pairs
    given = {}
    for place, axis in enumerate(axes):
        given[f"first_{place}"] = Coalesce(
            AnswerText(grade_steps(axis.key, PAIRED)), AnswerText(grade_steps(axis.key, GRADE))
        )
        given[f"second_{place}"] = AnswerText(grade_steps(axis.key, SECOND))
    grouped = (
        completed.filter(second_reviewer__isnull=False)
        .annotate(**given)
        .values(*given)
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        for place, axis in enumerate(axes):
            first, second = row[f"first_{place}"], row[f"second_{place}"]
            if first and second:
                cells = pairs[axis.key]
                cells[(first, second)] = cells.get((first, second), 0) + row["n"]
    return pairs


def _grades(counts, place, axis, total):
    """One axis's block: a count for each level, best first, then good or better (None for
    an axis with no cut)."""
    grades = {level.key: counts[f"axis_{place}_{n}"] for n, level in enumerate(axis.levels)}
    if not axis.good_or_better_keys:
        return grades | {"good_or_better": None, "good_or_better_pct": None}
    good = sum(grades[key] for key in axis.good_or_better_keys)
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
    asks = counts["asked"]
    has_pairs = any(counts["pairs"].values())
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
        # Each of the template's grade axes, by its key ("practice", "outcome").
        **{axis.key: _grades(counts, place, axis, total) for place, axis in enumerate(asks.axes)},
        # Across practice and outcome: null on a template that does not grade both.
        "both_outstanding": counts.get("both_outstanding"),
        "practice_good_or_better_outcome_not": counts.get("practice_good_or_better_outcome_not"),
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
            {
                axis.key: agreement_figures(
                    counts["pairs"][axis.key], [level.key for level in axis.levels]
                )
                for axis in asks.axes
            }
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
            axis.key: counts[f"changed_at_moderation_{place}"]
            for place, axis in enumerate(asks.axes)
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


def _where_graded(templates, axis, keys_of):
    """Q: the counted grade on `axis` is one of `keys_of(axis as the review's version grades
    it)`, for reviews on any of `templates` ({template id: core template}); None when no version
    grades `axis` with such keys. Reviews on several versions count each by its own cut."""
    conditions = [
        Q(template_id=template_id) & Q(In(counted_grade(axis), list(keys)))
        for template_id, asks in templates.items()
        for graded in asks.grades
        if graded.key == axis and (keys := keys_of(graded))
    ]
    return _any(conditions) if conditions else None


def _good_or_better(axis):
    return axis.good_or_better_keys


def _best(axis):
    return [axis.levels[0].key]


def _every_level(axis):
    return [level.key for level in axis.levels] if axis.good_or_better_keys else []


def grade_summaries_by_cohort(reviews):
    """{cohort id: counts} for many cohorts in one grouped query (the home page's summaries):
    reviews, and on the practice and outcome axes (where the reviews' template versions grade
    them) how many were good or better, and practice at its best level; None for an axis none
    of them grades."""
    completed = reviews.completed()
    templates = AuditTemplate.objects.by_id_for(completed)
    wanted = {
        "practice_good_or_better": _where_graded(templates, PRACTICE, _good_or_better),
        "outcome_good_or_better": _where_graded(templates, OUTCOME, _good_or_better),
        "practice_outstanding": _where_graded(templates, PRACTICE, _best),
    }
    rows = (
        completed.values("cohort")
        .annotate(
            reviews=Count("id"),
            **{name: Count("id", filter=q) for name, q in wanted.items() if q is not None},
        )
        .order_by()
    )
    summaries = {}
    for row in rows:
        summaries[row.pop("cohort")] = {name: row.get(name) for name in ("reviews", *wanted)}
    return summaries


# Trends: every cohort in a date range, with its grades' uncertainty, and the same figures for
# groups of children (docs/spec/interchange.md#trends-json). Counted by the database in one
# grouped query per series, whatever the number of cohorts; shaped by the pure functions below.
TRENDS_SCHEMA = "practice-review/trends/1"
TREND_AXES = (PRACTICE, OUTCOME)
# A group's counts, as `_count_groups` names them and as they are stored, in a list (ADR 0008).
GROUP_COUNTS = ("reviews", *(f"{axis}_good_or_better" for axis in TREND_AXES))


def _age_band():
    """A review's age band (core/vocabulary.py TREND_AGE_BANDS) as SQL, from its snapshot."""
    whens = [
        When(Q(age_years__gte=low) & (Q(age_years__lt=high) if high else Q()), then=Value(key))
        for key, _, low, high in v.TREND_AGE_BANDS
    ]
    return Case(*whens, default=Value(v.NOT_RECORDED), output_field=TextField())


# Each group a review falls in, as SQL: the snapshot taken at the review, so a past cohort's
# groups never move (docs/spec/domain.md#snapshot).
EQUITY_GROUP = {
    "legal_status": lambda: F("legal_status"),
    "gender": lambda: F("gender"),
    "age_band": _age_band,
    "ethnicity": lambda: Case(
        When(ethnicity="", then=Value(v.NOT_RECORDED)),
        default=F("ethnicity"),
        output_field=TextField(),
    ),
    "uasc": lambda: Case(
        When(uasc=True, then=Value("yes")),
        When(uasc=False, then=Value("no")),
        default=Value(v.NOT_RECORDED),
        output_field=TextField(),
    ),
}


def _grade_counts(templates):
    """{name: aggregate}: on each trend axis, the reviews graded on it (where their version
    has a good-or-better cut), good or better, and at the best level."""
    counts = {}
    for axis in TREND_AXES:
        for name, keys_of in (("graded", _every_level), ("good_or_better", _good_or_better),
                              ("outstanding", _best)):  # fmt: skip
            where = _where_graded(templates, axis, keys_of)
            counts[f"{axis}_{name}"] = (
                Count("id", filter=where) if where is not None else Count("id", filter=Q(pk=None))
            )
    return counts


def _trend_standards(templates):
    """The standards the reviews' versions ask, each once, in order of first appearance
    (oldest key and version first)."""
    ordered = sorted(templates.values(), key=lambda t: (t.key, t.version))
    return list(dict.fromkeys(s.key for t in ordered for s in t.standards))


def trend_counts(reviews, first=None, last=None, today=None):
    """Every count the trends need, for the cohorts whose first completed review in `reviews`
    (already scoped and filtered) falls between `first` and `last` (either may be None, both
    included). A constant number of queries: one per series, grouped by cohort. Over every
    review (a senior leader's scope, unfiltered) the reviews' counts are read as stored for
    each cohort (ADR 0008), the same numbers without reading a million reviews."""
    today = today or timezone.localdate()
    if _every_review(reviews):
        templates, cohorts, names, in_range = _stored_counts(first, last)
    else:
        completed = reviews.completed()
        every = AuditTemplate.objects.by_id_for(completed)
        cohorts = _review_counts(completed, every, _trend_standards(every), first, last)
        in_range = completed.filter(cohort__in=list(cohorts))
        names = dict(Cohort.objects.filter(pk__in=list(cohorts)).values_list("pk", "name"))
        # What the counted reviews were asked: the versions of the cohorts in range only.
        asked = set(in_range.values_list("template", flat=True).distinct().order_by())
        templates = {pk: template for pk, template in every.items() if pk in asked}
    # The standards any counted review was asked, and the axes any of them is graded on.
    standards = _trend_standards(templates)
    graded = {axis for axis in TREND_AXES if _where_graded(templates, axis, _good_or_better)}
    _graded_in_range(cohorts, graded)
    for cohort, row in cohorts.items():
        row["name"] = names[cohort]
        counted = row.pop("standards")
        row["standards"] = {key: tuple(counted.get(key, (0, 0))) for key in standards}
        row["alerts"] = row.pop("alerts_in_file") or 0
        row["recommendations"] = {"made": 0, "due": 0, "on_time": 0}
    for row in (
        Alert.objects.filter(review__in=in_range)
        .values("review__cohort")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cohorts[row["review__cohort"]]["alerts"] += row["n"]
    _count_recommendations(cohorts, in_range, today)
    return {"from": first, "to": last, "standards": standards, "cohorts": cohorts}


def _every_review(reviews):
    """Whether `reviews` is every review, unfiltered: then the stored counts are its counts."""
    query = reviews.query
    return (
        reviews.model is Review
        and not query.where
        and not query.is_sliced
        and not query.combinator
        and not query.distinct
    )


def _review_counts(completed, templates, standards, first=None, last=None):
    """{cohort id: counts} of the reviews `completed` ({template id: core template} the
    versions they answer), for the cohorts whose first of them falls between `first` and
    `last`: reviews, first and last dates, alerts in the file, the grades, `standards` met and
    not met, and `by` equity group. One grouped query, and one a dimension for the groups."""
    per_cohort = {
        "reviews": Count("id"),
        "first_review": Min("review_date"),
        "last_review": Max("review_date"),
        "alerts_in_file": Sum("alerts_in_file"),
        **_grade_counts(templates),
    }
    for place, standard in enumerate(standards):
        for result in ("met", "not_met"):
            per_cohort[f"standard_{place}_{result}"] = _answer_is(steps(standard), result)
    rows = completed.values("cohort").annotate(**per_cohort).order_by()
    if first:
        rows = rows.filter(first_review__gte=first)
    if last:
        rows = rows.filter(first_review__lte=last)
    cohorts = {row.pop("cohort"): row for row in rows}
    for row in cohorts.values():
        row["standards"] = {key: (row.pop(f"standard_{place}_met"),
                                  row.pop(f"standard_{place}_not_met"))
                            for place, key in enumerate(standards)}  # fmt: skip
        row["by"] = {dimension: {} for dimension in v.EQUITY_DIMENSION_KEYS}
    _count_groups(cohorts, completed.filter(cohort__in=list(cohorts)), templates)
    return cohorts


def _stored_counts(first, last):
    """({template id: core template} of the versions the counted reviews answer, {cohort id:
    counts} as `_review_counts` gives them for every review, {cohort id: name}, and the
    completed reviews of those cohorts), read from the stored counts (ADR 0008)."""
    rows = CohortTrendCounts.objects.all()
    if first:
        rows = rows.filter(first_review__gte=first)
    if last:
        rows = rows.filter(first_review__lte=last)
    # Every completed review's cohort has stored counts; a range is a subquery, not a list
    # of 2,000 ids (compiling such a list twice was a tenth of the time).
    in_range = Review.objects.completed()
    if first or last:
        in_range = in_range.filter(cohort__in=rows.values("cohort"))
    cohorts, names, versions = {}, {}, set()
    for cohort, name, counts, ids in rows.values_list(
        "cohort", "cohort__name", "counts", "templates"
    ):
        names[cohort] = name
        versions.update(ids)
        counts.pop("ungraded")  # trend_counts says which axes the range grades
        counts["first_review"] = datetime.date.fromisoformat(counts["first_review"])
        counts["last_review"] = datetime.date.fromisoformat(counts["last_review"])
        # PostgreSQL keeps a JSON object's keys in its own order: the groups are rebuilt in
        # the order the live count gives them, so the trends' JSON is the same text.
        counts["by"] = {
            dimension: {group: dict(zip(GROUP_COUNTS, found, strict=True))
                        for group, found in counts["by"][dimension].items()}
            for dimension in v.EQUITY_DIMENSION_KEYS
        }  # fmt: skip
        counts["standards"] = {key: tuple(found) for key, found in counts["standards"].items()}
        cohorts[cohort] = counts
    templates = {row.pk: row.template for row in AuditTemplate.objects.filter(pk__in=versions)}
    return templates, cohorts, names, in_range


def _graded_in_range(cohorts, axes_graded):
    """Each group's good or better on an axis some counted version grades is a count (0 for a
    cohort whose own versions do not); on an axis none grades, None."""
    for row in cohorts.values():
        for groups in row["by"].values():
            for group in groups.values():
                for axis in TREND_AXES:
                    key = f"{axis}_good_or_better"
                    group[key] = (group[key] or 0) if axis in axes_graded else None


def _storable(row):
    """A cohort's counts as stored: JSON, with each group's counts as a list (reviews, then
    good or better on each trend axis), as a 2,000-cohort read decodes every byte."""
    by = {
        dimension: {
            group: [found[name] for name in GROUP_COUNTS] for group, found in groups.items()
        }
        for dimension, groups in row["by"].items()
    }
    dates = {"first_review": row["first_review"].isoformat(),
             "last_review": row["last_review"].isoformat()}  # fmt: skip
    return {**row, **dates, "by": by}


@transaction.atomic
def store_trend_counts(cohorts, **kwargs):
    """Store afresh the trend counts of the reviews of `cohorts` (ids): the receiver of
    reviews.signals.reviews_changed, so it runs in the transaction of every write to a
    cohort's reviews, and after `migrate` for every cohort. A constant number of queries."""
    ids = sorted({cohort for cohort in cohorts if cohort is not None})
    if not ids:
        return
    # Two transactions writing reviews of one cohort take turns here: the second counts after
    # the first has committed, so the row stored last counts both writes (ADR 0008).
    list(
        Cohort.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    completed = Review.objects.completed().filter(cohort__in=ids)
    templates = AuditTemplate.objects.by_id_for(completed)
    counts = _review_counts(completed, templates, _trend_standards(templates))
    versions = {}
    for cohort, template in completed.values_list("cohort", "template").distinct().order_by():
        versions.setdefault(cohort, []).append(template)
    for cohort, row in counts.items():
        # Only what its own versions ask, so a cohort's row is the same whichever cohorts were
        # counted with it: other standards are read as 0 met of 0, and an axis none of its
        # versions grades as None in its groups (0 once any counted version grades it).
        own = {template: templates[template] for template in versions[cohort]}
        asked = {s.key for template in own.values() for s in template.standards}
        row["standards"] = {key: met for key, met in row["standards"].items() if key in asked}
        row["ungraded"] = [axis for axis in TREND_AXES
                           if _where_graded(own, axis, _good_or_better) is None]  # fmt: skip
        for axis in row["ungraded"]:
            for groups in row["by"].values():
                for group in groups.values():
                    group[f"{axis}_good_or_better"] = None
    CohortTrendCounts.objects.filter(cohort__in=ids).exclude(cohort__in=list(counts)).delete()
    CohortTrendCounts.objects.bulk_create(
        [
            CohortTrendCounts(
                cohort_id=cohort,
                first_review=row["first_review"],
                templates=sorted(versions[cohort]),
                counts=_storable(row),
            )
            for cohort, row in counts.items()
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["cohort"],
        update_fields=["first_review", "templates", "counts"],
    )


def store_every_trend_count(using=DEFAULT_DB_ALIAS, **kwargs):
    """Store every cohort's trend counts afresh: after `migrate` (connected in apps.py), so
    a database upgraded, restored or written by a migration starts with true counts. Not
    after a migrate that leaves migrations unapplied (backwards, or part of the way): the
    tables are not yet what the models say, and the next full migrate counts."""
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    store_trend_counts(Cohort.objects.values_list("pk", flat=True))


def _count_recommendations(cohorts, reviews, today):
    """Each cohort's recommendations for a child (docs/spec/domain.md#trends): made; due (due
    by today, or done); and completed on time (by the end of their due date, or with none)."""
    completed_on = TruncDate("impact_check__completed_at")
    on_time = Q(status=RecommendationStatus.COMPLETED) & (
        Q(due_date__isnull=True)
        | Q(impact_check__completed_at__isnull=True)
        | Q(GreaterThanOrEqual(F("due_date"), completed_on))
    )
    rows = (
        Recommendation.objects.filter(level="child", review__in=reviews)
        .values("review__cohort")
        .annotate(
            made=Count("id"),
            due=_count_q(Q(status=RecommendationStatus.COMPLETED) | Q(due_date__lte=today)),
            on_time=_count_q(on_time),
        )
        .order_by()
    )
    for row in rows:
        cohorts[row.pop("review__cohort")]["recommendations"] = row


def _count_q(condition):
    return Count("id", filter=condition)


def _count_groups(cohorts, reviews, templates):
    """The reviews, and on each trend axis good or better, by each equity group of each
    cohort: one grouped query a dimension."""
    grades = {
        f"{axis}_good_or_better": _count_q(where)
        for axis in TREND_AXES
        if (where := _where_graded(templates, axis, _good_or_better)) is not None
    }
    for dimension, group in EQUITY_GROUP.items():
        rows = (
            reviews.annotate(group=group())
            .values("cohort", "group")
            .annotate(reviews=Count("id"), **grades)
            .order_by()
        )
        for row in rows:
            counts = {"reviews": row["reviews"]} | {
                f"{axis}_good_or_better": row.get(f"{axis}_good_or_better") for axis in TREND_AXES
            }
            cohorts[row["cohort"]]["by"][dimension][row["group"]] = counts


def _listed_groups(framework_keys):
    """{dimension: the keys of its vocabulary}, each listed whether counted or not."""
    return {
        "legal_status": list(framework_keys),
        "gender": list(v.GENDER_KEYS),
        "age_band": [key for key, *_ in v.TREND_AGE_BANDS],
        "ethnicity": [],
        "uasc": [key for key, _ in v.UASC_GROUPS],
    }


def _equity_groups(found, listed):
    """The groups a dimension lists, in order: every key of its vocabulary, `listed` (0 stays
    0), then any other key the reviews have (a framework since retired, an ethnicity as
    recorded), and not recorded last."""
    others = sorted(key for key in found if key not in listed and key != v.NOT_RECORDED)
    tail = [v.NOT_RECORDED] if v.NOT_RECORDED in found and v.NOT_RECORDED not in listed else []
    return [*listed, *others, *tail]


def _rate(count, total):
    """{"good_or_better" style count, pct, ci95} for `count` of `total`."""
    interval = wilson_interval(count, total)
    return {"pct": percentage(count, total), "ci95": list(interval) if interval else None}


def _trend_axis(row, axis):
    graded = row[f"{axis}_graded"]
    if not graded:
        return None
    good = row[f"{axis}_good_or_better"]
    return {"good_or_better": good, **_rate(good, graded), "graded": graded,
            "outstanding": row[f"{axis}_outstanding"]}  # fmt: skip


def trends_from_counts(counts, framework_keys):
    """The trends as counted (`trend_counts`), shaped as docs/spec/interchange.md#trends-json
    but with every count shown: the page protects small counts its own way, and
    `trends_json` as the contract says. Cohorts in order of their first review. Pure."""
    ordered = sorted(counts["cohorts"].values(),
                     key=lambda row: (row["first_review"], row["name"].casefold()))  # fmt: skip
    listed = _listed_groups(framework_keys)
    no_group = dict.fromkeys(GROUP_COUNTS, 0)
    cohorts = []
    for row in ordered:
        recommendations = row["recommendations"]
        cohorts.append({
            "name": row["name"],
            "first_review": row["first_review"].isoformat(),
            "last_review": row["last_review"].isoformat(),
            "reviews": row["reviews"],
            "practice": _trend_axis(row, PRACTICE),
            "outcome": _trend_axis(row, OUTCOME),
            "standards_met_pct": {key: percentage(met, met + not_met)
                                  for key, (met, not_met) in row["standards"].items()},
            "by": {
                dimension: {
                    group: found.get(group) or dict(no_group)
                    for group in _equity_groups(found, listed[dimension])
                }
                for dimension, found in row["by"].items()
            },
            # Extra keys (docs/spec/interchange.md#trends-json).
            "standards_met": {key: {"met": met, "applicable": met + not_met}
                              for key, (met, not_met) in row["standards"].items()},
            "alerts": row["alerts"],
            "recommendations": {
                "made": recommendations["made"],
                "due": recommendations["due"],
                "completed_on_time": recommendations["on_time"],
                "completed_on_time_pct": percentage(recommendations["on_time"],
                                                    recommendations["due"]),
            },
        })  # fmt: skip
    return {
        "schema": TRENDS_SCHEMA,
        "from": counts["from"] and counts["from"].isoformat(),
        "to": counts["to"] and counts["to"].isoformat(),
        "cohorts": cohorts,
    }


# More cohorts than this in a range are too many to draw or read one by one: the page pools
# them by the month (or quarter, or year) of their first review (docs/trends.md).
MOST_POINTS = 36
PERIODS = ("month", "quarter", "year")


def _period(day, period):
    """(sort key, words) of the month, quarter or year `day` falls in."""
    if period == "month":
        return (day.year, day.month), f"{day:%B %Y}"
    if period == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        start, end = datetime.date(day.year, first, 1), datetime.date(day.year, first + 2, 1)
        return (day.year, first), f"{start:%B} to {end:%B} {day.year}"
    return (day.year,), str(day.year)


def _as_counts(cohort):
    """A cohort of the trends (`trends_from_counts`) back as the counts it was shaped from."""
    row = {
        "reviews": cohort["reviews"],
        "standards": {key: (met["met"], met["applicable"] - met["met"])
                      for key, met in cohort["standards_met"].items()},
        "alerts": cohort["alerts"],
        "recommendations": {"made": cohort["recommendations"]["made"],
                            "due": cohort["recommendations"]["due"],
                            "on_time": cohort["recommendations"]["completed_on_time"]},
        "by": cohort["by"],
    }  # fmt: skip
    for axis in TREND_AXES:
        block = cohort[axis] or {"graded": 0, "good_or_better": 0, "outstanding": 0}
        for name in ("graded", "good_or_better", "outstanding"):
            row[f"{axis}_{name}"] = block[name]
    return row


def _add(into, row):
    """Add the counts `row` into `into`, number by number, at every depth."""
    for key, value in row.items():
        if isinstance(value, dict):
            _add(into.setdefault(key, {}), value)
        elif isinstance(value, tuple):
            into[key] = tuple(a + b for a, b in zip(into.get(key, (0,) * len(value)), value,
                                                    strict=True))  # fmt: skip
        else:
            into[key] = (into.get(key) or 0) + (value or 0)


def pooled_trends(trends, framework_keys, most=MOST_POINTS):
    """(`trends` with their cohorts pooled by the month of their first review, or the quarter
    or the year, the first that gives at most `most`; the period's name), or (`trends`, None)
    when they have `most` cohorts or fewer. A pool counts every review of its cohorts, and its
    name says how many cohorts it holds. Pure."""
    cohorts = trends["cohorts"]
    if len(cohorts) <= most:
        return trends, None
    for period in PERIODS:
        pools = {}
        for cohort in cohorts:
            key, words = _period(datetime.date.fromisoformat(cohort["first_review"]), period)
            pools.setdefault(key, (words, []))[1].append(cohort)
        if len(pools) <= most or period == PERIODS[-1]:
            break
    rows = {}
    for key, (words, members) in sorted(pools.items()):
        row = {}
        for cohort in members:
            _add(row, _as_counts(cohort))
        many = len(members)
        row["name"] = f"{words} ({many} cohort{'s' if many > 1 else ''})"
        row["first_review"] = min(datetime.date.fromisoformat(c["first_review"]) for c in members)
        row["last_review"] = max(datetime.date.fromisoformat(c["last_review"]) for c in members)
        rows[key] = row
    counts = {"from": trends["from"] and datetime.date.fromisoformat(trends["from"]),
              "to": trends["to"] and datetime.date.fromisoformat(trends["to"]),
              "cohorts": rows}  # fmt: skip
    return trends_from_counts(counts, framework_keys), period


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused: the trends of 2,000 cohorts build some 200,000 small
    dicts and lists, none in a cycle, and the collector walked every live object again and
    again while they were made: half the time of the JSON (docs/performance.md, "Trends").
    Reference counting still frees everything; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _copy_json(value):
    """A deep copy of JSON-like data (dicts, lists, and values that never change): what
    copy.deepcopy gives, five times faster over 2,000 cohorts, as it keeps no memo."""
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value


@_no_cycle_collection()
def trends_json(trends):
    """The contract's JSON (docs/spec/interchange.md#trends-json): a copy of `trends` with each
    group's count of 1 or 2 as null (0 stays 0); nothing else is withheld. Pure."""
    return {
        key: [_cohort_json(cohort) for cohort in value] if key == "cohorts" else _copy_json(value)
        for key, value in trends.items()
    }


def _cohort_json(cohort):
    # The groups are most of the document: copied and protected in one pass, in their order.
    return {
        key: {
            dimension: {
                group: {name: None if count in (1, 2) else count for name, count in counts.items()}
                for group, counts in groups.items()
            }
            for dimension, groups in value.items()
        }
        if key == "by"
        else _copy_json(value)
        for key, value in cohort.items()
    }


@_no_cycle_collection()
def trends_for(reviews, first=None, last=None, today=None):
    """The trends (unprotected) of `reviews`: see `trend_counts`."""
    framework_keys = [framework.key for framework in frameworks()]
    return trends_from_counts(trend_counts(reviews, first, last, today), framework_keys)
