"""Writes of the sampling app: keyword-only, `by=` the person acting, all or nothing, attributed.

Importing the caseload extract (docs/sampling.md#the-caseload-extract): `parse_caseload_file`
(pure) checks every value; here the rows are matched to the children, staff and teams the
service knows, and the extract and its entries are written in one transaction. Any problem
rolls the whole import back, so a refused extract changes nothing.

Drawing a cohort (docs/sampling.md#drawing-a-cohort): `sampling/draw.py` (pure) draws; here the
cohort is made and how it was drawn recorded with it.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from practice_review.accounts.models import Team, normalise_name
from practice_review.audit.events import covered_by_one_event, record
from practice_review.audit.models import AuditEvent
from practice_review.core.history import save_as
from practice_review.reviews import actions as review_actions
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.importing import (
    BATCH,
    ImportRefused,
    StaffDirectory,
    add_staff,
    chunks,
    staff_to_add,
    unlike_recorded_child,
    wait_for_other_imports,
)
from practice_review.reviews.models import Child
from practice_review.reviews.queries import frameworks
from practice_review.sampling import queries
from practice_review.sampling.caseload_file import parse_caseload_file
from practice_review.sampling.draw import draw
from practice_review.sampling.models import CaseloadEntry, CaseloadExtract, CohortDraw

# The extract names two of the parts staff play on a review (v.STAFF_ROLE_KEYS).
STAFF_COLUMNS = ("social_worker", "supervisor")


@dataclass
class ExtractPlan:
    """What importing an extract would do, worked out without writing anything: the check page,
    and the import's result once written (`extract` set)."""

    problems: list = field(default_factory=list)
    rows: int = 0
    known_children: int = 0
    new_children: int = 0
    added_staff: list = field(default_factory=list)  # of reviews.importing.NewStaff
    new_teams: list = field(default_factory=list)  # names, as the file first writes them
    extract: CaseloadExtract | None = None

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        return (
            f"Imported a caseload extract of {self.rows} children: {self.known_children} "
            f"already known, {self.new_children} new."
        )


def plan_extract(*, data, file_name, by, today=None):
    """What importing the extract as `by` would do, or its problems; writes nothing but the
    audit event of a refused file, as a refused import does. The import checks it all again."""
    parsed = _parse(data, file_name, today)
    problems = parsed.problems + _database_problems(parsed.rows)
    if problems:
        return _refused(problems, file_name, by)
    return _plan(parsed.rows)


def import_extract(*, by, data, file_name, today=None):
    """Import a caseload extract as `by`: it becomes the current extract (the previous ones are
    kept, dated). Returns the ExtractPlan carried out, or the problems, changing nothing.

    The same file imported again is a new extract: the date says the caseload was still this on
    that day, which is what a draw made after it should say (docs/sampling.md).
    """
    parsed = _parse(data, file_name, today)
    if parsed.problems:
        return _refused(parsed.problems + _database_problems(parsed.rows), file_name, by)
    try:
        with transaction.atomic(), covered_by_one_event():
            wait_for_other_imports()
            problems = _database_problems(parsed.rows)
            if problems:
                raise ImportRefused(problems)
            plan = _plan(parsed.rows)
            plan.extract = _write(parsed.rows, plan, by=by, data=data, file_name=file_name)
            record(
                AuditEvent.Action.IMPORTED,
                by=by,
                target=plan.extract,
                details={
                    "ok": True,
                    "file_name": plan.extract.file_name,
                    "rows": plan.rows,
                    "new_children": plan.new_children,
                    "added_staff": len(plan.added_staff),
                    "new_teams": len(plan.new_teams),
                },
            )
    except ImportRefused as refused:
        return _refused(refused.problems, file_name, by)
    return plan


def _parse(data, file_name, today):
    return parse_caseload_file(
        data, file_name, today=today or timezone.localdate(), frameworks=frameworks()
    )


def _refused(problems, file_name, by):
    # Outside the rolled-back transaction; the problems quote cells, so only their number is
    # kept in the audit trail.
    record(
        AuditEvent.Action.IMPORTED,
        by=by,
        details={
            "ok": False,
            "kind": "caseload extract",
            "file_name": file_name[-255:],
            "problems": len(problems),
        },  # fmt: skip
    )
    return ExtractPlan(problems=sorted(problems, key=lambda problem: problem.row))


def _known_children(rows):
    known = {}
    for chunk in chunks([row.case_ref for row in rows]):
        known.update((c.case_ref, c) for c in Child.objects.filter(case_ref__in=chunk))
    return known


def _database_problems(rows):
    """A child already recorded whose initials or gender the extract gives otherwise, and a
    staff name that matches more than one member of staff (as review imports refuse them)."""
    problems = []
    known = _known_children(rows)
    for row in rows:
        child = known.get(row.case_ref)
        if child is not None:
            problems += unlike_recorded_child(row, child, f"case_ref '{row.case_ref}'")
    staff = StaffDirectory()
    for row in rows:
        for column in STAFF_COLUMNS:
            problems += staff.ambiguity(getattr(row, column), row.row, column)
    return problems


def _team_names():
    return {name.casefold(): team_id for team_id, name in Team.objects.values_list("id", "name")}


def _plan(rows):
    known = _known_children(rows)
    teams = _team_names()
    new_teams = {}
    for row in rows:
        if row.team and row.team.casefold() not in teams:
            new_teams.setdefault(row.team.casefold(), row.team)
    known_count = sum(1 for row in rows if row.case_ref in known)
    return ExtractPlan(
        rows=len(rows),
        known_children=known_count,
        new_children=len(rows) - known_count,
        added_staff=staff_to_add(rows, columns=STAFF_COLUMNS),
        new_teams=list(new_teams.values()),
    )


def _write(rows, plan, *, by, data, file_name):
    reason = f"Caseload extract {file_name}"[:100]
    for name in plan.new_teams:
        save_as(Team(name=name), by)
    teams = _team_names()
    staff = StaffDirectory()
    workers_teams = _social_workers_teams(rows, teams)
    add_staff(staff_to_add(rows, staff, columns=STAFF_COLUMNS), staff, by, teams=workers_teams)
    _give_teams_to_known_workers(staff, workers_teams, by)
    known = _known_children(rows)
    new = [
        Child(
            case_ref=row.case_ref,
            initials=row.initials,
            gender=row.gender,
            date_of_birth=row.date_of_birth,
            ethnicity=row.ethnicity,
            uasc=row.uasc,
        )
        for row in rows
        if row.case_ref not in known
    ]
    bulk_create_with_history(
        new, Child, batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    children = {child.case_ref: child.id for child in [*known.values(), *new]}
    extract = CaseloadExtract(
        file_name=file_name[-255:], sha256=hashlib.sha256(data).hexdigest(), rows=len(rows),
        imported_by=by,
    )  # fmt: skip
    save_as(extract, by)
    CaseloadEntry.objects.bulk_create(
        [
            CaseloadEntry(
                extract=extract,
                child_id=children[row.case_ref],
                legal_status=row.legal_status,
                team_id=teams[row.team.casefold()] if row.team else None,
                social_worker_id=staff.id_for(row.social_worker, row.row, "social_worker"),
                supervisor_id=staff.id_for(row.supervisor, row.row, "supervisor"),
                open_date=row.open_date,
                age_years=row.age_years,
            )
            for row in rows
        ],
        batch_size=BATCH,
    )
    return extract


def _social_workers_teams(rows, teams):
    """{social worker's name key: team id} from the first row naming them with a team. Only
    social workers: a supervisor may look after workers of several teams."""
    found = {}
    for row in rows:
        if row.social_worker and row.team:
            found.setdefault(normalise_name(row.social_worker), teams[row.team.casefold()])
    return found


def _give_teams_to_known_workers(staff, workers_teams, by):
    """A social worker the service knew without a team gets the extract's; a team already set is
    never changed, as the service may know better than one extract (docs/sampling.md)."""
    for key, team_id in workers_teams.items():
        (member_id,) = staff.by_key[key]  # ambiguity refused the file before this
        member = staff.members[member_id]
        if member.team_id is None:
            member.team_id = team_id
            save_as(member, by)


SELECTED_BY = "Stratified random sample from the caseload extract"


def draw_sample(rules, *, extract=None, leave_out_cohort=None):
    """(the extract, the draw) for `rules` from `extract` or the current one. Raises
    SampleRefused (draw.py) or NotAllowed when there is no extract."""
    extract = extract or queries.current_extract()
    if extract is None:
        raise NotAllowed("There is no caseload extract to draw from: import one first")
    cases, workers_last = queries.open_cases(extract, leave_out_cohort=leave_out_cohort)
    return extract, draw(cases, rules, workers_last)


@transaction.atomic
def draw_cohort(*, by, name, rules, template=None):
    """A new cohort, with how it was drawn: the sampled children are not reviews yet; the QA
    lead adds each with a reviewer on the cohort page, as for any cohort."""
    extract, result = draw_sample(rules)
    cohort = review_actions.create_cohort(
        by=by,
        name=name,
        period_start=None,
        period_end=None,
        selected_by=SELECTED_BY,
        selection_reason="mixed",
        template=template,
    )
    record = CohortDraw(cohort=cohort, drawn_by=by)
    _record(record, extract, rules, result, by)
    return cohort


@transaction.atomic
def redraw_cohort(*, by, cohort, rules):
    """Draw `cohort` again, replacing how it was drawn (the old draw stays in its history).
    Refused once a review in it has started: from then on the sample is fixed."""
    record = CohortDraw.objects.select_for_update().filter(cohort=cohort).first()
    if record is None:
        raise NotAllowed(f"{cohort} was not drawn from the caseload extract")
    if queries.started_reviews(cohort).exists():
        raise NotAllowed(
            f"{cohort} cannot be drawn again: a review in it has started, so its sample is fixed"
        )
    extract, result = draw_sample(rules, leave_out_cohort=cohort)
    _record(record, extract, rules, result, by)
    return cohort


def _record(record, extract, rules, result, by):
    record.extract = extract
    record.seed = rules.seed
    record.as_of = rules.as_of
    record.rules = rules.as_json()
    record.result = result
    record.drawn_by = by
    save_as(record, by)


REMOVED = "(removed)"


def forget_case_references(case_refs):
    """The retention purge anonymises children: their case references go from every record of a
    draw too (each draw's list of children drawn and left out, and its history), so a draw never
    keeps a reference the child's own record no longer holds. Queryset updates, no new history:
    the purge is the one sanctioned change to them (data_protection/purge.py)."""
    refs = {ref for ref in case_refs if ref}
    if not refs:
        return
    for model in (CohortDraw, CohortDraw.history.model):
        for row in model.objects.only("pk", "result").iterator(chunk_size=200):
            result = _without(row.result, refs)
            if result != row.result:
                model.objects.filter(pk=row.pk).update(result=result)


def _without(result, refs):
    return {
        **result,
        **{
            part: [{**row, "case_ref": REMOVED} if row.get("case_ref") in refs else row
                   for row in result.get(part) or []]
            for part in ("sample", "excluded")
        },
    }  # fmt: skip
