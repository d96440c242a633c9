"""Downloads keep text as text: nothing a user or an imported file wrote can run as a formula."""

from __future__ import annotations

import csv
from io import BytesIO, StringIO

import pandas as pd
from openpyxl import load_workbook

from obcms_core.services.dashboards.xlsx import Column, table_csv, table_workbook

COLUMNS = [Column("title", "Title"), Column("cost", "Cost", kind="peso"),
           Column("change", "Change", kind="integer")]
TABLE = pd.DataFrame({
    "title": ['=HYPERLINK("http://example.org","click")', "+1+1", "-2", "@SUM(A1)", "Road"],
    "cost": [1, 2, 3, 4, 5], "change": [-5, 0, 7, -1, 2],
})


def test_the_sheet_stores_formula_like_text_as_text() -> None:
    book = load_workbook(BytesIO(table_workbook("=1+1", ["=SUM(A1:A9)"], TABLE, COLUMNS)))
    ws = book.active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert ws["A1"].value == "=1+1" and ws["A2"].value == "=SUM(A1:A9)"
    titles = [c.value for c in ws["A"] if c.value in set(TABLE["title"])]
    assert titles == list(TABLE["title"])


def test_the_csv_quotes_formula_like_text_but_leaves_numbers_alone() -> None:
    rows = list(csv.reader(StringIO(table_csv(TABLE, COLUMNS).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://example.org","click")', "'+1+1", "'-2", "'@SUM(A1)", "Road"]
    assert [r[2] for r in rows[1:]] == ["-5", "0", "7", "-1", "2"]  # negative numbers stay
