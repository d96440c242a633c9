"""The scenario workbook's export: summary, allocations, constraint check, impact, comparison."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PPA, Organization, ScenarioAllocation
from obcms_core.domain.enums import FundingSource, PPASector, ScenarioStatus
from obcms_core.domain.money import format_php, to_money
from obcms_core.services.dashboards.xlsx import no_formulas
from obcms_core.services.scenarios.analysis import load_view
from obcms_core.services.scenarios.compare import compare
from obcms_core.services.scenarios.problem import NO_MOA
from obcms_core.services.scenarios.rules import ScenarioRules
from obcms_core.services.scenarios.store import get_scenario

PESO = '"₱"#,##0.00'
MANILA = ZoneInfo("Asia/Manila")
SHEET = "Allocations"
# key -> (header, column width); the order is the sheet's column order
COLUMNS = {
    "code": ("Code", 18),
    "title": ("Title", 55),
    "moa": ("MOA", 12),
    "sector": ("Sector", 16),
    "source": ("Funding source", 20),
    "region": ("Region", 9),
    "request": ("Request (₱)", 20),
    "amount": ("Amount (₱)", 20),
    "justification": ("Justification", 55),
    "locked": ("Locked", 9),
}
EDITABLE = ("amount", "justification")
HOW_TO_EDIT = (
    "Editable: change only the Amount and Justification columns of the Allocations sheet, "
    "then upload the file on the scenario page. Locked rows must stay as they are; "
    "rows you delete are left unchanged."
)
IMPACT_LABELS = {
    "total": "Total allocated",
    "needs_addressed": "Needs addressed (priority-weighted, in proportion to funding)",
    "needs_touched": "Needs linked to a funded PPA",
    "population_served": "People served (share of each need's affected population)",
    "communities_reached": "Communities reached",
    "regions_reached": "Regions reached",
    "cost_per_beneficiary": "Cost per person served",
    "ppas_funded": "PPAs funded",
    "votes_addressed": "Community votes addressed (participatory budgeting, in proportion to "
    "funding)",
}
SCENARIO_LABELS = {
    "scenario": "Scenario",
    "status": "Status",
    "envelope": "Envelope",
    "violations": "Constraints broken",
}
BOLD = Font(bold=True)
Pair = tuple[str, Any]


@dataclass(frozen=True)
class ScenarioReport:
    """Everything the workbook shows, gathered first so the file is built without a database."""

    summary: list[Pair]
    rules: list[str]
    impact: list[Pair]
    allocations: pd.DataFrame  # the COLUMNS keys, amounts as Decimal
    violations: list[str]
    comparison: list[tuple[str, pd.DataFrame, list[str]]]  # title, table, peso columns


def allocation_rows(uow: UnitOfWork, scenario_id: int) -> pd.DataFrame:
    """The scenario's allocations with each PPA's facts, amounts exact, ordered by PPA code."""
    get_scenario(uow, scenario_id)
    query = (
        select(
            ScenarioAllocation.ppa_id,
            PPA.code,
            PPA.title,
            func.coalesce(Organization.acronym, NO_MOA).label("moa"),
            PPA.sector,
            PPA.funding_source.label("source"),
            func.coalesce(PPA.budget_ceiling, PPA.budget_allocation, 0).label("request"),
            ScenarioAllocation.amount,
            ScenarioAllocation.justification,
            ScenarioAllocation.locked,
        )
        .join(PPA, PPA.id == ScenarioAllocation.ppa_id)
        .outerjoin(Organization, Organization.id == PPA.implementing_org_id)
        .where(ScenarioAllocation.scenario_id == scenario_id)
        .order_by(PPA.code)
    )
    result = uow.session.execute(query)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    for col in ("request", "amount"):
        frame[col] = frame[col].map(to_money)
    return frame


def rules_in_words(rules: ScenarioRules) -> list[str]:
    """The scenario's constraint settings as sentences for the report."""
    words = [
        f"Each MOA gives at least {rules.gad_share * 100:g} % of its allocation to GAD PPAs.",
        f"A partly funded PPA gets at least {rules.min_viable_share * 100:g} % of its request.",
    ]
    for kind, ceilings in (("funding", rules.source_ceilings), ("sector", rules.sector_ceilings)):
        words += [f"{_label(k)} {kind}: at most {format_php(v)}." for k, v in ceilings.items()]
    if rules.capacity_multiple is not None:
        words.append(f"Each MOA: at most {rules.capacity_multiple:g} × last year's disbursements.")
    words += [
        f"Region {r} gets at least {s * 100:g} % of the envelope."
        for r, s in rules.region_floor_shares.items()
    ]
    words += [
        f"Region {r} gets at least {format_php(v)} per OBC resident."
        for r, v in rules.region_floor_per_capita.items()
    ]
    for title, codes in (("Funded in full", rules.must_fund), ("Left out", rules.must_exclude)):
        words += [f"{title}: {', '.join(codes)}."] if codes else []
    return words


def scenario_report(
    uow: UnitOfWork, scenario_id: int, compare_with: list[int] | tuple[int, ...] = ()
) -> ScenarioReport:
    """Gather the scenario's figures, allocations, constraint check and optional comparison."""
    view = load_view(uow, scenario_id)
    rows = allocation_rows(uow, scenario_id)
    rows["region"] = rows["ppa_id"].map(view.table.set_index("id")["region"]).fillna("")
    rows["sector"] = rows["sector"].map(_label)
    rows["source"] = rows["source"].map(_label)
    rows["locked"] = rows["locked"].map({True: "yes", False: "no"})
    allocated = sum(rows["amount"], Decimal(0))
    summary: list[Pair] = [
        ("Scenario", view.name),
        ("Fiscal year", view.fiscal_year),
        ("Status", ScenarioStatus(view.status).label),
        ("Envelope", view.envelope),
        ("Allocated", allocated),
        ("Remaining", view.envelope - allocated),
        ("Generated at", datetime.now(MANILA).strftime("%Y-%m-%d %H:%M (Philippine time)")),
    ]
    figures = view.impact().as_row()
    impact: list[Pair] = [(IMPACT_LABELS[k], _figure(k, v)) for k, v in figures.items()]
    comparison = []
    if compare_with:
        result = compare(uow, [scenario_id, *compare_with])
        names = list(result.summary["scenario"])
        scenarios = result.summary.rename(columns={**SCENARIO_LABELS, **IMPACT_LABELS})
        scenarios["Status"] = scenarios["Status"].map(lambda s: ScenarioStatus(s).label)
        pesos = ["Envelope", IMPACT_LABELS["total"], IMPACT_LABELS["cost_per_beneficiary"]]
        comparison.append(("Scenarios", scenarios, pesos))
        for dim, title in (("sector", "Sector"), ("moa", "MOA"), ("region", "Region")):
            table = result.by_dimension[dim].rename(index=_label).rename_axis(title)
            heading = f"Totals by {title if dim == 'moa' else dim}"
            comparison.append((heading, table.reset_index(), names))
        top = result.top_differences[["code", "title", *names, "spread"]]
        top = top.rename(columns={"code": "Code", "title": "Title", "spread": "Spread"})
        comparison.append(("PPAs whose amounts differ most", top, [*names, "Spread"]))
    return ScenarioReport(
        summary,
        rules_in_words(view.rules),
        impact,
        rows[list(COLUMNS)],
        view.violations(),
        comparison,
    )


def export_scenario(
    uow: UnitOfWork, scenario_id: int, compare_with: list[int] | tuple[int, ...] = ()
) -> bytes:
    """The scenario report as an Excel workbook the officer can edit and upload back."""
    return workbook_bytes(scenario_report(uow, scenario_id, compare_with))


def workbook_bytes(report: ScenarioReport) -> bytes:
    """The report as .xlsx bytes (pure: no database, no page)."""
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook always has its first sheet
    summary.title = "Summary"
    _summary(summary, report)
    _allocations(book.create_sheet(SHEET), report.allocations)
    check = book.create_sheet("Constraint check")
    _heading(check, "Constraint check")
    for line in report.violations or ["All constraints hold."]:
        check.append([line])
    check.column_dimensions["A"].width = 120
    impact = book.create_sheet("Impact")
    _pairs(impact, [("Figure", "Value"), *report.impact], header=True)
    impact.column_dimensions["A"].width, impact.column_dimensions["B"].width = 58, 24
    _comparison(book.create_sheet("Comparison"), report.comparison)
    out = BytesIO()
    no_formulas(book)
    book.save(out)
    return out.getvalue()


def _summary(ws: Worksheet, report: ScenarioReport) -> None:
    ws.append(["Budget scenario report"])
    ws["A1"].font = Font(bold=True, size=14)
    _pairs(ws, report.summary)
    ws.append([])
    _heading(ws, "Constraint settings")
    for line in report.rules:
        ws.append(["", line])
    ws.append([])
    _heading(ws, "Impact")
    _pairs(ws, report.impact)
    ws.append([])
    _heading(ws, "How to edit", HOW_TO_EDIT)
    ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 58, 70


def _heading(ws: Worksheet, *values: object) -> None:
    ws.append(list(values))
    ws.cell(ws.max_row, 1).font = BOLD


def _pairs(ws: Worksheet, pairs: list[Pair], header: bool = False) -> None:
    for k, (label, value) in enumerate(pairs):
        ws.append([label, value])
        cell = ws.cell(ws.max_row, 2)
        if header and k == 0:
            ws.cell(ws.max_row, 1).font = cell.font = BOLD
        elif isinstance(value, Decimal):
            cell.number_format = PESO
        elif isinstance(value, float):
            cell.number_format = "#,##0.00"


def _allocations(ws: Worksheet, frame: pd.DataFrame) -> None:
    for c, key in enumerate(COLUMNS, 1):
        header, width = COLUMNS[key]
        cell = ws.cell(1, c, header)
        cell.font = BOLD
        ws.column_dimensions[get_column_letter(c)].width = width
        if key in EDITABLE:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")  # editable columns stand out
            cell.comment = Comment(HOW_TO_EDIT, "OBCMS")
    for record in frame.itertuples(index=False):
        ws.append(list(record))
    for key in ("request", "amount"):
        letter = get_column_letter(list(COLUMNS).index(key) + 1)
        for (cell,) in ws[f"{letter}2:{letter}{max(ws.max_row, 2)}"]:
            cell.number_format = PESO
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(ws.max_row, 1)}"


def _comparison(ws: Worksheet, tables: list[tuple[str, pd.DataFrame, list[str]]]) -> None:
    ws.column_dimensions["A"].width = 30
    if not tables:
        ws.append(["No other scenario was chosen for comparison."])
        return
    for title, table, pesos in tables:
        _heading(ws, title)
        ws.append([str(c) for c in table.columns])
        for c in range(1, len(table.columns) + 1):
            ws.cell(ws.max_row, c).font = BOLD
            ws.column_dimensions[get_column_letter(c)].width = 30 if c <= 2 else 20
        for record in table.itertuples(index=False):
            ws.append([None if pd.isna(v) else v for v in record])
            for c, col in enumerate(table.columns, 1):
                if col in pesos:
                    ws.cell(ws.max_row, c).number_format = PESO
        ws.append([])


def _label(value: object) -> str:
    raw = str(getattr(value, "value", value))
    for enum in (PPASector, FundingSource):
        if raw in enum._value2member_map_:
            return raw.upper() if len(raw) <= 4 else enum(raw).label
    return raw


def _figure(key: str, value: object) -> object:
    if value is None:
        return "—"
    if key in ("total", "cost_per_beneficiary"):
        return to_money(value)
    if key == "population_served":
        return round(float(value))  # type: ignore[arg-type]
    return value
