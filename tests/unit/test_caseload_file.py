"""The caseload extract's parser (sampling/caseload_file.py): pure, no database."""

import csv
import datetime
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice_review.reviews.review_file import Problem
from practice_review.sampling import caseload_file
from practice_review.sampling.caseload_file import parse_caseload_file

TODAY = datetime.date(2026, 12, 6)
GOOD = {
    "case_ref": "C-1001",
    "initials": "AB",
    "date_of_birth": "2015-03-04",
    "gender": "F",
    "ethnicity": "White British",
    "legal_status": "CIN",
    "team": "North Children in Need",
    "social_worker": "Jane Smith",
    "supervisor": "RL",
    "open_date": "01/02/2025",
    "uasc": "no",
}


def csv_bytes(*rows, header=None):
    header = header or list(rows[0]) if rows else header
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return buffer.getvalue().encode()


def parse(*rows, header=None):
    return parse_caseload_file(csv_bytes(*rows, header=header), "caseload.csv", today=TODAY)


def one_problem(**changes):
    result = parse({**GOOD, **changes})
    assert result.rows == []
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return str(result.problems[0])


def test_a_good_row_parses_to_typed_values():
    result = parse(GOOD)
    assert result.problems == []
    (row,) = result.rows
    assert (row.row, row.case_ref, row.initials, row.gender) == (2, "C-1001", "AB", "female")
    assert row.legal_status == "child_in_need"
    assert row.date_of_birth == datetime.date(2015, 3, 4) and row.age_years is None
    assert row.open_date == datetime.date(2025, 2, 1)
    assert (row.team, row.social_worker, row.supervisor) == (GOOD["team"], "Jane Smith", "RL")
    assert (row.ethnicity, row.uasc) == ("White British", False)


def test_an_xlsx_extract_reads_as_the_csv_does():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(GOOD))
    sheet.append([*GOOD.values()][:2] + [datetime.datetime(2015, 3, 4)] + [*GOOD.values()][3:])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_caseload_file(buffer.getvalue(), "caseload.xlsx", today=TODAY)
    assert result.problems == [] and result.rows == parse(GOOD).rows


@pytest.mark.parametrize(
    ("heading", "column"),
    [("Case Ref", "case_ref"), ("Child-Ref", "case_ref"), ("DOB", "date_of_birth"),
     ("Legal or practice framework", "legal_status"), ("Allocated worker", "social_worker"),
     ("  TEAM ", "team")],
)  # fmt: skip
def test_headers_are_matched_as_review_files_match_them(heading, column):
    renamed = {(heading if name == column else name): value for name, value in GOOD.items()}
    result = parse(renamed)
    assert result.problems == [], [str(p) for p in result.problems]
    assert getattr(result.rows[0], column) == parse(GOOD).rows[0].__dict__[column]


def test_unknown_columns_are_ignored():
    assert parse({**GOOD, "Allocated since": "yesterday", "notes": "x"}).rows == parse(GOOD).rows


@pytest.mark.parametrize("column", caseload_file.REQUIRED)
def test_each_required_column_missing_is_a_problem_on_row_1(column):
    result = parse({name: value for name, value in GOOD.items() if name != column})
    assert [str(p) for p in result.problems] == [
        f"row 1, column {column}: missing; expected a {column} column"
    ]


def test_a_date_of_birth_or_age_column_is_required():
    result = parse({name: value for name, value in GOOD.items() if name != "date_of_birth"})
    assert [str(p) for p in result.problems] == [
        "row 1, column date_of_birth: missing; expected a date_of_birth or age column"
    ]


def test_an_age_is_taken_when_the_extract_gives_no_birth_date():
    without_birth = {name: value for name, value in GOOD.items() if name != "date_of_birth"}
    (row,) = parse({**without_birth, "age": "3 yrs"}).rows
    assert (row.date_of_birth, row.age_years) == (None, 3)
    assert "expected an age from 0 to 25" in one_problem(date_of_birth="", age="30")


def test_two_columns_for_one_are_a_problem():
    result = parse({**GOOD}, header=[*GOOD, "DOB"])
    assert [str(p) for p in result.problems] == [
        "row 1, column date_of_birth: got 'DOB'; expected one column for date_of_birth "
        "('date_of_birth' means the same)"
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"case_ref": ""}, "row 2, column case_ref: blank; expected the child's case reference"),
        ({"initials": ""}, "row 2, column initials: blank; expected the child's initials, "
         "e.g. AS-S"),
        ({"gender": "Q"}, "row 2, column gender: got 'Q'; expected one of M, F, Other, "
         "Not recorded"),
        ({"legal_status": "adopted"}, "row 2, column legal_status: got 'adopted'; expected one of "
         "early_help, child_in_need, child_protection, looked_after, care_leaver (or a label such "
         "as CIN, LAC)"),
        ({"uasc": "maybe"}, "row 2, column uasc: got 'maybe'; expected yes or no"),
        ({"date_of_birth": "31/02/2015"}, "row 2, column date_of_birth: got '31/02/2015'; expected "
         "a date such as 2024-09-17 or 17/09/2024 (day first) that exists"),
        ({"date_of_birth": "2027-01-01"}, "row 2, column date_of_birth: got '2027-01-01'; expected "
         "a date not after today (6 December 2026)"),
        ({"date_of_birth": "1990-01-01"}, "row 2, column date_of_birth: got '1990-01-01'; expected "
         "a child or young person aged 0 to 25 today"),
        ({"open_date": "soon"}, "row 2, column open_date: got 'soon'; expected a date such as "
         "2024-09-17 or 17/09/2024 (day first)"),
        ({"open_date": "2026-12-07"}, "row 2, column open_date: got '2026-12-07'; expected a date "
         "not after today (6 December 2026)"),
        ({"team": "T" * 201}, f"row 2, column team: got '{'T' * 40}'; expected at most 200 "
         "characters"),
        ({"social_worker": "Jane\x07"}, "row 2, column social_worker: got 'Jane\\x07'; expected "
         "text without control characters"),
    ],
)  # fmt: skip
def test_each_bad_cell_is_one_line_in_the_words_of_review_files(changes, message):
    assert one_problem(**changes) == message


def test_legal_status_takes_the_councils_synonyms():
    assert [parse({**GOOD, "legal_status": text}).rows[0].legal_status
            for text in ("LAC", "looked after", "Child Protection")] == [
        "looked_after", "looked_after", "child_protection"]  # fmt: skip


def test_a_repeated_case_reference_names_both_rows():
    result = parse(GOOD, {**GOOD, "initials": "CD"}, {**GOOD, "case_ref": "C-2"})
    assert [str(p) for p in result.problems] == [
        "row 3, column case_ref: got 'C-1001'; expected a case reference on one row only "
        "(row 2 has it too)"
    ]


def test_every_bad_row_is_reported_not_only_the_first():
    result = parse({**GOOD, "gender": "?"}, GOOD, {**GOOD, "case_ref": "C-3", "uasc": "?"})
    assert [(p.row, p.column) for p in result.problems] == [(2, "gender"), (4, "uasc")]


def test_an_empty_file_or_one_without_a_header_is_refused():
    assert [str(p) for p in parse_caseload_file(b"", "x.csv").problems] == [
        "row 1, column header: missing; expected a header row naming the columns"
    ]
    header_only = csv_bytes(header=list(GOOD))
    assert [str(p) for p in parse_caseload_file(header_only, "x.csv").problems] == [
        "row 2, column case_ref: blank; expected at least one child below the header"
    ]


def test_too_many_children_are_refused(monkeypatch):
    monkeypatch.setattr(caseload_file, "MAX_CHILDREN", 2)
    result = parse(GOOD, {**GOOD, "case_ref": "2"}, {**GOOD, "case_ref": "3"})
    assert result.rows == []
    assert [p.column for p in result.problems] == ["file"]
    assert "an extract of at most" in str(result.problems[0])


def test_a_file_that_is_not_a_spreadsheet_is_refused_as_review_files_are():
    (problem,) = parse_caseload_file(b"%PDF-1.4 ...", "caseload.pdf").problems
    assert str(problem) == (
        "row 1, column file: could not be read; expected a CSV or XLSX file "
        "(this one looks like a PDF)"
    )


@given(data=st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    result = parse_caseload_file(data, "caseload.csv", today=TODAY)
    assert all(isinstance(problem, Problem) for problem in result.problems)
    assert all(len(str(problem).splitlines()) == 1 for problem in result.problems)
    assert result.rows or result.problems  # a file is read or refused, never neither


@given(cells=st.lists(st.text(max_size=30), min_size=len(GOOD), max_size=len(GOOD)))
def test_any_cells_below_a_good_header_never_raise(cells):
    body = dict(zip(GOOD, cells, strict=True))
    result = parse(body)
    assert all("\n" not in str(problem) for problem in result.problems)
    assert len(result.rows) + bool(result.problems) >= 1
