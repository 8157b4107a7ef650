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
from django.db.models.lookups import Exact, In, IsNull
from django.utils import timezone

from practice_review.alerts.models import Alert
from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import GradeAxis, Question
from practice_review.core.numbers import percentage
from practice_review.reports.agreement import agreement_figures
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
from practice_review.reviews.models import AuditTemplate, Review
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


def grade_summaries_by_cohort(reviews):
    """{cohort id: counts} for many cohorts in one grouped query (the home page's summaries):
    reviews, and on the practice and outcome axes (where the reviews' template versions grade
    them) how many were good or better, and practice at its best level; None for an axis none
    of them grades."""
    completed = reviews.completed()
    templates = AuditTemplate.objects.by_id_for(completed)

    def where(axis, keys_of):
        """Q: the counted grade on `axis` is one of `keys_of(axis of the review's version)`."""
        conditions = [
            Q(template_id=template_id) & Q(In(counted_grade(axis), list(keys)))
            for template_id, asks in templates.items()
            for graded in asks.grades
            if graded.key == axis and (keys := keys_of(graded))
        ]
        return _any(conditions) if conditions else None

    wanted = {
        "practice_good_or_better": where(PRACTICE, lambda axis: axis.good_or_better_keys),
        "outcome_good_or_better": where(OUTCOME, lambda axis: axis.good_or_better_keys),
        "practice_outstanding": where(PRACTICE, lambda axis: [axis.levels[0].key]),
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
