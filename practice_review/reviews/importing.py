"""Importing a review file: all or nothing, attributed, idempotent
(docs/spec/interchange.md#all-or-nothing).

`parse_review_file` (pure) checks every value; this module resolves who and what each row
refers to in the database, and writes everything in one transaction with its history. Any
problem found here rolls the whole import back, so a refused file never changes anything.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from practice_review.accounts.models import StaffMember, normalise_name
from practice_review.audit.events import covered_by_one_event, record
from practice_review.audit.models import AuditEvent
from practice_review.core import vocabulary as v
from practice_review.core.history import save_as
from practice_review.core.text import pluralize
from practice_review.core.vocabulary import ReviewStatus
from practice_review.reviews.answers import (
    MODERATED,
    RESULT,
    SECOND,
    grade,
    grade_field,
    question_values,
    standard,
    with_grades,
    with_question_values,
    with_standard_values,
)
from practice_review.reviews.models import (
    AuditTemplate,
    Child,
    Cohort,
    ImportRecord,
    Review,
    ReviewEvent,
    ThemeFinding,
)
from practice_review.reviews.queries import frameworks
from practice_review.reviews.review_file import (
    GRADE_PARTS,
    Problem,
    cohort_key,
    parse_review_file,
    theme_columns,
)

# The file's staff columns: every part staff play on a review but the IRO, whom files do not name.
STAFF_COLUMNS = [key for key in v.STAFF_ROLE_KEYS if key != "independent_reviewing_officer"]
IMPORT_LOCK = 7_460_001  # any fixed number: the PostgreSQL advisory lock for imports
BATCH = 500
LOOKUP_CHUNK = 2000  # stays under SQLite's limit on query parameters

# Which review fields each file column controls: on re-import only the columns the file has
# are compared, so a file without (say) a religion column never blanks the recorded religion.
COLUMN_FIELDS = {
    "reviewer": ["reviewer_id"],
    "social_worker": ["social_worker_id", "social_worker_was_student"],
    "supervisor": ["supervisor_id"],
    "second_reviewer": ["second_reviewer_id"],
    "age_at_review": ["age_years", "age_as_written"],
    "date_of_birth": ["age_years", "age_as_written"],
    "alerts": ["alerts_in_file"],
}
SNAPSHOT_COLUMNS = [
    "gender", "legal_status", "ethnicity", "religion", "first_language", "uasc",
    "interpreter_needed", "reviewer_type", "practice_outcome_reason",
]  # fmt: skip
CHILD_DETAIL_FIELDS = ["ethnicity", "religion", "first_language", "uasc", "interpreter_needed"]


@dataclass(frozen=True)
class NewStaff:
    """A member of staff a file names whom the service does not know: the import adds them."""

    name: str  # as the file first spells it
    initials: str  # the name again when it looks like initials, else blank
    roles: tuple  # the columns naming them (STAFF_ROLE_KEYS), in the columns' order

    @property
    def roles_text(self):
        return v.staff_roles_text(self.roles)

    def __str__(self):
        return f"{self.name} ({self.roles_text})"


def unlike_recorded_child(row, child, reference):
    """Problems for a file's `row` (its row number, initials and gender) that gives a child
    already recorded (`child`, found by `reference`, e.g. "child_ref 'C1'") other initials or
    another gender: a different child under a reused reference, or a typing slip."""
    problems = []
    for column, stored, given in [
        ("initials", child.initials.casefold(), row.initials.casefold()),
        ("gender", child.gender, row.gender),
    ]:
        if stored != given:
            expected = f"'{getattr(child, column)}', as already recorded for {reference}"
            problems.append(Problem(row.row, column, getattr(row, column), expected))
    return problems


def added_staff_lines(added_staff):
    """What the command line adds to its summary, after the line other tools read
    (docs/spec/interchange.md#practice-review-import-reviews); nothing when nobody was added."""
    if not added_staff:
        return []
    count = len(added_staff)
    return [
        f"Added {count} member{pluralize(count)} of staff not known before:",
        *(f"  {person}" for person in added_staff),
    ]


@dataclass
class ImportResult:
    problems: list = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cohorts: list = field(default_factory=list)
    added_staff: list = field(default_factory=list)  # of NewStaff

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        # Other tools read this line (docs/spec/interchange.md): never change its words.
        return (
            f"Imported {self.rows} review{pluralize(self.rows)} into {', '.join(self.cohorts)}: "
            f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged."
        )


@dataclass
class ImportPlan:
    """What importing a file would do, worked out without writing anything: the check page."""

    problems: list = field(default_factory=list)
    rows: int = 0
    cohorts: list = field(default_factory=list)  # (name, new?) sorted by name
    added_staff: list = field(default_factory=list)  # of NewStaff
    template: AuditTemplate | None = None  # the template the file was read as

    @property
    def ok(self):
        return not self.problems


class ImportRefused(Exception):
    """A file refused while it was being written (its problems, each a review_file.Problem):
    the transaction rolls back, so nothing is written. Also raised by StaffDirectory when a name
    became ambiguous after the check, for every import that matches staff."""

    def __init__(self, problems):
        self.problems = problems


def chunks(items, size=LOOKUP_CHUNK):
    """`items` in lists short enough for one `__in` lookup on any database."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_import(*, data, file_name, by, default_cohort=None, today=None, template=None):
    """What importing the file as `by` would do, or its problems; writes nothing but the audit
    event of a refused file, as a refused import does.

    The same checks as `import_reviews`, so a file that passes here imports unless the records
    change before it is confirmed (the import checks everything again).
    """
    today = today or timezone.localdate()
    template = template or AuditTemplate.objects.built_in()
    parsed = _parse(data, file_name, default_cohort, today, template)
    problems = parsed.problems + _database_problems(parsed.rows, template)
    if problems:
        return ImportPlan(problems=_refused(problems, file_name, by, template).problems)
    names = {}
    for row in parsed.rows:
        names.setdefault(cohort_key(row.cohort), row.cohort)
    known = dict(Cohort.objects.filter(name_key__in=list(names)).values_list("name_key", "name"))
    cohorts = sorted((known.get(key, name), key not in known) for key, name in names.items())
    return ImportPlan(rows=len(parsed.rows), cohorts=cohorts,
                      added_staff=staff_to_add(parsed.rows), template=template)  # fmt: skip


def import_reviews(*, data, file_name, by, default_cohort=None, today=None, template=None):
    """Import a review file as `by`. Returns what changed, or the problems and changes nothing.

    A review dated after `today` (London's today unless given) is refused. The file is read as
    `template` (a published AuditTemplate; the built-in one unless given): its standards and
    questions are the file's columns, new cohorts are made on it, and a cohort already on
    another template (or another version of it) refuses the file.
    """
    today = today or timezone.localdate()
    template = template or AuditTemplate.objects.built_in()
    parsed = _parse(data, file_name, default_cohort, today, template)
    if parsed.problems:
        # Report what the database would also refuse, so one attempt names every problem.
        problems = parsed.problems + _database_problems(parsed.rows, template)
        return _refused(problems, file_name, by, template)
    try:
        # One audit event for the whole file, not one for each record it writes.
        with transaction.atomic(), covered_by_one_event():
            wait_for_other_imports()
            problems = _database_problems(parsed.rows, template)
            if problems:
                raise ImportRefused(problems)
            result = _write(parsed, by=by, file_name=file_name, template=template)
            import_record = ImportRecord.objects.create(
                by=by,
                file_name=file_name[-255:],
                sha256=hashlib.sha256(data).hexdigest(),
                rows=result.rows,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
            )
            record(
                AuditEvent.Action.IMPORTED,
                by=by,
                target=import_record,
                details={
                    "ok": True,
                    "file_name": import_record.file_name,
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "template": _read_as(template),
                },
            )
    except ImportRefused as refused:
        return _refused(refused.problems, file_name, by, template)
    return result


def _parse(data, file_name, default_cohort, today, template):
    return parse_review_file(data, file_name, default_cohort=default_cohort, today=today,
                             frameworks=frameworks(), template=template.template)  # fmt: skip


def _read_as(template):
    """The template version a file was read as, for the audit trail: which columns it had."""
    return {"key": template.key, "version": template.version}


def _refused(problems, file_name, by, template):
    # Recorded outside the rolled-back transaction; the problems quote cells, so only their
    # number goes into the audit trail.
    record(
        AuditEvent.Action.IMPORTED,
        by=by,
        details={
            "ok": False,
            "file_name": file_name[-255:],
            "problems": len(problems),
            "template": _read_as(template),
        },
    )
    return ImportResult(problems=sorted(problems, key=lambda p: p.row))


def wait_for_other_imports():
    """One import at a time: two files creating the same cohort or child must not race.

    SQLite's IMMEDIATE transactions already queue writers; PostgreSQL needs an explicit lock,
    held until this transaction ends.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _database_problems(rows, template):
    """What the stored records refuse: a cohort on another template than the file was read as,
    a child_ref whose initials or gender disagree with the child already recorded, and a staff
    name that matches more than one member of staff."""
    problems = _template_problems(rows, template)
    known = {}
    for chunk in chunks({row.child_ref for row in rows if row.child_ref}):
        known.update((c.case_ref, c) for c in Child.objects.filter(case_ref__in=chunk))
    for row in rows:
        child = known.get(row.child_ref)
        if child is not None:
            problems += unlike_recorded_child(row, child, f"child_ref '{row.child_ref}'")
    staff = StaffDirectory()
    for row in rows:
        for column in STAFF_COLUMNS:
            problems += staff.ambiguity(getattr(row, column), row.row, column)
    return problems


def _template_problems(rows, template):
    """A cohort's reviews all answer one template version, so its figures add up: a file read as
    another is refused, once for each such cohort, at its first row."""
    first_rows = {}
    for row in rows:
        first_rows.setdefault(cohort_key(row.cohort), row)
    problems = []
    for chunk in chunks(first_rows):
        others = Cohort.objects.filter(name_key__in=chunk).exclude(template=template)
        for cohort in others.select_related("template"):
            row = first_rows[cohort.name_key]
            expected = (
                f"a cohort on {template}, the template the file was read as "
                f"({cohort.name} uses {cohort.template})"
            )
            problems.append(Problem(row.row, "cohort", row.cohort, expected))
    return problems


def _write(parsed, *, by, file_name, template):
    rows = parsed.rows
    reason = f"Imported from {file_name}"[:100]
    cohorts = _cohorts(rows, by, template)
    staff = StaffDirectory()
    added_staff = staff_to_add(rows, staff)
    add_staff(added_staff, staff, by)
    children = _children(rows, cohorts, by, reason)
    values = [_review_values(row, cohorts, children, staff) for row in rows]

    existing = {
        (r.cohort_id, r.child_id, r.review_date): r
        for r in Review.objects.filter(cohort__in=[c.id for c in cohorts.values()])
    }
    compared = _compared_fields(parsed.columns)
    # The standards' results and questions' answers the file gives (reviews/answers.py); a
    # comment or "put right" in the app is kept when a re-import changes a result.
    asks = template.template
    standard_keys = [s.key for s in asks.standards if s.key in parsed.columns]
    kinds = [(q.key, q.type) for q in asks.questions if q.key in parsed.columns]
    # The grades' parts the file has a column for, by axis.
    graded = {axis.key: [part for part in GRADE_PARTS
                         if grade_field(axis.key, part) in parsed.columns]
              for axis in asks.grades}  # fmt: skip
    # A new review takes its cohort's template version; one already there keeps its own.
    template_of = {cohort.id: cohort.template_id for cohort in cohorts.values()}
    new, changed, changed_fields, status_changes = [], [], set(), []
    now = timezone.now()
    matched = []  # (row, review) for reviews that were already there
    for row, row_values in zip(rows, values, strict=True):
        key = (row_values["cohort_id"], row_values["child_id"], row.review_date)
        review = existing.get(key)
        if review is None:
            template_id = template_of[row_values["cohort_id"]]
            answers = with_grades(
                with_question_values(
                    with_standard_values({}, standard_keys, row.standards), kinds, row.questions
                ),
                row.grades,
            )
            new.append(Review(**row_values, template_id=template_id, answers=answers,
                              second_graded_at=_second_graded_at(answers, None, now),
                              status=ReviewStatus.FINAL, imported=True))  # fmt: skip
            continue
        matched.append((row, review))
        differences = {
            name: row_values[name] for name in compared if getattr(review, name) != row_values[name]
        }
        results = {key: row.standards[key] for key in standard_keys
                   if standard(review.answers, key)[RESULT] != row.standards[key]}  # fmt: skip
        stored = question_values(review.answers, kinds)
        answers = {key: row.questions[key] for key, _ in kinds
                   if stored[key] != row.questions[key]}  # fmt: skip
        grades = _grade_changes(review.answers, row.grades, graded)
        if results or answers or grades:
            differences["answers"] = with_grades(
                with_question_values(
                    with_standard_values(review.answers, standard_keys, results), kinds, answers
                ),
                grades,
            )
            graded_at = _second_graded_at(differences["answers"], review.second_graded_at, now)
            if graded_at != review.second_graded_at:
                differences["second_graded_at"] = graded_at
        if differences and review.status != ReviewStatus.FINAL:
            # A changed row is a completed review; an identical one changes nothing at all.
            status_changes.append((review, review.status))
            differences["status"] = ReviewStatus.FINAL
        if differences:
            for name, value in differences.items():
                setattr(review, name, value)
            review.version += 1
            changed_fields.update(differences, {"version", "updated_at"})
            changed.append(review)

    created = bulk_create_with_history(
        new, Review, batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    if changed:
        now = timezone.now()
        for review in changed:
            review.updated_at = now
        bulk_update_with_history(
            changed,
            Review,
            sorted(changed_fields),
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
    ReviewEvent.objects.bulk_create(
        [ReviewEvent(review=r, to_status=ReviewStatus.FINAL, by=by, reason=reason) for r in created]
        + [
            ReviewEvent(
                review=r, from_status=old, to_status=ReviewStatus.FINAL, by=by, reason=reason
            )
            for r, old in status_changes
        ],
        batch_size=BATCH,
    )
    findings_changed = _write_findings(rows, created, matched, parsed.columns, by, reason)
    _update_children(rows, children, by)

    changed_ids = {r.id for r in changed} | findings_changed
    return ImportResult(
        rows=len(rows),
        created=len(created),
        updated=len(changed_ids),
        unchanged=len(matched) - len(changed_ids),
        cohorts=sorted({c.name for c in cohorts.values()}),
        added_staff=added_staff,
    )


def _compared_fields(columns):
    names = []
    for column in columns:
        if column in COLUMN_FIELDS:
            names += COLUMN_FIELDS[column]
        elif column in SNAPSHOT_COLUMNS:
            names.append(column)
    return list(dict.fromkeys(names))


def _second_graded_at(answers, recorded, now):
    """When the second reviewer's grades were recorded (what tells the app a dual review's
    second grades are in: reviews/dual_review.py): kept while the answers have them, now when
    the file first gives them, None when it takes them away."""
    has_second = any(part.get(SECOND) for part in (answers.get("grades") or {}).values())
    if not has_second:
        return None
    return recorded or now


def _grade_changes(answers, given, graded):
    """{axis: {part: value}}: the grades a row gives (`given`, ReviewRow.grades) that differ
    from those in a review's `answers`, for the parts the file has columns for (`graded`).
    A blank moderated cell never removes an existing moderation
    (docs/spec/interchange.md#re-importing)."""
    changes = {}
    for axis, parts in graded.items():
        for part in parts:
            value = given[axis][part]
            if part == MODERATED and value is None:
                continue
            if grade(answers, axis, part) != value:
                changes.setdefault(axis, {})[part] = value
    return changes


def _cohorts(rows, by, template):
    """{cohort key: Cohort}, creating new cohorts and widening periods to the reviews' dates."""
    dates = defaultdict(list)
    names = {}
    for row in rows:
        key = cohort_key(row.cohort)
        names.setdefault(key, row.cohort)
        dates[key].append(row.review_date)
    cohorts = {c.name_key: c for c in Cohort.objects.filter(name_key__in=list(names))}
    for key, name in names.items():
        first, last = min(dates[key]), max(dates[key])
        cohort = cohorts.get(key) or Cohort(
            name=name, period_start=first, period_end=last, template=template
        )
        start = min(filter(None, [cohort.period_start, first]))
        end = max(filter(None, [cohort.period_end, last]))
        if cohort.pk is None or (start, end) != (cohort.period_start, cohort.period_end):
            cohort.period_start, cohort.period_end = start, end
            save_as(cohort, by)
        cohorts[key] = cohort
    return cohorts


class StaffDirectory:
    """Finds staff by name or initials (case-insensitive, trimmed): the one matching of the
    names files give (review files, the caseload extract) to the staff the service knows."""

    def __init__(self):
        self.by_key = defaultdict(set)
        self.members = {}
        for member in StaffMember.objects.all():
            self.remember(member)

    def remember(self, member):
        self.members[member.id] = member
        self.by_key[member.name_key].add(member.id)
        if member.initials_key:
            self.by_key[member.initials_key].add(member.id)

    def knows(self, name):
        return bool(self.by_key.get(normalise_name(name)))

    def ambiguity(self, name, row, column):
        matches = self.by_key.get(normalise_name(name), set()) if name else set()
        if len(matches) < 2:
            return []
        names = ", ".join(sorted(str(self.members[i]) for i in matches))
        return [Problem(row, column, name, f"one member of staff (it matches {names})")]

    def id_for(self, name, row, column):
        if not name:
            return None
        matches = self.by_key.get(normalise_name(name), set())
        if len(matches) > 1:  # checked before writing; a race since then refuses the file
            raise ImportRefused(self.ambiguity(name, row, column))
        (member_id,) = matches  # staff_to_add has added everyone the file names
        return member_id


def staff_to_add(rows, staff=None, columns=STAFF_COLUMNS):
    """The staff `rows` name whom the service does not know, as [NewStaff], in the order the
    file first names them: the one answer to "who will this import add?" for the check page,
    the command's summary and the import itself.

    Names are matched as the import matches them: "jane  SMITH" is the Jane Smith named earlier
    in the file, and a name that looks like initials (no space, at most 6 characters, upper
    case) is kept as the person's initials too. `columns` are the staff columns the rows have
    (STAFF_ROLE_KEYS): a caseload extract names only social workers and supervisors.
    """
    staff = staff or StaffDirectory()
    found = {}  # name key: (name as first written, {role, ...})
    for row in rows:
        for column in columns:
            name = getattr(row, column)
            if name and not staff.knows(name):
                found.setdefault(normalise_name(name), (name, set()))[1].add(column)
    added = []
    for name, roles in found.values():
        looks_like_initials = " " not in name and len(name) <= 6 and name.isupper()
        added.append(
            NewStaff(
                name=" ".join(name.split()),
                initials=name if looks_like_initials else "",
                roles=tuple(role for role in columns if role in roles),
            )
        )
    return added


def add_staff(added, staff, by, teams=None):
    """Add the NewStaff `staff_to_add` found, each attributed to `by`, to the directory too.
    `teams` ({normalised name: team id}) gives a person their team as they are made."""
    teams = teams or {}
    for person in added:
        member = StaffMember(
            name=person.name,
            initials=person.initials,
            team_id=teams.get(normalise_name(person.name)),
        )
        save_as(member, by)
        staff.remember(member)


def _children(rows, cohorts, by, reason):
    """{(cohort key, child key): child id}, creating the children not yet known."""
    refs = {row.child_ref for row in rows if row.child_ref}
    known_refs = {}
    for chunk in chunks(refs):
        known_refs.update((c.case_ref, c) for c in Child.objects.filter(case_ref__in=chunk))

    # Without a reference a child is known by initials, gender and birth date or age, within
    # the cohort: look only at the children already reviewed in the same cohort.
    known_details = {}
    existing_cohorts = {c.id: key for key, c in cohorts.items()}
    for review in Review.objects.filter(
        cohort__in=list(existing_cohorts), child__case_ref__isnull=True
    ).values("cohort", "child", "child__initials", "child__gender", "child__date_of_birth",
             "age_years"):  # fmt: skip
        born = review["child__date_of_birth"]
        child_key = (
            "details",
            review["child__initials"].casefold(),
            review["child__gender"],
            born.isoformat() if born else review["age_years"],
        )
        known_details[(existing_cohorts[review["cohort"]], child_key)] = review["child"]

    children, new = {}, {}
    for row in rows:
        key = (cohort_key(row.cohort), row.child_key)
        if key in children or key in new:
            continue
        if row.child_ref and row.child_ref in known_refs:
            children[key] = known_refs[row.child_ref].id
        elif not row.child_ref and key in known_details:
            children[key] = known_details[key]
        else:
            new[key] = Child(
                case_ref=row.child_ref or None,
                initials=row.initials,
                gender=row.gender,
                date_of_birth=row.date_of_birth,
                **{name: getattr(row, name) for name in CHILD_DETAIL_FIELDS},
            )
    # A reference seen in two cohorts of one file is still one child.
    by_ref = {}
    for key, child in list(new.items()):
        if child.case_ref:
            if child.case_ref in by_ref:
                new[key] = by_ref[child.case_ref]
            else:
                by_ref[child.case_ref] = child
    unique_new = list({id(c): c for c in new.values()}.values())
    bulk_create_with_history(
        unique_new, Child, batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    children.update({key: child.id for key, child in new.items()})
    return children


def _review_values(row, cohorts, children, staff):
    cohort = cohorts[cohort_key(row.cohort)]
    return {
        "cohort_id": cohort.id,
        "child_id": children.get((cohort.name_key, row.child_key)),
        "review_date": row.review_date,
        "reviewer_id": staff.id_for(row.reviewer, row.row, "reviewer"),
        "social_worker_id": staff.id_for(row.social_worker, row.row, "social_worker"),
        "social_worker_was_student": row.social_worker_was_student,
        "supervisor_id": staff.id_for(row.supervisor, row.row, "supervisor"),
        "second_reviewer_id": staff.id_for(row.second_reviewer, row.row, "second_reviewer"),
        "age_years": row.age_years,
        "age_as_written": row.age_as_written,
        "alerts_in_file": row.alerts,
        **{name: getattr(row, name) for name in SNAPSHOT_COLUMNS},
    }


def _write_findings(rows, created, matched, columns, by, reason):
    """Strengths and areas for development per theme; returns ids of reviews whose changed."""
    # The themes of the template the file was read as (every row's are the same).
    themes = list(rows[0].strengths) if rows else []
    given = {theme: tuple(column in columns for column in theme_columns(theme)) for theme in themes}
    new = []
    # Created reviews come back in the order of the rows that were new.
    matched_ids = {id(row) for row, _ in matched}
    created_rows = [row for row in rows if id(row) not in matched_ids]
    for row, review in zip(created_rows, created, strict=True):
        for theme in themes:
            if row.strengths[theme] or row.development[theme]:
                new.append(
                    ThemeFinding(
                        review=review,
                        theme=theme,
                        strengths=row.strengths[theme],
                        development=row.development[theme],
                    )
                )

    existing = defaultdict(dict)
    for chunk in chunks([review.id for _, review in matched]):
        for finding in ThemeFinding.objects.filter(review__in=chunk):
            existing[finding.review_id][finding.theme] = finding
    changed, touched = [], set()
    for row, review in matched:
        for theme, (has_strengths, has_development) in given.items():
            finding = existing[review.id].get(theme)
            strengths = row.strengths[theme] if has_strengths else None
            development = row.development[theme] if has_development else None
            if finding is None:
                if strengths or development:
                    new.append(
                        ThemeFinding(
                            review=review,
                            theme=theme,
                            strengths=strengths or "",
                            development=development or "",
                        )
                    )
                    touched.add(review.id)
                continue
            before = (finding.strengths, finding.development)
            if strengths is not None:
                finding.strengths = strengths
            if development is not None:
                finding.development = development
            if (finding.strengths, finding.development) != before:
                changed.append(finding)
                touched.add(review.id)
    bulk_create_with_history(
        new, ThemeFinding, batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    if changed:
        bulk_update_with_history(
            changed,
            ThemeFinding,
            ["strengths", "development"],
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
    return touched


def _update_children(rows, children, by):
    """Keep each child's current details from their latest review (older files don't win)."""
    latest = {}
    for row in sorted(rows, key=lambda r: r.review_date):
        child_id = children[(cohort_key(row.cohort), row.child_key)]
        latest[child_id] = row
    latest_dates = {}
    for chunk in chunks(latest):
        latest_dates.update(
            Review.objects.filter(child__in=chunk)
            .values("child")
            .annotate(last=Max("review_date"))
            .values_list("child", "last")
        )
    to_check = [cid for cid, row in latest.items() if latest_dates.get(cid) == row.review_date]
    for chunk in chunks(to_check):
        for child in Child.objects.filter(id__in=chunk):
            row = latest[child.id]
            changes = {
                name: getattr(row, name)
                for name in CHILD_DETAIL_FIELDS
                if getattr(row, name) not in (None, "")
                and getattr(child, name) != getattr(row, name)
            }
            if changes:
                for name, value in changes.items():
                    setattr(child, name, value)
                save_as(child, by)
