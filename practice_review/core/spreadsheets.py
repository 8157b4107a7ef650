"""Tables as CSV and XLSX, safe to open in a spreadsheet: the one writer every export uses
(the tracker's list, the audit trail).

A cell that starts with = + - @, a tab or a carriage return is read by spreadsheet programs as a
formula, which can run commands or send data away (OWASP, "CSV Injection"). Free text typed into
the app must never become one: in CSV such a cell gets a leading apostrophe, which spreadsheets
read as "this is text"; in XLSX it is stored as a text cell with the quote-prefix style, so it is
shown exactly as typed and never evaluated. Every CSV field is quoted as well.

Pure: plain values in, bytes out (openpyxl writes the workbook), tested without a database.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold; openpyxl refuses them, so they are dropped.
ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def is_formula_like(text: str) -> bool:
    # Spreadsheets skip leading spaces and line breaks and read full-width signs ("＝") as
    # their ASCII forms, so the check does too.
    return unicodedata.normalize("NFKC", text).lstrip().startswith(FORMULA_STARTS) or (
        text[:1] in ("\t", "\r", "\n")
    )


def neutralise_csv_cell(value: object) -> str:
    """The text of a CSV cell, with an apostrophe in front if it could be read as a formula."""
    text = as_text(value)
    return "'" + text if is_formula_like(text) else text


def to_csv(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise_csv_cell(cell) for cell in row])
    # The byte order mark tells Excel the file is UTF-8, so names like "Zoë" survive.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_text_cell(cell: Cell, value: object) -> Cell:
    """Put `value` in an openpyxl cell as plain text, never as a formula."""
    text = ILLEGAL_IN_XLSX.sub("", as_text(value))
    cell.value = text
    if is_formula_like(text):
        # openpyxl reads a leading "=" as a formula; this makes it a string again, and the
        # quote prefix keeps Excel from turning it into one when someone edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def to_xlsx(
    header: Iterable[object], rows: Iterable[Iterable[object]], title: str = "Sheet1"
) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row_number, row in enumerate([header, *rows], start=1):
        for column_number, value in enumerate(row, start=1):
            cell = write_text_cell(sheet.cell(row=row_number, column=column_number), value)
            if row_number == 1:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
