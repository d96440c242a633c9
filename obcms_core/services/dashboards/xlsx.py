"""Readable downloads of a dashboard table: an Excel sheet people can print, and plain CSV.

The sheet has a title, the filters applied, when it was made, then the table: bold header on a
tint, frozen under the header, an auto-filter, set column widths, pesos as ₱1,234,567.00 and an
optional Total row. The CSV holds the same rows and headers, with plain numbers (no ₱ sign or
separators) so that other tools read them back.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

PESO = '"₱"#,##0.00'
Kind = Literal["text", "peso", "integer", "decimal", "percent", "date"]
FORMATS: dict[str, str] = {
    "peso": PESO,
    "integer": "#,##0",
    "decimal": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
}
MANILA = ZoneInfo("Asia/Manila")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # how a spreadsheet formula can begin
HEADER_FILL = PatternFill("solid", fgColor="DCEBE6")
RULE = Border(bottom=Side(style="thin", color="1F6F5C"))


@dataclass(frozen=True)
class Column:
    """One column of a download: the table's key, its header, width in characters and kind."""

    key: str
    header: str
    width: float = 16
    kind: Kind = "text"
    total: bool = False  # added up in the Total row


def table_workbook(
    title: str,
    lines: Sequence[str],
    table: pd.DataFrame,
    columns: Sequence[Column],
    *,
    sheet: str = "Table",
    empty_note: str = "No rows match these filters.",
    generated_at: datetime | None = None,
    generated_note: str = "Generated {at} (Philippine time)",
) -> bytes:
    """The table as an .xlsx sheet under its title and filter lines (pure: no database)."""
    book = Workbook()
    ws = book.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = sheet[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    for line in lines:
        ws.append([line])
    made = (generated_at or datetime.now(MANILA)).astimezone(MANILA)
    ws.append([generated_note.format(at=f"{made:%Y-%m-%d %H:%M}")])
    ws.cell(ws.max_row, 1).font = Font(italic=True, color="555555")
    header_row = ws.max_row + 2  # one blank row above the table
    _header(ws, header_row, columns)
    for record in table[[c.key for c in columns]].itertuples(index=False):
        ws.append([cell_value(v) for v in record])
    last = ws.max_row
    if table.empty:
        ws.append([empty_note])
        ws.cell(ws.max_row, 1).font = Font(italic=True)
    else:
        _formats(ws, header_row + 1, last, columns)
        if any(c.total for c in columns):
            _total_row(ws, table, columns)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{max(last, header_row)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    out = BytesIO()
    no_formulas(book)
    book.save(out)
    return out.getvalue()


def no_formulas(book: Workbook) -> None:
    """Keep every cell as the text written: a title starting with '=' (from an imported file,
    say) is stored as text, never as a formula the reader's spreadsheet would run."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def csv_text(value: str) -> str:
    """Text for a CSV cell; text a spreadsheet would read as a formula gets a leading '."""
    return "'" + value if value[:1] in FORMULA_START else value


def table_csv(table: pd.DataFrame, columns: Sequence[Column]) -> bytes:
    """The same rows as CSV with the same headers; UTF-8 with a BOM so Excel shows ₱ right."""
    out = StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(c.header) for c in columns])
    for record in table[[c.key for c in columns]].itertuples(index=False):
        writer.writerow([_csv_value(v, c.kind) for v, c in zip(record, columns, strict=True)])
    return out.getvalue().encode("utf-8-sig")


def cell_value(value: Any) -> Any:
    """A value openpyxl writes as it is: None for gaps, plain numbers, labels for choices."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Decimal | str | date | bool):
        return value
    if hasattr(value, "label"):  # a domain choice
        return value.label
    if hasattr(value, "item"):  # a numpy number
        return value.item()
    return value


def _csv_value(value: Any, kind: Kind) -> str:
    value = cell_value(value)
    if value is None:
        return ""
    if kind == "peso":
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str):
        return csv_text(value)
    return str(value)


def _header(ws: Worksheet, row: int, columns: Sequence[Column]) -> None:
    for c, column in enumerate(columns, 1):
        cell = ws.cell(row, c, column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = RULE
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        ws.column_dimensions[get_column_letter(c)].width = column.width


def _formats(ws: Worksheet, first: int, last: int, columns: Sequence[Column]) -> None:
    for c, column in enumerate(columns, 1):
        fmt = FORMATS.get(column.kind)
        wrap = column.kind == "text" and column.width >= 30
        for row in range(first, last + 1):
            cell = ws.cell(row, c)
            if fmt:
                cell.number_format = fmt
            elif wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _total_row(ws: Worksheet, table: pd.DataFrame, columns: Sequence[Column]) -> None:
    ws.append(["Total"])
    row = ws.max_row
    ws.cell(row, 1).font = Font(bold=True)
    for c, column in enumerate(columns, 1):
        if not column.total:
            continue
        values = [cell_value(v) for v in table[column.key]]
        present = [v for v in values if v is not None]
        if column.kind == "peso":
            total: Any = sum((Decimal(str(v)) for v in present), Decimal(0))
        else:
            total = sum(present)
        cell = ws.cell(row, c, total)
        cell.font = Font(bold=True)
        cell.border = Border(top=Side(style="thin"))
        if fmt := FORMATS.get(column.kind):
            cell.number_format = fmt
