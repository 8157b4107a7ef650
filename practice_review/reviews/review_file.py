"""Reading review files (docs/spec/interchange.md#review-files): CSV in UTF-8 or Windows-1252,
or XLSX.

Pure Python: bytes in, typed rows and problems out. Nothing here touches the database, so every
rule is tested without one, and bad input can only ever produce `Problem`s, never an exception.
"""

import csv
import datetime
import functools
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import ILACS, AuditTemplate, GradeAxis, Question, built_in
from practice_review.reviews.answers import (
    GRADE,
    MODERATED,
    RATIONALE,
    SECOND,
    grade_field,
)
from practice_review.reviews.answers import GRADE_PARTS as EVERY_GRADE_PART

# XLSX files are zip archives: refuse ones that would unpack to more than this, or that
# compress suspiciously well (a "zip bomb"), before any XML is parsed.
XLSX_MAX_UNPACKED_BYTES = 300 * 1024 * 1024
XLSX_MAX_RATIO = 200
CSV_FIELD_LIMIT = 100_000
# A review file has a few dozen columns and some hundreds of rows. Bigger ones are refused as
# they are read, before they can fill the server's memory: a row with cells in columns A and XFD
# is a few bytes in an XLSX file but 16,384 cells to a reader that fills the gap.
MAX_COLUMNS = 200
MAX_ROWS = 100_000
TOO_MANY_ROWS = (
    f"a review file of at most {MAX_ROWS:,} rows (this one has rows after row {MAX_ROWS:,}: "
    "delete the rows after the last one you use)"
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# A file as read: (spreadsheet row number, [cell text]) for each row.
Rows = list[tuple[int, list[str]]]
T = TypeVar("T")

STANDARD_COLUMNS = v.PRACTICE_STANDARD_KEYS
# The built-in's theme columns; a file on another template has its themes' (layout()).
STRENGTH_COLUMNS = [f"strengths_{theme}" for theme in v.THEME_KEYS]
DEVELOPMENT_COLUMNS = [f"development_{theme}" for theme in v.THEME_KEYS]
# The grades' columns of each axis of the template (reviews/answers.py names them): the
# reviewer's grade and reasons, a second reviewer's grade, and the grade agreed at moderation.
GRADE_PARTS = (GRADE, RATIONALE, SECOND, MODERATED)
BUILT_IN_GRADE_COLUMNS = [grade_field(axis.key, part) for axis in built_in().grades
                          for part in GRADE_PARTS]  # fmt: skip

COLUMNS = [
    "cohort", "child_ref", "initials", "gender", "age_at_review", "date_of_birth",
    "ethnicity", "religion", "first_language", "uasc", "interpreter_needed", "legal_status",
    "social_worker", "supervisor", "reviewer", "reviewer_type", "review_date",
    "practice_grade", "outcome_grade", *STANDARD_COLUMNS, "alerts",
    *STRENGTH_COLUMNS, *DEVELOPMENT_COLUMNS, "practice_outcome_reason",
    "practice_rationale", "outcome_rationale",
    "second_reviewer", "second_practice_grade", "second_outcome_grade",
    "moderated_practice_grade", "moderated_outcome_grade",
]  # fmt: skip
ALIASES = {
    "age": "age_at_review",
    "dob": "date_of_birth",
    "status": "legal_status",
    "legal_or_practice_framework": "legal_status",
}
REQUIRED = [
    "initials", "gender", "legal_status", "social_worker", "reviewer_type", "review_date",
    "practice_grade", "outcome_grade", *STANDARD_COLUMNS,
]  # fmt: skip
MAX_LENGTHS = {
    "cohort": 200, "child_ref": 50, "initials": 20, "ethnicity": 200, "religion": 200,
    "first_language": 200, "social_worker": 200, "supervisor": 200, "reviewer": 200,
    "second_reviewer": 200,
}  # fmt: skip


@functools.lru_cache(maxsize=4096)  # the same few values recur in every row
def _words(value: object) -> str:
    """Fold case, and treat spaces, hyphens and underscores alike, as people type them."""
    # Only separators between words: a leading hyphen is a minus sign, so "-1" stays "-1".
    folded = re.sub(r"(?<=\S)[\s_\-]+(?=\S)", " ", str(value).casefold().strip())
    return re.sub(r"\s*/\s*", " / ", folded)


def _table(pairs: Iterable[tuple[str, T]]) -> dict[str, T]:
    return {_words(text): key for text, key in pairs}


GRADE_VALUES = _table(
    [(key, key) for key in v.GRADE_KEYS]
    + [(label, key) for key, label in v.GRADES]
    + [("RI", "requires_improvement"), ("Requires improvement", "requires_improvement")]
    + [(str(number), key) for number, key in enumerate(v.GRADE_KEYS, start=1)]
)
STANDARD_VALUES = _table(
    [(key, key) for key in v.STANDARD_RESULT_KEYS]
    + [("n/a", "not_applicable"), ("na", "not_applicable"), ("yes", "met"), ("no", "not_met")]
)
GENDER_VALUES = _table(
    [(key, key) for key in v.GENDER_KEYS]
    + [("M", "male"), ("F", "female"), ("Non-binary", "other"), ("Not known", "not_recorded")]
    + [("Unknown", "not_recorded"), ("U", "not_recorded")]
)
YES_NO_VALUES = _table([("yes", True), ("y", True), ("true", True)]) | _table(
    [("no", False), ("n", False), ("false", False)]
)
REVIEWER_TYPE_VALUES = _table([(key, key) for key in v.REVIEWER_TYPE_KEYS])

GRADE_EXPECTED = "one of " + ", ".join(v.GRADE_KEYS) + " (or RI, or 1 to 4)"


@functools.lru_cache(maxsize=64)
def _grade_values(axis: GradeAxis) -> tuple[dict[str, str], str]:
    """What a file may write for a grade on `axis`, and what to say of anything else: the ILACS
    scale's keys, labels, RI and 1 to 4; a scale of a template's own its levels' keys and
    words, and their places, 1 for the best."""
    if axis.scale == ILACS:
        return GRADE_VALUES, GRADE_EXPECTED
    keys = [level.key for level in axis.levels]
    table = _table(
        [(key, key) for key in keys]
        + [(level.label, level.key) for level in axis.levels]
        + [(str(place), key) for place, key in enumerate(keys, start=1)]
    )
    return table, f"one of {', '.join(keys)} (or 1 to {len(keys)}, 1 the best)"


# ---------------------------------------------------------------------------- frameworks


def _framework_texts(framework: v.FrameworkTerms) -> tuple[str, ...]:
    return (framework.key, framework.label, *framework.synonyms)


@dataclass(frozen=True)
class FrameworkValues:
    """What a file may say for the council's frameworks (the active ones: key, label and
    synonyms, compared as `_words` folds them), and what it may not any more."""

    accepted: dict[str, str]
    retired: dict[str, str]  # folded text -> the label of the inactive framework it names
    expected: str


@functools.lru_cache(maxsize=16)  # one list of frameworks per import
def framework_values(frameworks: tuple[v.FrameworkTerms, ...]) -> FrameworkValues:
    active = [framework for framework in frameworks if framework.active]
    accepted = _table((text, f.key) for f in active for text in _framework_texts(f))
    retired = _table(
        (text, f.label) for f in frameworks if not f.active for text in _framework_texts(f)
    )
    # The abbreviations people use most, as the message has always named them; else the
    # council's own first ones.
    examples = [text for text in ("CIN", "LAC") if _words(text) in accepted]
    examples = examples or [f.synonyms[0] for f in active if f.synonyms][:2]
    expected = "one of " + ", ".join(f.key for f in active)
    if examples:
        expected += f" (or a label such as {', '.join(examples)})"
    return FrameworkValues(accepted, retired, expected)


def framework_clashes(framework: v.FrameworkTerms, others: Iterable[v.FrameworkTerms]) -> list[str]:
    """Why a file could not tell `framework` from one of `others`: a key, label or synonym of
    it that already names another, as a file's cell is read."""
    taken = _table((text, other.label) for other in others for text in _framework_texts(other))
    return [
        f"{text!r} already means {taken[_words(text)]}: a review file could not tell them apart"
        for text in dict.fromkeys(_framework_texts(framework))
        if _words(text) in taken
    ]


def read_framework(text: str, values: FrameworkValues) -> str:
    """The framework key a cell names (a key, label or synonym of an active framework), or Bad
    saying what was expected: the one reading of legal status for every file the service reads
    (review files, the caseload extract)."""
    folded = _words(text)
    if folded in values.accepted:
        return values.accepted[folded]
    if folded in values.retired:
        raise Bad(f"{values.expected}: {values.retired[folded]} is no longer in use")
    raise Bad(values.expected)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, what was there, and what was expected."""

    row: int
    column: str
    value: str | None
    expected: str

    def __str__(self) -> str:
        if self.column == "file":
            got = "could not be read"
        elif self.value is None and self.row == 1:
            got = "missing"
        elif self.value in (None, ""):
            got = "blank"
        else:
            # Control characters are escaped so every problem stays one printable line.
            shown = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m[0])[1:-1], self.value)
            got = f"got '{shown}'"
        return f"row {self.row}, column {self.column}: {got}; expected {self.expected}"


@dataclass
class ReviewRow:
    """One review as read from a file, with every value typed and checked."""

    row: int
    cohort: str
    child_ref: str
    initials: str
    gender: str
    age_years: int
    age_as_written: str
    date_of_birth: datetime.date | None
    review_date: datetime.date
    legal_status: str
    ethnicity: str = ""
    religion: str = ""
    first_language: str = ""
    uasc: bool | None = None
    interpreter_needed: bool | None = None
    social_worker: str = ""
    social_worker_was_student: bool = False
    supervisor: str = ""
    reviewer: str = ""
    reviewer_type: str = ""
    # {axis: {part: value}} for each axis of the template: GRADE and RATIONALE always, SECOND
    # and MODERATED a level's key or None when blank (reviews/answers.py's parts).
    grades: dict[str, dict[str, Any]] = field(default_factory=dict)
    standards: dict[str, str] = field(default_factory=dict)
    alerts: int = 0
    strengths: dict[str, str] = field(default_factory=dict)
    development: dict[str, str] = field(default_factory=dict)
    practice_outcome_reason: str = ""
    second_reviewer: str = ""
    # The template's questions: {key: True/False, a choice's key, a number, text, or None}.
    questions: dict[str, Any] = field(default_factory=dict)

    @property
    def child_key(self) -> tuple[str | int, ...]:
        """A child is its reference or, without one, initials, gender and birth date or age."""
        if self.child_ref:
            return ("ref", self.child_ref)
        return (
            "details",
            self.initials.casefold(),
            self.gender,
            self.date_of_birth.isoformat() if self.date_of_birth else self.age_years,
        )

    @property
    def review_key(self) -> tuple[str, tuple[str | int, ...], datetime.date]:
        return (cohort_key(self.cohort), self.child_key, self.review_date)


@dataclass
class ReviewFile:
    rows: list[ReviewRow]
    problems: list[Problem]
    columns: set[str]  # the canonical columns the file has: only those are compared on re-import


def cohort_key(name: object) -> str:
    return " ".join(str(name).split()).casefold()


# ---------------------------------------------------------------------------- reading cells


def _cell_text(value: object) -> str:
    """A spreadsheet cell as trimmed text: typed XLSX cells become what a person would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def column_letter(number: int) -> str:
    """A spreadsheet column's letters: 1 is A, 27 is AA, 16384 is XFD."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _too_many_columns(row: int, column: int) -> str:
    return (
        f"a review file of at most {MAX_COLUMNS} columns (row {row} has a cell in column "
        f"{column_letter(column)}: delete the columns after the last one you use)"
    )


def _read_csv(data: bytes) -> tuple[Rows | None, str | None]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None, "a CSV file in UTF-8 or Windows-1252 text"
    if "\x00" in text:
        return None, "a text CSV file (this one contains NUL bytes, so it is not plain text)"
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: Rows = []
    try:
        # Each record is a spreadsheet row, even when a quoted cell spans several lines.
        for number, record in enumerate(reader, start=1):
            if number > MAX_ROWS:
                return None, TOO_MANY_ROWS
            # Blank cells past the last column are dropped: spreadsheet programs save a comma
            # for every column that was ever formatted.
            if len(record) > MAX_COLUMNS and any(map(str.strip, record[MAX_COLUMNS:])):
                last = next(i for i in range(len(record), 0, -1) if record[i - 1].strip())
                return None, _too_many_columns(number, last)
            # CSV cells are always text
            rows.append((number, [cell.strip() for cell in record[:MAX_COLUMNS]]))
    except csv.Error as error:
        return None, f"a well-formed CSV file (record {reader.line_num}: {error})"
    return rows, None


def _xlsx_is_safe(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "a valid XLSX file (it could not be opened as one)"
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > XLSX_MAX_UNPACKED_BYTES or unpacked / packed > XLSX_MAX_RATIO:
        return "an XLSX file of ordinary size (this one unpacks to far more than it holds)"
    return None


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False


def _read_xlsx(data: bytes) -> tuple[Rows | None, str | None]:
    import openpyxl  # imported here: CSV-only users and pure tests need not load it
    from defusedxml import DefusedXmlException

    unsafe = _xlsx_is_safe(data)
    if unsafe:
        return None, unsafe
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The stored sheet size can be stale (some tools write it wrongly); trusting it
            # would silently drop rows or columns, so read the cells themselves.
            sheet.reset_dimensions()
            rows: Rows = []
            # Without a stored size, openpyxl gives every spreadsheet row from row 1, each as
            # long as its last cell: so a row's length says how far it reaches before any of
            # its cells is read, and one that reaches past the last column is refused there.
            # A formatted empty cell counts: the gap up to it would be read all the same.
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    return None, TOO_MANY_ROWS
                if len(values) > MAX_COLUMNS:
                    return None, _too_many_columns(number, len(values))
                if values.count(None) == len(values):
                    continue  # an empty row: blank rows are skipped anyway
                rows.append((number, [_cell_text(value) for value in values]))
        finally:
            workbook.close()
    # openpyxl can fail in many ways on a damaged or hostile file; each means "not readable".
    except Exception as error:  # noqa: BLE001
        if _caused_by(error, DefusedXmlException):
            # openpyxl parses through defusedxml, which refuses entity declarations: the way
            # to a "billion laughs" or to reading the server's files. Spreadsheet programs
            # never write them.
            return (
                None,
                "an XLSX file as spreadsheet programs save them (this one declares "
                "XML entities, which are not allowed)",
            )
        # The error's kind (not its text, which can quote the file) helps whoever supports it.
        return (
            None,
            f"a valid XLSX file (this one is damaged or not a workbook: {type(error).__name__})",
        )
    return rows, None


# Files people upload by mistake, known by their first bytes, so the message can say what the
# file is rather than list every column a review file needs.
NOT_A_REVIEW_FILE = [
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"MZ\x90\x00", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    # Office 97-2003 files, and XLSX workbooks saved with a password, are OLE2 containers.
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97-2003 file or a workbook with a password: save it as .xlsx without one",
    ),
]
UTF16_AND_32_MARKS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _what_else_it_is(data: bytes) -> str | None:
    """A plain description of a file that is clearly not a review file, or None."""
    for signature, description in NOT_A_REVIEW_FILE:
        if data.startswith(signature):
            return description
    if data.startswith(UTF16_AND_32_MARKS):
        return "UTF-16 text"
    return None


def read_table(data: bytes, file_name: str = "") -> tuple[Rows | None, str | None]:
    """The file's rows as (spreadsheet row number, [cell text]), or a file-level problem."""
    name = file_name.casefold()
    if name.endswith(".xls"):
        return None, "a CSV or XLSX file (save Excel 97-2003 .xls files as .xlsx)"
    other = _what_else_it_is(data)
    if other == "UTF-16 text":
        return (
            None,
            "a CSV file in UTF-8 or Windows-1252 text (this one is UTF-16: in Excel, "
            'save it as "CSV UTF-8")',
        )
    if other:
        return (
            None,
            f"a CSV or XLSX file (this one looks like {other})",
        )
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


# ---------------------------------------------------------------------------- values


class Bad(Exception):
    def __init__(self, expected: str) -> None:
        self.expected = expected


def _lookup(table: Mapping[str, T], text: str, expected: str) -> T:
    try:
        return table[_words(text)]
    except KeyError:
        raise Bad(expected) from None


DATE_EXPECTED = "a date such as 2024-09-17 or 17/09/2024 (day first)"


def parse_date(text: str) -> datetime.date:
    # A date cell with a time (an XLSX datetime) still names one day.
    iso = re.fullmatch(
        r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?",
        text,
    )
    uk = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    try:
        if iso:
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return datetime.date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        raise Bad(DATE_EXPECTED + " that exists") from None
    raise Bad(DATE_EXPECTED)


AGE_EXPECTED = "an age from 0 to 25 years, e.g. 20, 20 years, 3 yrs, 18 months or 6 weeks"
AGE_UNITS = {
    "years": ["y", "yr", "yrs", "year", "years"],
    "months": ["m", "mth", "mths", "mo", "mos", "month", "months"],
    "weeks": ["w", "wk", "wks", "week", "weeks"],
}


def parse_age(text: str) -> tuple[int, str]:
    """(whole years, as written) from an age such as '20', '3 yrs', '2 months' or '6 weeks'."""
    match = re.fullmatch(r"(\d{1,4})\s*([a-z]*)(?:\s+old)?", _words(text))
    if not match:
        raise Bad(AGE_EXPECTED)
    number, unit = int(match[1]), match[2] or "years"
    unit = next((name for name, spellings in AGE_UNITS.items() if unit in spellings), None)
    if unit == "years":
        years, written = number, str(number)
    elif unit == "months":
        years, written = number // 12, f"{number} month{'s' if number != 1 else ''}"
    elif unit == "weeks":
        years, written = number * 7 * 400 // 146097, f"{number} week{'s' if number != 1 else ''}"
    else:
        raise Bad(AGE_EXPECTED)
    if years > 25:
        raise Bad(AGE_EXPECTED)
    return years, written


def _birthday_in(year: int, born: datetime.date) -> datetime.date:
    """A 29 February birthday falls on 1 March in other years (docs/spec/interchange.md#ages)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return datetime.date(year, 3, 1)


def age_on(born: datetime.date, on: datetime.date) -> tuple[int, str]:
    """(whole years, as written) on a date; under one year is 0, written in months or weeks."""
    years = on.year - born.year - (1 if on < _birthday_in(on.year, born) else 0)
    if years >= 1:
        return years, str(years)
    months = (on.year - born.year) * 12 + on.month - born.month - (1 if on.day < born.day else 0)
    if months >= 1:
        return 0, f"{months} month{'s' if months != 1 else ''}"
    weeks = (on - born).days // 7
    return 0, f"{weeks} week{'s' if weeks != 1 else ''}"


def parse_whole_number(text: str) -> int:
    if not re.fullmatch(r"\d{1,6}", text):
        raise Bad("a whole number, 0 or more (blank means 0)")
    return int(text)


NUMBER_EXPECTED = "a whole number, 0 or more"


def _number(text: str) -> int:
    if not re.fullmatch(r"\d{1,6}", text):
        raise Bad(NUMBER_EXPECTED)
    return int(text)


# ---------------------------------------------------------------------------- templates


def header_name(heading: str) -> str:
    """A header as a column name: case folded, spaces, hyphens and underscores alike (every
    file the service reads matches its headers this way)."""
    return re.sub(r"[\s_\-]+", "_", heading.casefold()).strip("_")


@dataclass(frozen=True)
class Layout:
    """The columns of a file on one audit template (docs/review-files.md): the fixed ones, then
    the template's standards and questions, each by its key or, as a synonym, its label."""

    columns: frozenset[str]
    aliases: Mapping[str, str]  # header name -> column
    required: tuple[str, ...]
    standards: tuple[str, ...]
    questions: tuple[Question, ...]
    themes: tuple[str, ...] = ()  # keys: each has a strengths_<key> and development_<key> column
    axes: tuple[GradeAxis, ...] = ()  # each has the columns of GRADE_PARTS

    @property
    def second_review_columns(self) -> list[str]:
        """All filled or all blank: the second reviewer and their grade on every axis."""
        return ["second_reviewer", *(grade_field(axis.key, SECOND) for axis in self.axes)]


def theme_columns(theme: str) -> tuple[str, str]:
    """A theme's two columns, named as the built-in's always were."""
    return f"strengths_{theme}", f"development_{theme}"


TEMPLATE_COLUMNS = {*STANDARD_COLUMNS, *STRENGTH_COLUMNS, *DEVELOPMENT_COLUMNS,
                    *BUILT_IN_GRADE_COLUMNS}  # fmt: skip
FIXED_COLUMNS = [column for column in COLUMNS if column not in TEMPLATE_COLUMNS]
FIXED_REQUIRED = [column for column in REQUIRED if column not in TEMPLATE_COLUMNS]


@functools.lru_cache(maxsize=16)  # a few templates, each read for every file on it
def layout(template: AuditTemplate) -> Layout:
    standards = tuple(standard.key for standard in template.standards)
    questions = template.questions
    themes = tuple(theme.key for theme in template.themes)
    themed = (column for theme in themes for column in theme_columns(theme))
    graded = [grade_field(axis.key, part) for axis in template.grades for part in GRADE_PARTS]
    columns = frozenset([*FIXED_COLUMNS, *graded, *standards, *(q.key for q in questions), *themed])
    aliases = dict(ALIASES)
    labels = [(s.label, s.key) for s in template.standards] + [(q.label, q.key) for q in questions]
    # An axis's words head its grade column ("How safe the child is" is safety_grade).
    labels += [(axis.label, grade_field(axis.key)) for axis in template.grades]
    for label, key in labels:
        # A label never takes a name the file already uses for a column, nor an earlier label.
        name = header_name(label)
        if name not in columns and name not in aliases:
            aliases[name] = key
    grades = (grade_field(axis.key) for axis in template.grades)
    required = (
        *FIXED_REQUIRED, *grades, *standards, *(q.key for q in questions if q.required)
    )  # fmt: skip
    return Layout(columns, aliases, required, standards, questions, themes, template.grades)


def column_clashes(template: AuditTemplate) -> list[str]:
    """Why review files could not hold `template`'s answers, a sentence for each key of its
    standards and questions that another column of the file already has."""
    problems = []
    graded = {grade_field(axis.key, part) for axis in template.grades for part in GRADE_PARTS}
    fixed = {*FIXED_COLUMNS, *ALIASES, *graded}
    standards = {standard.key for standard in template.standards}
    themed = {column for theme in template.themes for column in theme_columns(theme.key)}
    items = [("standard", s.key) for s in template.standards]
    items += [("question", q.key) for q in template.questions]
    for kind, key in items:
        if key in fixed:
            problems.append(
                f'{kind} "{key}": review files already have a column called {key}, so they '
                f"could not hold its answers: give the {kind} another key"
            )
        elif key in themed:
            problems.append(
                f'{kind} "{key}": a theme\'s column has the same name, so review files could '
                f"not tell their columns apart: give the {kind} another key"
            )
        elif kind == "question" and key in standards:
            problems.append(
                f'question "{key}": a standard has the same key, so review files could not '
                "tell their columns apart: give the question another key"
            )
    return problems + _grade_column_clashes(template, {*FIXED_COLUMNS, *ALIASES, *themed})


def _grade_column_clashes(template: AuditTemplate, others: set[str]) -> list[str]:
    """A sentence for each grade axis one of whose columns (`<key>_grade`, ...) is another
    axis's or another column of the file: "second_practice" would take practice's second grade.
    The paired grade has no column, but is named the same way in the review's answers
    (reviews/answers.py), so "paired_practice" would take practice's too."""
    problems = []
    owner: dict[str, str] = {}
    for axis in template.grades:
        for part in EVERY_GRADE_PART:
            column = grade_field(axis.key, part)
            if owner.get(column, axis.key) != axis.key or column in others:
                whose = f'grade "{owner[column]}"' if column in owner else "another column"
                problems.append(
                    f'grade "{axis.key}": its column {column} is also {whose}\'s, so review '
                    "files could not tell them apart: give the grade another key"
                )
                break
            owner[column] = axis.key
    return problems


_built_in = functools.cache(built_in)  # the shipped file never changes while the service runs


@functools.lru_cache(maxsize=256)
def _choice_values(question: Question) -> tuple[dict[str, str], str]:
    """A choice question's answers, by key or by the choice's words, and what to say of others."""
    table = _table([(key, key) for key, _ in question.choices]) | _table(
        [(label, key) for key, label in question.choices]
    )
    keys = ", ".join(key for key, _ in question.choices)
    return table, f"one of {keys} (or a choice written out in full)"


def _grades(read: "RowReader", axis: GradeAxis) -> dict[str, Any]:
    """One axis's grades as the row gives them (reviews/answers.py's parts)."""
    table, expected = _grade_values(axis)
    return {
        GRADE: read.choice(grade_field(axis.key), table, expected, True),
        RATIONALE: read.get(grade_field(axis.key, RATIONALE)) or "",
        SECOND: read.choice(grade_field(axis.key, SECOND), table, expected),
        MODERATED: read.choice(grade_field(axis.key, MODERATED), table, expected),
    }


def _count_words(number: int) -> str:
    words = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]
    return words[number - 2] if 2 <= number <= 11 else str(number)


def _answer(read: "RowReader", question: Question) -> Any:
    """A question's answer as its type reads it, or None when the cell is blank."""
    key, required = question.key, question.required
    if question.type == "yes_no":
        return read.choice(key, YES_NO_VALUES, "yes or no", required)
    if question.type == "choice":
        table, expected = _choice_values(question)
        return read.choice(key, table, expected, required)
    if question.type == "number":
        return read.get(key, _number, required, NUMBER_EXPECTED)
    return read.get(key, required=required, expected="an answer in words")


# ---------------------------------------------------------------------------- rows


def map_header(
    cells: list[str], columns_of: Layout | None = None
) -> tuple[dict[str, int], list[Problem]]:
    """{canonical column: cell index}, with problems for repeated or missing columns."""
    columns_of = columns_of or layout(_built_in())
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, heading in enumerate(cells):
        name = header_name(heading)
        name = columns_of.aliases.get(name, name)
        if name not in columns_of.columns:
            continue  # unknown columns are ignored
        if name in columns:
            first = cells[columns[name]]
            problems.append(
                Problem(1, name, heading, f"one column for {name} ({first!r} means the same)")
            )
            continue
        columns[name] = index
    return columns, problems


def _missing_columns(
    columns: Collection[str], has_default_cohort: bool, columns_of: Layout | None = None
) -> list[Problem]:
    columns_of = columns_of or layout(_built_in())
    required = [*columns_of.required, *([] if has_default_cohort else ["cohort"])]
    problems = [
        Problem(1, name, None, f"a {name} column") for name in required if name not in columns
    ]
    if "age_at_review" not in columns and "date_of_birth" not in columns:
        problems.append(
            Problem(1, "age_at_review", None, "an age_at_review or date_of_birth column")
        )
    return problems


class RowReader:
    """Reads one row's cells by column, collecting a problem for each bad value. Shared by every
    file the service reads, so a bad cell is described in the same words wherever it is:
    `max_lengths` is the file's own {column: longest text}."""

    def __init__(
        self,
        number: int,
        cells: list[str],
        columns: dict[str, int],
        max_lengths: Mapping[str, int] = MAX_LENGTHS,
    ) -> None:
        self.number, self.cells, self.columns = number, cells, columns
        self.max_lengths = max_lengths
        self.problems: list[Problem] = []

    def text(self, column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def get(
        self,
        column: str,
        parse: Callable[[str], Any] | None = None,
        required: bool = False,
        expected: str = "a value",
    ) -> Any:
        text = self.text(column)
        if text == "":
            if required:
                self.problems.append(Problem(self.number, column, text, expected))
            return None
        if CONTROL_CHARACTERS.search(text):
            self.problems.append(
                Problem(self.number, column, text, "text without control characters")
            )
            return None
        limit = self.max_lengths.get(column)
        if limit and len(text) > limit:
            self.problems.append(
                Problem(self.number, column, text[:40], f"at most {limit} characters")
            )
            return None
        if parse is None:
            return text
        try:
            return parse(text)
        except Bad as bad:
            self.problems.append(Problem(self.number, column, text, bad.expected))
            return None

    def choice(
        self, column: str, table: Mapping[str, object], expected: str, required: bool = False
    ) -> Any:
        return self.get(column, lambda t: _lookup(table, t, expected), required, expected)


def _read_row(
    number: int,
    cells: list[str],
    columns: dict[str, int],
    default_cohort: str | None,
    today: datetime.date | None = None,
    frameworks: FrameworkValues | None = None,
    columns_of: Layout | None = None,
) -> tuple[ReviewRow | None, list[Problem]]:
    frameworks = frameworks or framework_values(v.BUILT_IN_FRAMEWORKS)
    columns_of = columns_of or layout(_built_in())
    read = RowReader(number, cells, columns)
    cohort = read.get("cohort")
    if cohort is None and not read.problems:
        if default_cohort:
            cohort = default_cohort
        else:
            read.problems.append(
                Problem(number, "cohort", "", "a cohort name (or name one with --cohort)")
            )
    elif default_cohort and cohort and cohort_key(cohort) != cohort_key(default_cohort):
        read.problems.append(
            Problem(number, "cohort", cohort, f"{default_cohort!r}, the cohort being imported")
        )

    review_date = read.get("review_date", parse_date, True, DATE_EXPECTED)
    if review_date and today and review_date > today:
        read.problems.append(
            Problem(
                number,
                "review_date",
                read.text("review_date"),
                f"a date not after today ({today:%-d %B %Y})",
            )
        )
    born = read.get("date_of_birth", parse_date, expected=DATE_EXPECTED)
    age_years: int | None = None
    age_written = ""
    if born and review_date:
        if born > review_date:
            read.problems.append(
                Problem(
                    number,
                    "date_of_birth",
                    read.text("date_of_birth"),
                    "a date of birth on or before the review date",
                )
            )
        else:
            age_years, age_written = age_on(born, review_date)
            if age_years > 25:
                read.problems.append(
                    Problem(
                        number,
                        "date_of_birth",
                        read.text("date_of_birth"),
                        "a child or young person aged 0 to 25 at the review",
                    )
                )
    elif not read.text("date_of_birth"):
        age = read.get("age_at_review", parse_age, True, AGE_EXPECTED)
        if age:
            age_years, age_written = age

    social_worker = read.get(
        "social_worker", required=True, expected="the social worker's name or initials"
    )
    student = False
    if social_worker:
        stripped = re.sub(r"\s*\(\s*student\s*\)\s*$", "", social_worker, flags=re.IGNORECASE)
        student = stripped != social_worker
        social_worker = stripped
        if not social_worker:
            read.problems.append(
                Problem(
                    number,
                    "social_worker",
                    read.text("social_worker"),
                    "the social worker's name or initials",
                )
            )

    values: dict[str, Any] = {
        "cohort": cohort,
        "child_ref": read.get("child_ref") or "",
        "initials": read.get("initials", required=True, expected="the child's initials, e.g. AS-S"),
        "gender": read.choice("gender", GENDER_VALUES, "one of M, F, Other, Not recorded", True),
        "age_years": age_years,
        "age_as_written": age_written,
        "date_of_birth": born,
        "review_date": review_date,
        "legal_status": read.get(
            "legal_status", lambda text: read_framework(text, frameworks), True, frameworks.expected
        ),
        "ethnicity": read.get("ethnicity") or "",
        "religion": read.get("religion") or "",
        "first_language": read.get("first_language") or "",
        "uasc": read.choice("uasc", YES_NO_VALUES, "yes or no"),
        "interpreter_needed": read.choice("interpreter_needed", YES_NO_VALUES, "yes or no"),
        "social_worker": social_worker,
        "social_worker_was_student": student,
        "supervisor": read.get("supervisor") or "",
        "reviewer": read.get("reviewer") or "",
        "reviewer_type": read.choice(
            "reviewer_type", REVIEWER_TYPE_VALUES, "independent or internal", True
        ),
        "grades": {axis.key: _grades(read, axis) for axis in columns_of.axes},
        "standards": {
            key: read.choice(key, STANDARD_VALUES, "met, not met or n/a", True)
            for key in columns_of.standards
        },
        "alerts": read.get("alerts", parse_whole_number) or 0,
        "strengths": {t: read.get(theme_columns(t)[0]) or "" for t in columns_of.themes},
        "development": {t: read.get(theme_columns(t)[1]) or "" for t in columns_of.themes},
        "practice_outcome_reason": read.get("practice_outcome_reason") or "",
        "second_reviewer": read.get("second_reviewer") or "",
        "questions": {question.key: _answer(read, question) for question in columns_of.questions},
    }
    second_review = columns_of.second_review_columns
    filled = [column for column in second_review if read.text(column)]
    if filled and len(filled) < len(second_review):
        every = "both" if len(second_review) == 2 else f"all {_count_words(len(second_review))}"
        for column in second_review:
            if column not in filled:
                read.problems.append(
                    Problem(
                        number, column, "", f"{every} second-review columns filled, or all blank"
                    )
                )
    if read.problems:
        return None, read.problems
    return ReviewRow(row=number, **values), []


def _identity_problems(rows: list[ReviewRow]) -> list[Problem]:
    """Two rows for the same review, or one child reference given two sets of details."""
    problems: list[Problem] = []
    seen_reviews: dict[tuple[str, tuple[str | int, ...], datetime.date], int] = {}
    seen_children: dict[str, tuple[int, tuple[str, str]]] = {}
    for row in rows:
        first = seen_reviews.setdefault(row.review_key, row.row)
        if first != row.row:
            problems.append(
                Problem(
                    row.row,
                    "review_date",
                    row.review_date.isoformat(),
                    f"one row per review of a child on a date (row {first} is the same review)",
                )
            )
        if row.child_ref:
            details = (row.initials.casefold(), row.gender)
            first_row, first_details = seen_children.setdefault(row.child_ref, (row.row, details))
            if first_details != details:
                column = "initials" if first_details[0] != details[0] else "gender"
                problems.append(
                    Problem(
                        row.row,
                        column,
                        getattr(row, column),
                        f"the same {column} as row {first_row}, which has the "
                        f"same child_ref {row.child_ref!r}",
                    )
                )
    return problems


def parse_review_file(
    data: bytes,
    file_name: str = "",
    default_cohort: str | None = None,
    today: datetime.date | None = None,
    frameworks: Iterable[v.FrameworkTerms] = v.BUILT_IN_FRAMEWORKS,
    template: AuditTemplate | None = None,
) -> ReviewFile:
    """Read and check a whole review file. Every bad row is reported, not only the first.

    `today` is the day the file is imported (London's, given by the caller): a review dated
    after it is refused. Without it the date is not compared with any day. `frameworks` is the
    council's list (reviews/queries.py `frameworks()`); only the active ones are accepted.
    `template` is the audit template the file answers (the built-in one unless given): its
    standards and questions are the file's columns (docs/review-files.md).

    The rows that are good are returned even when others are not, so that the database checks
    can report their problems too: a refused file names every problem at once.
    """
    default_cohort = " ".join(str(default_cohort or "").split()) or None
    if default_cohort and (len(default_cohort) > 200 or CONTROL_CHARACTERS.search(default_cohort)):
        expected = "a cohort name of at most 200 characters, without control characters"
        return ReviewFile([], [Problem(1, "cohort", default_cohort[:40], expected)], set())
    table, unreadable = read_table(data, file_name)
    if unreadable:
        return ReviewFile([], [Problem(1, "file", file_name or None, unreadable)], set())
    # read_table gives the rows or what is wrong with the file, never neither.
    table = [(number, cells) for number, cells in cast(Rows, table) if any(cells)]
    if not table or table[0][0] != 1:
        return ReviewFile(
            [], [Problem(1, "header", None, "a header row naming the columns")], set()
        )
    columns_of = layout(template or _built_in())
    columns, problems = map_header(table[0][1], columns_of)
    problems += _missing_columns(columns, bool(default_cohort), columns_of)
    if problems:
        return ReviewFile([], problems, set(columns))
    if len(table) == 1:
        return ReviewFile(
            [], [Problem(2, "reviews", None, "at least one review below the header")], set(columns)
        )
    rows: list[ReviewRow] = []
    values = framework_values(tuple(frameworks))
    for number, cells in table[1:]:
        row, row_problems = _read_row(
            number, cells, columns, default_cohort, today, values, columns_of
        )
        if row:
            rows.append(row)
        problems += row_problems
    problems += _identity_problems(rows)
    problems.sort(key=lambda problem: problem.row)
    return ReviewFile(rows, problems, set(columns))
