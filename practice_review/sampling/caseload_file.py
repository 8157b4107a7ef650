"""Reading the caseload extract (docs/sampling.md#the-caseload-extract): CSV in UTF-8 or
Windows-1252, or XLSX, one row per open child.

Pure Python, like review files (reviews/review_file.py), whose reading it shares: the same file
limits, headers matched the same way, the same values accepted and the same one-line problems.
Bytes in, typed rows and problems out; bad input only ever produces `Problem`s.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from practice_review.core import vocabulary as v
from practice_review.reviews.review_file import (
    AGE_EXPECTED,
    DATE_EXPECTED,
    GENDER_VALUES,
    YES_NO_VALUES,
    FrameworkValues,
    Problem,
    RowReader,
    Rows,
    age_on,
    framework_values,
    header_name,
    parse_age,
    parse_date,
    read_framework,
    read_table,
)

COLUMNS = [
    "case_ref", "initials", "date_of_birth", "age", "gender", "ethnicity", "legal_status",
    "team", "social_worker", "supervisor", "open_date", "uasc",
]  # fmt: skip
# Other names case management systems give the same columns (header_name folds them first).
ALIASES = {
    "child_ref": "case_ref",
    "case_reference": "case_ref",
    "dob": "date_of_birth",
    "age_years": "age",
    "status": "legal_status",
    "legal_or_practice_framework": "legal_status",
    "allocated_worker": "social_worker",
    "team_name": "team",
    "case_open_date": "open_date",
}
REQUIRED = ["case_ref", "initials", "gender", "legal_status"]
# The lengths the records hold (reviews.Child, accounts.Team and StaffMember).
MAX_LENGTHS = {
    "case_ref": 50, "initials": 20, "ethnicity": 200, "team": 200, "social_worker": 200,
    "supervisor": 200,
}  # fmt: skip
# An extract is every open child of a council: a large one has some tens of thousands.
MAX_CHILDREN = 50_000
TOO_MANY_CHILDREN = (
    f"an extract of at most {MAX_CHILDREN:,} children (this one has more: is it every case, "
    "not only the open ones?)"
)


@dataclass
class CaseloadRow:
    """One open child as read from the extract, every value typed and checked."""

    row: int
    case_ref: str
    initials: str
    gender: str
    legal_status: str
    date_of_birth: datetime.date | None = None
    age_years: int | None = None  # given only when the extract has an age, not a birth date
    ethnicity: str = ""
    team: str = ""
    social_worker: str = ""
    supervisor: str = ""
    open_date: datetime.date | None = None
    uasc: bool | None = None


@dataclass
class CaseloadFile:
    rows: list[CaseloadRow]
    problems: list[Problem]


def _refused(problem: Problem) -> CaseloadFile:
    return CaseloadFile([], [problem])


def map_header(cells: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """{column: cell index}; unknown columns are ignored, a repeated one is a problem."""
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, heading in enumerate(cells):
        name = header_name(heading)
        name = ALIASES.get(name, name)
        if name not in COLUMNS:
            continue
        if name in columns:
            first = cells[columns[name]]
            problems.append(
                Problem(1, name, heading, f"one column for {name} ({first!r} means the same)")
            )
            continue
        columns[name] = index
    problems += [Problem(1, name, None, f"a {name} column") for name in REQUIRED
                 if name not in columns]  # fmt: skip
    if "date_of_birth" not in columns and "age" not in columns:
        problems.append(Problem(1, "date_of_birth", None, "a date_of_birth or age column"))
    return columns, problems


def _not_after(
    read: RowReader, column: str, day: datetime.date | None, today: datetime.date
) -> None:
    if day and day > today:
        expected = f"a date not after today ({today:%-d %B %Y})"
        read.problems.append(Problem(read.number, column, read.text(column), expected))


def _read_row(
    number: int,
    cells: list[str],
    columns: dict[str, int],
    today: datetime.date,
    frameworks: FrameworkValues,
) -> tuple[CaseloadRow | None, list[Problem]]:
    read = RowReader(number, cells, columns, MAX_LENGTHS)
    born, age_years = None, None
    # A birth date when the row gives one (or the file has no age column), else the age.
    if read.text("date_of_birth") or "age" not in columns:
        born = read.get("date_of_birth", parse_date, True, DATE_EXPECTED)
        _not_after(read, "date_of_birth", born, today)
        if born and born <= today and age_on(born, today)[0] > 25:
            expected = "a child or young person aged 0 to 25 today"
            read.problems.append(
                Problem(number, "date_of_birth", read.text("date_of_birth"), expected)
            )
    else:
        age = read.get("age", parse_age, True, AGE_EXPECTED)
        age_years = age[0] if age else None
    open_date = read.get("open_date", parse_date, expected=DATE_EXPECTED)
    _not_after(read, "open_date", open_date, today)
    values = {
        "case_ref": read.get("case_ref", required=True, expected="the child's case reference"),
        "initials": read.get("initials", required=True, expected="the child's initials, e.g. AS-S"),
        "gender": read.choice("gender", GENDER_VALUES, "one of M, F, Other, Not recorded", True),
        "legal_status": read.get(
            "legal_status",
            lambda text: read_framework(text, frameworks),
            True,
            frameworks.expected,
        ),  # fmt: skip
        "date_of_birth": born,
        "age_years": age_years,
        "ethnicity": read.get("ethnicity") or "",
        "team": read.get("team") or "",
        "social_worker": read.get("social_worker") or "",
        "supervisor": read.get("supervisor") or "",
        "open_date": open_date,
        "uasc": read.choice("uasc", YES_NO_VALUES, "yes or no"),
    }
    if read.problems:
        return None, read.problems
    return CaseloadRow(row=number, **values), []


def _repeated_children(rows: list[CaseloadRow]) -> list[Problem]:
    """A child is in an extract once: a case reference on two rows names both."""
    first_rows: dict[str, int] = {}
    problems = []
    for row in rows:
        # Exactly as written: case references are matched to children exactly (importing.py).
        first = first_rows.setdefault(row.case_ref, row.row)
        if first != row.row:
            expected = f"a case reference on one row only (row {first} has it too)"
            problems.append(Problem(row.row, "case_ref", row.case_ref, expected))
    return problems


def parse_caseload_file(
    data: bytes,
    file_name: str = "",
    today: datetime.date | None = None,
    frameworks: Iterable[v.FrameworkTerms] = v.BUILT_IN_FRAMEWORKS,
) -> CaseloadFile:
    """Read and check a whole extract; every bad row is reported, not only the first.

    `today` is the day of the import (London's, given by the caller): a birth or open date after
    it is refused. `frameworks` is the council's list (reviews/queries.py `frameworks()`).
    """
    today = today or datetime.date.today()
    table, unreadable = read_table(data, file_name)
    if unreadable:
        return _refused(Problem(1, "file", file_name or None, unreadable))
    table = [(number, cells) for number, cells in cast(Rows, table) if any(cells)]
    if not table or table[0][0] != 1:
        return _refused(Problem(1, "header", None, "a header row naming the columns"))
    columns, problems = map_header(table[0][1])
    if problems:
        return CaseloadFile([], problems)
    if len(table) == 1:
        return _refused(Problem(2, "case_ref", None, "at least one child below the header"))
    if len(table) - 1 > MAX_CHILDREN:
        return _refused(Problem(1, "file", file_name or None, TOO_MANY_CHILDREN))
    values = framework_values(tuple(frameworks))
    rows: list[CaseloadRow] = []
    for number, cells in table[1:]:
        row, row_problems = _read_row(number, cells, columns, today, values)
        if row:
            rows.append(row)
        problems += row_problems
    problems += _repeated_children(rows)
    problems.sort(key=lambda problem: problem.row)
    return CaseloadFile(rows, problems)
