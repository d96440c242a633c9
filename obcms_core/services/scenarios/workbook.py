"""The scenario workbook: export it, read an edited copy back, preview and apply its changes."""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from datetime import date, time
from decimal import Decimal
from io import BytesIO
from typing import Any
from zipfile import BadZipFile

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import format_php, to_money
from obcms_core.services import audit
from obcms_core.services.scenarios.editing import CellEdit, apply_edits
from obcms_core.services.scenarios.store import editable
from obcms_core.services.scenarios.workbook_export import (
    COLUMNS,
    SHEET,
    ScenarioReport,
    allocation_rows,
    export_scenario,
    rules_in_words,
    scenario_report,
    workbook_bytes,
)

REQUIRED = ("code", "amount", "justification")
MAX_NOTE = 2000  # what a scenario allocation keeps of a justification


def _norm(header: object) -> str:
    return str(header).split("(")[0].strip().lower()


HEADER_KEYS = {_norm(header): key for key, (header, _width) in COLUMNS.items()}


@dataclass(frozen=True)
class RowDifference:
    """One PPA whose amount or justification the workbook changes."""

    row: int
    ppa_id: int
    code: str
    title: str
    old_amount: Decimal
    new_amount: Decimal
    old_justification: str
    new_justification: str


@dataclass(frozen=True)
class ImportPreview:
    """What an uploaded workbook would change; a single problem means nothing can be applied."""

    scenario_id: int
    differences: tuple[RowDifference, ...]
    problems: tuple[str, ...]
    basis: tuple[tuple[int, Decimal, str, bool], ...]  # every allocation when it was checked

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.differences)

    def table(self) -> pd.DataFrame:
        """The differences, one row per PPA, for the preview table."""
        columns = [f.name for f in fields(RowDifference)]
        return pd.DataFrame([astuple(d) for d in self.differences], columns=columns)


def read_workbook(data: bytes) -> pd.DataFrame:
    """The Allocations sheet's filled rows as typed, each with its spreadsheet row number."""
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ValidationFailed("The file is not an Excel workbook (.xlsx).") from exc
    try:
        if SHEET not in book.sheetnames:
            raise ValidationFailed(
                f"The workbook has no '{SHEET}' sheet: export the scenario and edit that copy."
            )
        lines = book[SHEET].iter_rows(values_only=True)
        where: dict[str, int] = {}
        for i, name in enumerate(next(lines, ())):
            key = HEADER_KEYS.get(_norm(name)) if name is not None else None
            if key is not None and key not in where:
                where[key] = i
        missing = [COLUMNS[k][0] for k in REQUIRED if k not in where]
        if missing:
            raise ValidationFailed(
                f"The {SHEET} sheet has no {', '.join(missing)} column in its first row."
            )
        records = [
            {"row": n, **{k: line[i] if i < len(line) else None for k, i in where.items()}}
            for n, line in enumerate(lines, start=2)
            if any(_text(v) for v in line)
        ]
    finally:
        book.close()
    return pd.DataFrame(records, columns=["row", *where], dtype=object)


def diff_import(uow: UnitOfWork, scenario_id: int, data: bytes) -> ImportPreview:
    """Compare an uploaded workbook with the scenario: every change, and every problem by row."""
    current = allocation_rows(uow, scenario_id)
    basis = _basis(current)
    try:
        sheet = read_workbook(data)
    except ValidationFailed as exc:
        return ImportPreview(scenario_id, (), (str(exc),), basis)
    known = {str(r["code"]): r for r in current.to_dict("records")}
    first_row: dict[str, int] = {}
    problems: list[str] = []
    differences: list[RowDifference] = []
    for record in sheet.to_dict("records"):
        outcome = _check(record, known, first_row)
        if isinstance(outcome, str):
            problems.append(outcome)
        elif outcome is not None:
            differences.append(outcome)
    return ImportPreview(scenario_id, tuple(differences), tuple(problems), basis)


def apply_import(
    uow: UnitOfWork,
    scenario_id: int,
    actor: Actor,
    preview: ImportPreview,
    source: ChangeSource = ChangeSource.UI,
) -> int:
    """Apply a checked workbook as one saved, undoable change; refuse problems or a stale check."""
    editable(uow, scenario_id, actor)
    if preview.scenario_id != scenario_id:
        raise ValidationFailed("This workbook was checked against another scenario.")
    if preview.problems:
        raise ValidationFailed(
            f"The workbook has {len(preview.problems)} problem(s): correct them and upload again."
        )
    if not preview.differences:
        raise ValidationFailed("The workbook changes nothing in this scenario.")
    if _basis(allocation_rows(uow, scenario_id)) != preview.basis:
        raise ValidationFailed(
            "The scenario has changed since the workbook was checked: upload it again "
            "to see the differences against the scenario as it is now."
        )
    edits = {
        d.ppa_id: CellEdit(
            amount=d.new_amount if d.new_amount != d.old_amount else None,
            justification=(
                d.new_justification if d.new_justification != d.old_justification else None
            ),
        )
        for d in preview.differences
    }
    apply_edits(uow, scenario_id, actor, edits, source)
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="import",
        entity="scenario",
        entity_id=scenario_id,
        after={"workbook_rows": len(preview.differences)},
    )
    return len(preview.differences)


def _check(
    record: dict[str, Any], known: dict[str, dict[str, Any]], first_row: dict[str, int]
) -> RowDifference | str | None:
    """One sheet row: its difference, a problem in words, or None when it changes nothing."""
    n, code = int(record["row"]), _text(record.get("code"))
    if not code:
        return f"row {n}: the PPA code is empty."
    if code in first_row:
        return f"row {n}: PPA code {code} appears twice (first on row {first_row[code]})."
    first_row[code] = n
    current = known.get(code)
    if current is None:
        return f"row {n}: PPA code {code} is not in this scenario."
    amount = _amount(record.get("amount"), current["request"])
    if isinstance(amount, str):
        return f"row {n}: {amount}"
    note = _text(record.get("justification"))
    if len(note) > MAX_NOTE:
        return f"row {n}: the justification is longer than {MAX_NOTE:,} characters."
    old_note = str(current["justification"]).strip()
    if amount == current["amount"] and note == old_note:
        return None
    if current["locked"]:
        return f"row {n}: {code} is locked; unlock it in the workbench before changing it."
    return RowDifference(
        row=n,
        ppa_id=int(current["ppa_id"]),
        code=code,
        title=str(current["title"]),
        old_amount=current["amount"],
        new_amount=amount,
        old_justification=old_note,
        new_justification=note,
    )


def _amount(raw: object, request: Decimal) -> Decimal | str:
    """The typed amount in pesos, or what is wrong with it."""
    if not _text(raw):
        return "the amount is empty."
    if isinstance(raw, bool | date | time):
        return f"amount '{raw}' is not a number."
    try:
        amount = to_money(raw)
    except ValueError:
        return f"amount '{_text(raw)}' is not a number."
    if amount < 0:
        return f"amount {format_php(amount)} is below ₱0.00."
    if amount > request:
        return f"amount {format_php(amount)} is above the PPA's request of {format_php(request)}."
    return amount


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN is blank
        return ""
    return str(value).strip()


def _basis(frame: pd.DataFrame) -> tuple[tuple[int, Decimal, str, bool], ...]:
    return tuple(
        (int(r.ppa_id), r.amount, str(r.justification), bool(r.locked))
        for r in frame.itertuples(index=False)
    )


__all__ = [
    "ImportPreview",
    "RowDifference",
    "ScenarioReport",
    "apply_import",
    "diff_import",
    "export_scenario",
    "read_workbook",
    "rules_in_words",
    "scenario_report",
    "workbook_bytes",
]
