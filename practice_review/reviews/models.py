"""Cohorts, children and their reviews (docs/spec/domain.md#reviews).

Every change to case data keeps a history (django-simple-history: who, when, before, after).
Case data is reached only through the scoped queries in queries.py, never `objects.all()`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from practice_review.accounts.models import staff_link
from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import (
    MAX_KEY_LENGTH,
    built_in,
    from_data,
    theme_labels,
    themes_of,
    to_data,
)
from practice_review.reviews import answers
from practice_review.reviews.answers import GRADE
from practice_review.reviews.review_file import framework_clashes
from practice_review.reviews.signals import cohorts_changed, one_signal


def choices(vocabulary):
    return [(key, label) for key, label in vocabulary]


class GradeField(models.CharField):
    """A grade key on the ILACS scale; null means not graded (yet) or not moderated. Grades
    are now in the answers document (ADR 0007, stage 3); the migrations that made the grade
    columns still name this field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("choices", choices(v.GRADES))
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)


class StandardField(models.CharField):
    """Met, not met or not applicable; null until the reviewer has checked the standard."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("choices", choices(v.STANDARD_RESULTS))
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)


class Child(models.Model):
    """A child or young person whose case is reviewed. Special category data: collect only this."""

    case_ref = models.CharField(
        "case reference",
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text="The case management system's reference: the same child in every cohort.",
    )
    initials = models.CharField(max_length=20)
    gender = models.CharField(max_length=20, choices=choices(v.GENDERS))
    date_of_birth = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=200, blank=True)
    religion = models.CharField(max_length=200, blank=True)
    first_language = models.CharField(max_length=200, blank=True)
    interpreter_needed = models.BooleanField(null=True, blank=True)
    uasc = models.BooleanField(
        "arrived as an unaccompanied asylum-seeking child", null=True, blank=True
    )
    # A legal hold (litigation, a complaint, an inquiry) stops the retention purge for every
    # review of this child until the QA lead clears it (docs/data-protection.md).
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.TextField(blank=True)
    legal_hold_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_hold_set_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention purge removed the last of this child's details (ADR 0005).
    anonymised_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "children"

    def __str__(self):
        return self.initials


class AuditTemplateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def built_in(self):
        """The Practice and Impact Review as shipped: the template a cohort gets unless one is
        chosen (docs/adr/0007-audit-templates-as-versioned-data.md). Migration 0012 stores it;
        a database emptied since (flushed, or restored from before the tables were filled) gets
        it again from the shipped file, which never changes."""
        shipped = built_in()
        template, _ = self.get_or_create(
            key=shipped.key,
            version=shipped.version,
            defaults={"name": shipped.name, "definition": to_data(shipped),
                      "published_at": timezone.now()},
        )  # fmt: skip
        return template

    def of_reviews(self, reviews):
        """The core templates `reviews` answer, oldest key and version first (as the figures
        order them), in one query; the built-in when there are none."""
        rows = self.filter(pk__in=reviews.values("template_id")).order_by("key", "version")
        return [row.template for row in rows] or [built_in()]

    def by_id_for(self, reviews):
        """{template id: core template} of the versions `reviews` answer, in one query, each
        read once: for pages that list many reviews."""
        return {row.pk: row.template for row in self.filter(pk__in=reviews.values("template_id"))}

    def themes_of_reviews(self, reviews):
        """The themes `reviews` were asked about, each once (core themes_of)."""
        return themes_of(self.of_reviews(reviews))

    def theme_words(self):
        """{template id: {theme key: words}} for every template version, and under None every
        published template's words, the built-in's first: to name the themes of many
        recommendations (or one raised where no one template says which, at a meeting) with
        one query, reading each template once."""
        rows = list(self.order_by("key", "version"))
        words = {row.pk: theme_labels([row.template]) for row in rows}
        published = [row.template for row in rows if row.is_published]
        words[None] = theme_labels([built_in(), *published])
        return words


class AuditTemplate(models.Model):
    """One version of an audit template: what a review asks and how it is graded. The
    definition is the file format of docs/spec/audit-templates.md, read and checked only by
    core/audit_templates.py. A draft until published; a published version never changes."""

    key = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=500)
    definition = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None for the built-in, which the migration created
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = AuditTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="one_row_per_template_version")
        ]

    def __str__(self):
        return f"{self.name}, version {self.version}"

    @property
    def is_published(self):
        return self.published_at is not None

    @cached_property
    def template(self):
        """The definition as core/audit_templates.AuditTemplate (checked when it was stored)."""
        return from_data(self.definition)


class Cohort(models.Model):
    """A set of case files chosen for review together (a month, or a one-off event)."""

    name = models.CharField(max_length=200)
    # Names match case-insensitively after trimming (docs/spec/interchange.md#cohort-names), so the
    # key is unique. Casefolding can lengthen text ("ß" is "ss"), so the key has room to grow.
    name_key = models.CharField(max_length=600, unique=True, editable=False)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    selected_by = models.CharField(max_length=200, blank=True)
    selection_reason = models.CharField(
        max_length=10, choices=choices(v.SELECTION_REASONS), default="mixed"
    )
    theme = models.CharField(max_length=200, blank=True)
    # What its reviews ask: one template version for the whole cohort, so its figures add up.
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="cohorts")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.name_key = self.key_for(self.name)
        super().save(*args, **kwargs)

    @staticmethod
    def key_for(name):
        return " ".join(str(name).split()).casefold()


class GradeDescriptorSet(models.Model):
    """A version of the council's case-level grade descriptors; reviews record which they saw."""

    version = models.PositiveIntegerField(unique=True)
    introduced_on = models.DateField()
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"Grade descriptors version {self.version}"


class GradeDescriptor(models.Model):
    AXES = [("practice", "Social work practice"), ("outcome", "Outcomes for the child")]

    descriptor_set = models.ForeignKey(
        GradeDescriptorSet, on_delete=models.CASCADE, related_name="descriptors"
    )
    axis = models.CharField(max_length=10, choices=AXES)
    grade = models.CharField(max_length=30, choices=choices(v.GRADES))
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["descriptor_set", "axis", "grade"], name="one_descriptor_per_grade"
            )
        ]

    def __str__(self):
        return f"{self.get_axis_display()}: {self.get_grade_display()}"


class LearningTopic(models.Model):
    """A managed tag for strengths and areas for development (recording, chronology, ...)."""

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FrameworkQuerySet(models.QuerySet):
    def in_order(self):
        """Every framework in its order, active or not. The migration stores the built-in five;
        a database emptied since (flushed, or restored from before the table was filled) gets
        them again, as the built-in template comes back (AuditTemplateQuerySet.built_in)."""
        found = list(self.order_by("order", "key"))
        if found:
            return found
        with transaction.atomic():
            for order, terms in enumerate(v.BUILT_IN_FRAMEWORKS, start=1):
                self.get_or_create(
                    key=terms.key,
                    defaults={"label": terms.label, "synonyms": list(terms.synonyms),
                              "order": order * 10},
                )  # fmt: skip
        return list(self.order_by("order", "key"))


FRAMEWORK_KEY = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z",
    "Enter a key of lower-case letters, digits and underscores that starts with a letter, "
    "such as family_help",
)


class Framework(models.Model):
    """A legal or practice framework a child's case is under at the review (early help, child
    in need, ...): reference data a council extends, for example with Family Help under the
    Families First reforms (docs/adr/0007-audit-templates-as-versioned-data.md, item 5).

    A review holds the key, so a key never changes once made and a framework is never deleted:
    one no longer used is made inactive, and keeps its counts."""

    key = models.CharField(
        max_length=30,  # Review.legal_status's length
        unique=True,
        validators=[FRAMEWORK_KEY],
        help_text="Used in review files and figures, for example family_help. It cannot be "
        "changed later.",
    )
    label = models.CharField(max_length=100, unique=True, help_text="For example, Family Help")
    synonyms = models.JSONField(
        default=list,
        blank=True,
        help_text="Other words review files use for it, for example FH. Capitals, spaces and "
        "hyphens do not matter.",
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Where it comes in lists, figures and reports: lowest first."
    )
    active = models.BooleanField(
        default=True,
        help_text="Offered for new reviews and accepted in imports. One no longer in use keeps "
        "its counts in figures and reports.",
    )
    history = HistoricalRecords()

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]

    def __str__(self):
        return self.label

    @property
    def terms(self):
        return v.FrameworkTerms(self.key, self.label, tuple(self.synonyms), self.active)

    def clean(self):
        if not isinstance(self.synonyms, list) or not all(
            isinstance(text, str) and text.strip() for text in self.synonyms
        ):
            raise ValidationError({"synonyms": "Give each synonym as words"})
        others = [framework.terms for framework in Framework.objects.exclude(pk=self.pk)]
        clashes = framework_clashes(self.terms, others)
        if clashes:
            raise ValidationError(clashes)


class ReviewQuerySet(models.QuerySet):
    """Every bulk write says which cohorts' reviews it touched (reviews/signals.py), in its
    transaction, so what is stored about a cohort's reviews is never stale (ADR 0008)."""

    def completed(self):
        return self.filter(status__in=v.COMPLETED_STATES)

    def _cohorts(self):
        return set(self.order_by().values_list("cohort_id", flat=True).distinct())

    def update(self, **kwargs):
        with transaction.atomic(using=self.db), one_signal():
            if "cohort" not in kwargs and "cohort_id" not in kwargs:
                cohorts_changed(self._cohorts())
                return super().update(**kwargs)
            # Moved: the cohorts they leave and the ones they join.
            ids = list(self.values_list("pk", flat=True))
            cohorts_changed(self._cohorts())
            updated = super().update(**kwargs)
            cohorts_changed(self.model._default_manager.filter(pk__in=ids)._cohorts())
            return updated

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db), one_signal():
            created = super().bulk_create(objs, *args, **kwargs)
            cohorts_changed(obj.cohort_id for obj in objs)
            return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db), one_signal():
            # Read from the database: the objects may not have loaded their cohort.
            ids = [obj.pk for obj in objs]
            cohorts_changed(self.model._default_manager.filter(pk__in=ids)._cohorts())
            return super().bulk_update(objs, fields, *args, **kwargs)

    def delete(self):
        with transaction.atomic(using=self.db), one_signal():
            cohorts_changed(self._cohorts())
            return super().delete()


@dataclass(frozen=True)
class GradeRow:
    """One axis of a review's grades, in the template's words, as pages show it."""

    key: str
    label: str  # the axis: "Social work practice"
    grade: str | None
    grade_label: str  # "" when not graded
    rationale: str
    moderated: str | None
    moderated_label: str
    second: str | None
    second_label: str

    @property
    def changed_at_moderation(self):
        return bool(self.moderated and self.moderated != self.grade)


def grade_row(axis, given):
    """The GradeRow of core GradeAxis `axis` from a review's answers document `given`."""
    words = {level.key: level.label for level in axis.levels}

    def part(name):
        return answers.grade(given, axis.key, name)

    def label(name):
        value = part(name)
        return words.get(value, value or "")

    return GradeRow(
        key=axis.key, label=axis.label,
        grade=part(answers.GRADE), grade_label=label(answers.GRADE),
        rationale=part(answers.RATIONALE),
        moderated=part(answers.MODERATED), moderated_label=label(answers.MODERATED),
        second=part(answers.SECOND), second_label=label(answers.SECOND),
    )  # fmt: skip


class Review(models.Model):
    """One child's case file reviewed by one reviewer (the audit)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="reviews")
    # The template version the review was assigned with: kept even if the cohort moves on.
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="reviews")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="reviews")
    review_date = models.DateField()
    # A review assigned in the app holds its due date in review_date as a placeholder (the
    # date is part of the review's identity and of every figure, so it is never empty) until
    # the reviewer gives the date the file was reviewed: until then it is not confirmed, and
    # the review cannot be submitted.
    review_date_confirmed = models.BooleanField(
        default=True, help_text="The reviewer has given the review date (not the due date)."
    )
    status = models.CharField(
        max_length=20, choices=v.ReviewStatus.choices, default=v.ReviewStatus.ASSIGNED
    )
    imported = models.BooleanField(default=False, help_text="Came from a review file.")

    reviewer = staff_link()
    reviewer_type = models.CharField(max_length=20, choices=choices(v.REVIEWER_TYPES))
    social_worker = staff_link()
    social_worker_was_student = models.BooleanField(default=False)
    supervisor = staff_link()
    independent_reviewing_officer = staff_link()

    # The child as they were at the review: figures use these, so a past cohort never changes
    # when a child has a birthday or their legal status moves on.
    age_years = models.PositiveSmallIntegerField("age in whole years", null=True, blank=True)
    age_as_written = models.CharField(max_length=30, blank=True)
    # A Framework's key: the council's list, checked by the review form and the import.
    legal_status = models.CharField("legal or practice framework", max_length=30)
    gender = models.CharField(max_length=20, choices=choices(v.GENDERS))
    ethnicity = models.CharField(max_length=200, blank=True)
    religion = models.CharField(max_length=200, blank=True)
    first_language = models.CharField(max_length=200, blank=True)
    interpreter_needed = models.BooleanField(null=True, blank=True)
    uasc = models.BooleanField(null=True, blank=True)

    # The answers to the template's practice standards, one JSON document (reviews/answers.py;
    # ADR 0007): one row and one history row per change, and a cohort's figures still one
    # aggregate query, whatever the template asks.
    answers = models.JSONField(default=dict, blank=True)

    # The grades, one per axis of the template, are in the answers document: the (first)
    # reviewer's own with their reasons, the grade agreed at moderation, a second reviewer's,
    # and the first's as they were when both had graded (reviews/answers.py).
    practice_outcome_reason = models.TextField(
        "why outcomes differ from practice",
        blank=True,
        help_text="Required when practice is good or better and outcomes are not.",
    )
    descriptor_set = models.ForeignKey(
        GradeDescriptorSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderation_reason = models.TextField(blank=True)

    # A dual review: a second, blind reviewer (reviews/dual_review.py says who sees which
    # grades when).
    second_reviewer = staff_link()
    second_rationale = models.TextField("second reviewer's reasons", blank=True)
    second_graded_at = models.DateTimeField(null=True, blank=True)

    # Alerts counted in an imported file; alerts raised in the app are Alert records.
    alerts_in_file = models.PositiveIntegerField(default=0)

    # Assignment (issue 3): when it is due, and why a reviewer with a conflict was assigned.
    due_date = models.DateField(null=True, blank=True)
    conflict_reason = models.TextField(
        blank=True,
        help_text="Why this reviewer was assigned although they are the child's worker, "
        "supervisor or IRO.",
    )
    # The practice window runs from 6 months before the review date, or from the case's start
    # if that is later (docs/spec/domain.md#practice-window).
    case_start_date = models.DateField(null=True, blank=True)

    # Set when the retention purge removed this review's personal details and free text,
    # keeping only what the figures count (ADR 0005).
    purged_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1, help_text="Optimistic locking for edits.")
    # Each section of the form has its own version, so two people editing different sections
    # never conflict, while two editing the same section always do.
    section_versions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["review_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "child", "review_date"], name="one_review_per_child_per_date"
            )
        ]
        indexes = [
            models.Index(fields=["cohort", "status"]),
            # The trends count alerts and recommendations of completed reviews by cohort: this
            # answers "which cohort, and is it completed?" for each from the index alone,
            # without reading a million reviews' rows (docs/performance.md, "Trends").
            models.Index(fields=["id", "status", "cohort"], name="review_status_cohort_by_id"),
        ]

    def __str__(self):
        return f"Review of {self.child} {self.dated}"

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")), one_signal():
            super().save(*args, **kwargs)
            cohorts_changed({self.cohort_id, getattr(self, "_stored_cohort_id", None)})
            self._stored_cohort_id = self.cohort_id

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")), one_signal():
            cohorts = {self.cohort_id, getattr(self, "_stored_cohort_id", None)}
            deleted = super().delete(*args, **kwargs)
            cohorts_changed(cohorts)
            return deleted

    @classmethod
    def from_db(cls, db, field_names, values):
        review = super().from_db(db, field_names, values)
        # The cohort as stored, so a save that moves the review says both cohorts changed.
        review._stored_cohort_id = review.__dict__.get("cohort_id")
        return review

    @property
    def is_open(self):
        """Still with the reviewer: assigned or in progress."""
        return self.status in v.EDITABLE_STATES

    @property
    def given_review_date(self):
        """The review date, or None while it is still the due date put there at assignment."""
        return self.review_date if self.review_date_confirmed else None

    @property
    def dated(self):
        """ "on 3 March 2025", or "(date not yet given)": pages never show the placeholder."""
        given = self.given_review_date
        return f"on {given:%-d %B %Y}" if given else "(date not yet given)"

    @property
    def is_overdue(self):
        return bool(self.due_date and self.is_open and self.due_date < timezone.localdate())

    @property
    def legal_status_label(self):
        """The framework's label as the council now names it; blank until one is chosen."""
        if not self.legal_status:
            return ""
        framework = Framework.objects.filter(key=self.legal_status).first()
        return framework.label if framework else v.framework_label(self.legal_status, ())

    def grade(self, axis, part=GRADE):
        """One part of the grade on an axis (reviews/answers.py): the reviewer's by default."""
        return answers.grade(self.answers, axis, part)

    def counted_grade(self, axis):
        """The moderated grade where there is one, else the reviewer's
        (docs/spec/domain.md#counted-grade)."""
        return self.grade(axis, answers.MODERATED) or self.grade(axis)

    @property
    def axes(self):
        """The grade axes (core GradeAxis) of the review's template, in order."""
        return self.asks.grades

    @property
    def axis_keys(self):
        return [axis.key for axis in self.axes]

    def level_label(self, axis, level):
        """A grade's words on an axis of the review's template ("Good"); "" for none."""
        for item in self.axes:
            if item.key == axis:
                return next((each.label for each in item.levels if each.key == level), level or "")
        return level or ""

    @property
    def is_moderated(self):
        return any(self.grade(axis, answers.MODERATED) for axis in self.axis_keys)

    @cached_property
    def grade_rows(self):
        """A GradeRow for each axis of the template: what pages and documents show."""
        return [grade_row(axis, self.answers) for axis in self.axes]

    @property
    def asks(self):
        """The review's template (core/audit_templates.AuditTemplate): what the review asks."""
        return self.template.template

    @property
    def themes(self):
        """The themes (core Theme: key, label) the review's template asks about, in order."""
        return self.asks.themes

    @property
    def standard_keys(self):
        """The keys of the practice standards the review's template asks about, in order."""
        return [standard.key for standard in self.asks.standards]

    @property
    def question_kinds(self):
        """(key, type) of each question the review's template asks, in order."""
        return [(question.key, question.type) for question in self.asks.questions]

    def standards(self):
        """(key, label, result, comment, put right) for each of the template's standards."""
        rows = []
        for item in self.asks.standards:
            given = answers.standard(self.answers, item.key)
            rows.append((item.key, item.label, given[answers.RESULT], given[answers.COMMENT],
                         given[answers.PUT_RIGHT]))  # fmt: skip
        return rows

    def questions(self):
        """(key, label, answer in words, or "" when not answered) for each of the template's
        questions: yes or no, a choice's label, a number, or the text given."""
        given = answers.question_values(self.answers, self.question_kinds)
        rows = []
        for question in self.asks.questions:
            answer = given[question.key]
            if isinstance(answer, bool):
                answer = "Yes" if answer else "No"
            elif question.type == "choice":
                answer = dict(question.choices).get(answer, answer)
            rows.append((question.key, question.label, "" if answer is None else str(answer)))
        return rows


class ThemeFinding(models.Model):
    """Strengths and areas for development under one of the themes of the review's template."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    # A theme key of the review's template (no fixed list: templates have their own themes).
    theme = models.CharField(max_length=MAX_KEY_LENGTH)
    strengths = models.TextField(blank=True)
    development = models.TextField("areas for development", blank=True)
    topics = models.ManyToManyField(LearningTopic, blank=True, related_name="findings")
    before_window = models.BooleanField(
        default=False, help_text="Includes a finding from before the practice window."
    )
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["review", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["review", "theme"], name="one_finding_per_theme")
        ]

    def __str__(self):
        return f"{self.theme_label} ({self.review})"

    @property
    def theme_label(self):
        """The theme in the words of the review's template."""
        return theme_labels([self.review.asks]).get(self.theme, self.theme)


class Conversation(models.Model):
    """A conversation the reviewer held, in the person's own words."""

    WITH = [
        ("practitioner", "Practitioner"),
        ("manager", "Manager"),
        ("child_or_family", "Child, young person or family"),
    ]
    METHODS = [
        ("in_person", "In person"),
        ("phone", "Phone"),
        ("video", "Video call"),
        ("whatsapp", "WhatsApp"),
        ("letter", "Letter"),
    ]

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="conversations")
    held_with = models.CharField(max_length=20, choices=WITH)
    held_on = models.DateField()
    method = models.CharField(max_length=20, choices=METHODS)
    their_words = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"Conversation with {self.get_held_with_display().lower()} on {self.held_on}"


class ReviewEvent(models.Model):
    """An append-only record of a review's state changes: who, when, from what, to what, why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True, choices=v.ReviewStatus.choices)
    to_status = models.CharField(max_length=20, choices=v.ReviewStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or 'new'} to {self.to_status} at {self.at:%Y-%m-%d %H:%M}"


class ReviewResponse(models.Model):
    """A practitioner's or manager's reflection and response: a dated entry, never an edit."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="responses")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"Response by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class ImportRecord(models.Model):
    """Who imported which file, when, and what it changed."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    updated = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"Import of {self.file_name} at {self.at:%Y-%m-%d %H:%M}"
