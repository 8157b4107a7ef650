"""The tracker's export never lets a cell become a spreadsheet formula (OWASP CSV injection)."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from practice_review.core.spreadsheets import (
    neutralise_csv_cell,
    to_csv,
    to_xlsx,
    write_text_cell,
)

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+44 20 7946 0000",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    " =1+1",  # spreadsheets skip leading spaces
    "\n=1+1",
    '\xa0=HYPERLINK("http://evil.example","x")',
    "\uff1d1+1",  # a full-width equals sign
    "\uff0b1",
]
HARMLESS = ["Update the chronology", "", "A = B", "Due 1-2 weeks", "'quoted", "email@example"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_that_could_be_a_formula_gets_an_apostrophe(text):
    assert neutralise_csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_alone(text):
    assert neutralise_csv_cell(text) == text


def test_values_become_text():
    assert neutralise_csv_cell(None) == ""
    assert neutralise_csv_cell(True) == "Yes"
    assert neutralise_csv_cell(date(2026, 3, 2)) == "2026-03-02"
    assert neutralise_csv_cell(-3) == "'-3"


def test_csv_quotes_every_field_and_neutralises_header_and_rows():
    data = to_csv(["=Header", "Plain"], [["=1+1", 'say "hi", then go'], ["@x", None]])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == '"\'=Header","Plain"'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=Header", "Plain"], ["'=1+1", 'say "hi", then go'], ["'@x", ""]]


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_stores_formula_like_text_as_text(text):
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(["Action"], [[text]])))
    cell = workbook.active["A2"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix


def test_xlsx_has_no_formula_cells_and_keeps_plain_text_plain():
    rows = [[value] for value in DANGEROUS + HARMLESS]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(["Column"], rows))).active
    values = [cell.value for (cell,) in sheet.iter_rows(min_row=2)]
    assert values == [value or None for value in DANGEROUS + HARMLESS]
    assert all(cell.data_type != "f" for (cell,) in sheet.iter_rows())
    assert not sheet["A" + str(2 + len(DANGEROUS))].quotePrefix


def test_xlsx_drops_characters_a_spreadsheet_cannot_hold():
    cell = write_text_cell(openpyxl.Workbook().active["A1"], "Zoë\x00\x07 met")
    assert cell.value == "Zoë met"
