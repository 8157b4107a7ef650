"""XLSX rows keep their empty cells, so every value stays under its own column."""

import io

import openpyxl

from practice_review.reviews.review_file import read_table


def test_empty_cells_keep_their_place_and_rows_keep_their_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["a", "b", "c"])
    sheet.append([1, None, 3])
    sheet.append([])
    sheet.append([None, None, "z"])
    out = io.BytesIO()
    workbook.save(out)
    rows, problem = read_table(out.getvalue(), "file.xlsx")
    assert problem is None
    assert rows == [(1, ["a", "b", "c"]), (2, ["1", "", "3"]), (4, ["", "", "z"])]
