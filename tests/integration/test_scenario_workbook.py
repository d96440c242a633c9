"""The scenario workbook: exported, edited in a spreadsheet, checked and applied."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from itertools import count, takewhile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from obcms_core.adapters.orm import PPA, AuditLog, ScenarioAllocation, ScenarioChange
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import PermissionDenied, ValidationFailed
from obcms_core.domain.money import to_money
from obcms_core.pipelines.demo import seed_demo
from obcms_core.pipelines.reference import load_reference
from obcms_core.services.scenarios import analysis, editing, store, workbook

FY = 2026
OFFICER = Actor("budget", Role.BUDGET_OFFICER)
NAMES = count(1)
SHEETS = ["Summary", "Allocations", "Constraint check", "Impact", "Comparison"]
AMOUNT, NOTE = "Amount (₱)", "Justification"
CENT = Decimal("0.01")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, backends):
    db = backends.new(request.param)
    load_reference(db, progress=lambda _m: None)
    seed_demo(db, scale=0.3, seed=7, progress=lambda _m: None)
    return db


def _new(db, **kwargs) -> int:
    with db.uow() as uow:
        sid = store.create_scenario(uow, OFFICER, name=f"W{next(NAMES)}", fiscal_year=FY, **kwargs)
        uow.commit()
    return sid


def _stored(db, sid) -> dict[str, tuple[Decimal, str, bool, Decimal]]:
    """code -> (amount, justification, locked, request) straight from the tables."""
    with db.uow() as uow:
        rows = uow.session.execute(
            select(
                PPA.code,
                ScenarioAllocation.amount,
                ScenarioAllocation.justification,
                ScenarioAllocation.locked,
                func.coalesce(PPA.budget_ceiling, PPA.budget_allocation),
            )
            .join(PPA, PPA.id == ScenarioAllocation.ppa_id)
            .where(ScenarioAllocation.scenario_id == sid)
        ).all()
    return {code: (Decimal(a), j, lk, Decimal(r)) for code, a, j, lk, r in rows}


def _export(db, sid, compare_with=()) -> bytes:
    with db.uow() as uow:
        return workbook.export_scenario(uow, sid, list(compare_with))


def _book(data: bytes):
    return load_workbook(BytesIO(data))


def _col(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def _rows(data: bytes) -> dict[str, int]:
    ws = _book(data)["Allocations"]
    return {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}


def _edit(data: bytes, cells: list[tuple[int, str, object]], rename: str = "") -> bytes:
    book = _book(data)
    ws = book["Allocations"]
    ws.title = rename or ws.title
    for row, header, value in cells:
        ws.cell(row, _col(ws, header)).value = value  # cell(..., None) would not clear it
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _preview(db, sid, data: bytes) -> workbook.ImportPreview:
    with db.uow() as uow:
        return workbook.diff_import(uow, sid, data)


def _change_count(db, sid) -> int:
    with db.uow() as uow:
        return uow.session.scalar(select(func.count()).where(ScenarioChange.scenario_id == sid))


def _unlocked_codes(stored, n: int) -> list[str]:
    return sorted(c for c, (a, _j, lk, r) in stored.items() if not lk and r > 1000 and a > 0)[:n]


def test_the_export_has_every_sheet_and_its_allocations_equal_the_scenario_to_the_centavo(world):
    sid = _new(world)
    first = _unlocked_codes(_stored(world, sid), 1)[0]
    request = _stored(world, sid)[first][3]
    with world.uow() as uow:  # an amount with every digit significant, down to the centavo
        ppa_id = uow.session.scalar(select(PPA.id).where(PPA.code == first))
        editing.apply_edits(uow, sid, OFFICER, {ppa_id: editing.CellEdit(amount=request - CENT)})
        uow.commit()
    stored = _stored(world, sid)
    book = _book(_export(world, sid))
    assert book.sheetnames == SHEETS
    ws = book["Allocations"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["Code", "Title"] and {AMOUNT, NOTE, "Locked", "Region"} <= set(header)
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws.cell(1, _col(ws, AMOUNT)).comment is not None
    assert ws.cell(2, _col(ws, AMOUNT)).number_format == '"₱"#,##0.00'
    exported = {
        ws.cell(r, 1).value: (
            to_money(ws.cell(r, _col(ws, AMOUNT)).value),
            ws.cell(r, _col(ws, NOTE)).value or "",
            ws.cell(r, _col(ws, "Locked")).value,
        )
        for r in range(2, ws.max_row + 1)
    }
    assert exported == {c: (a, j, "yes" if lk else "no") for c, (a, j, lk, _r) in stored.items()}
    assert exported[first][0] == request - CENT
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    allocated = sum((a for a, *_ in stored.values()), Decimal(0))
    assert to_money(summary["Allocated"]) == allocated
    assert to_money(summary["Remaining"]) == to_money(summary["Envelope"]) - allocated
    with world.uow() as uow:
        violations = analysis.load_view(uow, sid).violations()
    checks = [r[0] for r in book["Constraint check"].iter_rows(min_row=2, values_only=True)]
    assert checks == (violations or ["All constraints hold."])
    impact = {r[0]: r[1] for r in book["Impact"].iter_rows(min_row=2, values_only=True)}
    assert impact["PPAs funded"] == sum(1 for a, *_ in stored.values() if a > 0)
    assert "No other scenario" in book["Comparison"]["A1"].value


def test_the_comparison_sheet_totals_each_scenario_by_sector(world):
    a, b = _new(world), _new(world)
    with world.uow() as uow:
        editing.adjust(uow, b, OFFICER, editing.Selection(), percent=-20)
        uow.commit()
    ws = _book(_export(world, a, [b]))["Comparison"]
    lines = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(lines) if row[0] == "Totals by sector")
    header = lines[start + 1]
    body = list(takewhile(lambda row: row[0] is not None, lines[start + 2 :]))
    with world.uow() as uow:
        names = {sid: store.get_scenario(uow, sid).name for sid in (a, b)}
    for sid in (a, b):
        total = sum(r[header.index(names[sid])] for r in body)
        expected = sum(amount for amount, *_ in _stored(world, sid).values())
        assert total == pytest.approx(float(expected), abs=0.05)
    assert any(row[0] == "PPAs whose amounts differ most" for row in lines)


def test_an_edited_copy_reimports_with_exactly_its_changes_and_applies_as_one_undoable_change(
    world,
):
    sid = _new(world)
    before = _stored(world, sid)
    data = _export(world, sid)
    rows = _rows(data)
    codes = _unlocked_codes(before, 4)
    new_amounts = {c: to_money(before[c][3] / 3) for c in codes[:3]}
    cells = [(rows[c], AMOUNT, float(v)) for c, v in new_amounts.items()]
    cells.append((rows[codes[3]], NOTE, "  Cut pending the municipal counterpart  "))
    preview = _preview(world, sid, _edit(data, cells))
    assert preview.problems == () and preview.can_apply
    assert {d.code: (d.old_amount, d.new_amount) for d in preview.differences} == {
        **{c: (before[c][0], v) for c, v in new_amounts.items()},
        codes[3]: (before[codes[3]][0], before[codes[3]][0]),
    }
    note = next(d for d in preview.differences if d.code == codes[3])
    assert (note.old_justification, note.new_justification) == (
        before[codes[3]][1],
        "Cut pending the municipal counterpart",
    )
    assert list(preview.table()["row"]) == sorted(rows[c] for c in codes)
    changes = _change_count(world, sid)
    with world.uow() as uow:
        assert workbook.apply_import(uow, sid, OFFICER, preview) == 4
        uow.commit()
    after = _stored(world, sid)
    assert {c: after[c][0] for c in codes[:3]} == new_amounts
    assert after[codes[3]][1] == "Cut pending the municipal counterpart"
    untouched = set(before) - set(codes)
    assert all(after[c] == before[c] for c in untouched)
    assert _change_count(world, sid) == changes + 1
    with world.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count()).where(
                    AuditLog.entity_id == str(sid), AuditLog.action == "import"
                )
            )
            == 1
        )
        editing.undo_last(uow, sid, OFFICER)
        uow.commit()
    assert {c: v[0] for c, v in _stored(world, sid).items()} == {c: v[0] for c, v in before.items()}


def test_bad_rows_are_reported_by_spreadsheet_row_and_nothing_is_applied(world):
    sid = _new(world)
    stored = _stored(world, sid)
    codes = _unlocked_codes(stored, 8)
    with world.uow() as uow:
        locked_id = uow.session.scalar(select(PPA.id).where(PPA.code == codes[7]))
        editing.apply_edits(uow, sid, OFFICER, {locked_id: editing.CellEdit(locked=True)})
        uow.commit()
    before = _stored(world, sid)
    data = _export(world, sid)
    rows = _rows(data)
    r = [rows[c] for c in codes]
    request = before[codes[3]][3]
    bad = _edit(
        data,
        [
            (r[0], AMOUNT, -100),
            (r[1], "Code", "NO-SUCH-PPA"),
            (r[2], AMOUNT, "about a million"),
            (r[3], AMOUNT, float(request + 1)),
            (r[4], "Code", codes[0]),
            (r[5], AMOUNT, float(before[codes[5]][0] / 2)),  # a good row among the bad
            (r[6], AMOUNT, None),
            (r[7], AMOUNT, float(before[codes[7]][0] / 2)),
        ],
    )
    preview = _preview(world, sid, bad)
    assert list(preview.problems) == [
        f"row {r[0]}: amount −₱100.00 is below ₱0.00.",
        f"row {r[1]}: PPA code NO-SUCH-PPA is not in this scenario.",
        f"row {r[2]}: amount 'about a million' is not a number.",
        f"row {r[3]}: amount ₱{request + 1:,.2f} is above the PPA's request of ₱{request:,.2f}.",
        f"row {r[4]}: PPA code {codes[0]} appears twice (first on row {r[0]}).",
        f"row {r[6]}: the amount is empty.",
        f"row {r[7]}: {codes[7]} is locked; unlock it in the workbench before changing it.",
    ]
    assert not preview.can_apply
    changes = _change_count(world, sid)
    with world.uow() as uow, pytest.raises(ValidationFailed, match="7 problem"):
        workbook.apply_import(uow, sid, OFFICER, preview)
    assert _stored(world, sid) == before
    assert _change_count(world, sid) == changes


def test_a_workbook_without_the_sheet_or_its_columns_is_refused_in_words(world):
    sid = _new(world)
    data = _export(world, sid)
    renamed = _edit(data, [], rename="My allocations")
    no_amount = _edit(data, [(1, AMOUNT, "Proposed")])
    assert _preview(world, sid, renamed).problems == (
        "The workbook has no 'Allocations' sheet: export the scenario and edit that copy.",
    )
    assert _preview(world, sid, no_amount).problems == (
        "The Allocations sheet has no Amount (₱) column in its first row.",
    )
    assert _preview(world, sid, b"not a spreadsheet").problems == (
        "The file is not an Excel workbook (.xlsx).",
    )


def test_a_preview_made_before_the_scenario_changed_is_refused(world):
    sid = _new(world)
    stored = _stored(world, sid)
    data = _export(world, sid)
    code = _unlocked_codes(stored, 1)[0]
    preview = _preview(world, sid, _edit(data, [(_rows(data)[code], AMOUNT, 1.5)]))
    assert preview.can_apply
    with world.uow() as uow:
        editing.adjust(uow, sid, OFFICER, editing.Selection(), percent=-5)
        uow.commit()
    adjusted = _stored(world, sid)
    with world.uow() as uow, pytest.raises(ValidationFailed, match="changed since"):
        workbook.apply_import(uow, sid, OFFICER, preview)
    assert _stored(world, sid) == adjusted


def test_only_budget_officers_apply_an_import_and_only_to_a_draft(world):
    sid = _new(world)
    data = _export(world, sid)
    code = _unlocked_codes(_stored(world, sid), 1)[0]
    preview = _preview(world, sid, _edit(data, [(_rows(data)[code], AMOUNT, 2.25)]))
    with world.uow() as uow, pytest.raises(PermissionDenied):
        workbook.apply_import(uow, sid, Actor("ana", Role.ANALYST), preview)
    with world.uow() as uow:
        store.set_status(uow, sid, "under_review", OFFICER)
        uow.commit()
    with world.uow() as uow, pytest.raises(ValidationFailed, match="only drafts"):
        workbook.apply_import(uow, sid, OFFICER, preview)
