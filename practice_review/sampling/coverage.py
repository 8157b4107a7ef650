"""Who has been reviewed: the coverage page's two tables, shaped from what the queries read
(docs/sampling.md#coverage). Pure Python, no ORM, tested through the page.

Each open case in the current caseload extract belongs to a team and a social worker (either may
be missing from the extract). For each of them the page shows:

- their last review: for a social worker, the latest review naming them as the social worker,
  of any child, in any cohort; for a team, the latest review of a child the team holds in the
  extract or naming one of the social workers who hold its cases;
- how many of their children (the extract's cases they hold) have a review dated on or after
  the first day of the last 12 months.

A review counts once its review date is given, whatever its status: a review in progress still
means someone is looking at the file, which is what a QA lead planning the next audits needs to
know. A review assigned but not yet dated does not count.

Those with none of their children reviewed come first, as they are the ones to plan for; then
by name. A row for the cases the extract gives no team or worker is kept after the named ones
in its group, so those children are not lost from the count.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from practice_review.core.numbers import n_of_n, whole_percentage

NOT_GIVEN = "Not given in the extract"
TEAM, SOCIAL_WORKER = "Team", "Social worker"
CSV_HEADER = (
    "Table",
    "Name",
    "Last review",
    "Children reviewed in the last 12 months",
    "Children in the extract",
    "Percentage reviewed",
)


@dataclass(frozen=True)
class Case:
    """One open case in the extract, as the coverage reads it: ids only."""

    child: int
    team: int | None
    social_worker: int | None


@dataclass(frozen=True)
class CoverageRow:
    name: str
    last_review: date | None
    reviewed: int  # children reviewed in the last 12 months
    children: int  # children in the extract
    named: bool = True  # False for the extract's cases with no team or worker given

    @property
    def reviewed_text(self) -> str:
        return n_of_n(self.reviewed, self.children)

    @property
    def percentage(self) -> int | None:
        return whole_percentage(self.reviewed, self.children)


@dataclass(frozen=True)
class Coverage:
    since: date  # the first day of the last 12 months
    teams: list[CoverageRow]
    social_workers: list[CoverageRow]

    def tables(self) -> list[tuple[str, str, list[CoverageRow]]]:
        """(caption, what the first column names, rows) for each table on the page."""
        return [("Teams", TEAM, self.teams), ("Social workers", SOCIAL_WORKER, self.social_workers)]

    def csv_rows(self) -> list[tuple[object, ...]]:
        """Both tables as one sheet, each row saying which table it is from."""
        return [
            (table, row.name, row.last_review, row.reviewed, row.children, row.percentage)
            for table, rows in ((TEAM, self.teams), (SOCIAL_WORKER, self.social_workers))
            for row in rows
        ]


def _latest(*days: date | None) -> date | None:
    given = [day for day in days if day is not None]
    return max(given) if given else None


def _in_order(rows: Iterable[CoverageRow]) -> list[CoverageRow]:
    return sorted(rows, key=lambda row: (row.reviewed > 0, not row.named, row.name.casefold()))


def coverage(
    cases: Iterable[Case],
    *,
    since: date,
    last_review_of_child: Mapping[int, date],
    last_review_as_worker: Mapping[int, date],
    team_names: Mapping[int, str],
    worker_names: Mapping[int, str],
) -> Coverage:
    """The coverage of `cases` (the current extract's). `last_review_of_child` gives each
    child's latest dated review, `last_review_as_worker` each social worker's latest review
    naming them as the worker; the names are what the page shows for each id."""
    by_team: dict[int | None, list[Case]] = {}
    by_worker: dict[int | None, list[Case]] = {}
    for case in cases:
        by_team.setdefault(case.team, []).append(case)
        by_worker.setdefault(case.social_worker, []).append(case)

    def row(name: str, held: list[Case], *also: date | None, named: bool = True) -> CoverageRow:
        children = {case.child for case in held}
        reviewed = sum(
            1 for child in children if last_review_of_child.get(child, date.min) >= since
        )
        return CoverageRow(name, _latest(*also), reviewed, len(children), named)

    teams = []
    for team, held in by_team.items():
        workers = {case.social_worker for case in held if case.social_worker is not None}
        also = [last_review_of_child.get(case.child) for case in held]
        also += [last_review_as_worker.get(worker) for worker in workers]
        name = NOT_GIVEN if team is None else team_names[team]
        teams.append(row(name, held, *also, named=team is not None))
    workers_rows = [
        row(NOT_GIVEN, held, *(last_review_of_child.get(case.child) for case in held), named=False)
        if worker is None
        else row(worker_names[worker], held, last_review_as_worker.get(worker))
        for worker, held in by_worker.items()
    ]
    return Coverage(since, _in_order(teams), _in_order(workers_rows))
