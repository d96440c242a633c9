"""The scenario builder's rebalancing sliders, and the workbook export and re-import."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import streamlit as st

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.access import Actor
from obcms_core.domain.errors import DomainError
from obcms_core.domain.money import format_php
from obcms_core.services.database import Database
from obcms_core.services.scenarios.analysis import ScenarioView
from obcms_core.services.scenarios.editing import CellEdit, apply_edits, rebalance_amounts
from obcms_core.services.scenarios.workbook import (
    ImportPreview,
    apply_import,
    diff_import,
    export_scenario,
)
from obcms_core.ui_support import as_float
from workbench import scenario_widgets as sw
from workbench import widgets
from workbench.scenario_forms import revision

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MILLION = 1_000_000
ROUND = "sb_upload_round"  # bumped after an import so the uploader starts empty
IMPORTED = "sb_import"  # (file id, preview) of the workbook being looked at


def _millions(pesos: float) -> float:
    """Pesos as millions rounded down to a tenth, so a slider never goes past what is there."""
    return math.floor(pesos / MILLION * 10) / 10


def rebalance_panel(db: Database, me: Actor, view: ScenarioView) -> None:
    """Move money between sectors or regions with sliders; the total stays fixed."""
    table = view.table
    sw.show_flash("rebalance")
    sw.glance(view)
    dim = st.radio("Rebalance between", ["sector", "region"], key=f"sb_rb_dim_{view.id}",
                   horizontal=True, format_func={"sector": "Sectors",
                                                 "region": "Regions (each PPA's main region)"}.get)
    totals = table.groupby(dim)["amount"].sum()
    free = table[~table["locked"]]
    movable = free.groupby(dim)["amount"].sum().reindex(totals.index, fill_value=0.0)
    room = (free["request"] - free["amount"]).groupby(free[dim]).sum()
    room = room.reindex(totals.index, fill_value=0.0)
    if len(totals) < 2:
        widgets.empty_state("All the PPAs are in one group: there is nothing to rebalance.")
        return
    label = sw.labeller(dim)
    giver = st.selectbox("Group that gives or takes the difference", list(totals.index),
                         key=f"sb_rb_giver_{view.id}_{dim}", format_func=label,
                         help="Raise or cut the other groups below; this one makes up the "
                              "difference, so the total stays the same.")
    st.caption("Slide a group up to give it more, down to give it less (₱ millions). Locked "
               "PPAs keep their amounts; no PPA goes above its request.")
    moves: dict[str, float] = {}
    others = [g for g in totals.index if g != giver]
    for column, group in zip(sw.grid(len(others), per_row=3), others, strict=False):
        low, high = -_millions(movable[group]), _millions(room[group])
        text = f"{label(group)} (now {format_php(totals[group])})"
        if low == high:
            column.caption(f"{text}: nothing movable.")
            continue
        moves[group] = column.slider(text, min_value=low, max_value=high, value=0.0, step=0.1,
                                     format="%+.1f M", key=f"sb_rb_{revision(view)}_{dim}_{group}")
    if not any(moves.values()):
        st.caption("Move a slider to see the new figures before applying them.")
        return
    targets = {g: float(totals[g]) + moves.get(g, 0.0) * MILLION for g in totals.index}
    targets[giver] = float(totals[giver]) - sum(moves.values()) * MILLION
    try:
        preview = rebalance_amounts(table, dim, targets).to_numpy(dtype=float)
    except DomainError as exc:
        st.error(str(exc))
        return
    _show_preview(view, dim, preview)
    changed = np.abs(preview - table["amount"].to_numpy(dtype=float)) >= 0.005

    def apply() -> None:
        edits = {int(pid): CellEdit(amount=round(float(amount), 2))
                 for pid, amount in zip(table["id"][changed], preview[changed], strict=True)}

        def action(uow: UnitOfWork) -> str:
            n = apply_edits(uow, view.id, me, edits)
            return f"Rebalanced: {n} allocation{'s' if n != 1 else ''} changed."

        sw.attempt(db, action, "rebalance")

    st.button("Apply rebalancing", type="primary", key="sb_rb_apply", on_click=apply,
              disabled=not changed.any())


def _show_preview(view: ScenarioView, dim: str, preview: np.ndarray) -> None:
    """Group totals now and after, the preview's constraint check and impact."""
    table = view.table
    now = table.groupby(dim)["amount"].sum()
    after = pd.Series(preview, index=table.index).groupby(table[dim]).sum()
    groups = pd.DataFrame({"group": [sw.group_label(dim, g) for g in now.index],
                           "now": now.to_numpy(), "after": after.reindex(now.index).to_numpy()})
    groups["change"] = groups["after"] - groups["now"]
    st.dataframe(groups, hide_index=True, width="stretch", column_config={
        "group": sw.DIMENSIONS[dim], "now": widgets.money("Now"),
        "after": widgets.money("After rebalancing"), "change": sw.change("Change")})
    drift = float(preview.sum() - table["amount"].sum())
    if abs(drift) > 1:
        st.warning(f"The total would change by {format_php(drift)}: some groups cannot give or "
                   "take that much (locked PPAs, or PPAs already at their request).")
    sw.violations(view.violations(amounts=preview), preview=True)
    st.caption("Impact of the preview (changes against the scenario as saved):")
    sw.impact_metrics(view.impact(preview), view.impact())


def _file_name(view: ScenarioView) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", view.name.lower()).strip("-") or "scenario"
    return f"FY{view.fiscal_year}-{slug}.xlsx"


def export_import(
    db: Database, me: Actor, view: ScenarioView, others: dict[int, str], editable: bool
) -> None:
    """Download the scenario report; a budget officer may upload an edited copy back."""
    st.markdown("**Download the scenario report**")
    with_ids = st.multiselect("Add a comparison with", list(others), max_selections=3,
                              key=f"sb_export_with_{view.id}", format_func=others.__getitem__,
                              placeholder="No comparison (optional)")

    def workbook() -> bytes:
        with db.uow() as uow:
            return export_scenario(uow, view.id, with_ids)

    st.download_button("Download (.xlsx)", data=workbook, file_name=_file_name(view), mime=XLSX,
                       key="sb_download", on_click="ignore", icon=":material/download:")
    if not editable:
        return
    st.markdown("**Upload an edited copy**")
    sw.show_flash("import")
    st.caption("Change only the Amount and Justification columns of the Allocations sheet. "
               "You will see every difference, and any problem by row, before anything is saved.")
    upload_key = f"sb_upload_{view.id}_{st.session_state.setdefault(ROUND, 0)}"
    upload = st.file_uploader("Edited scenario workbook", type=["xlsx"], key=upload_key)
    if upload is None:
        return
    seen = st.session_state.get(IMPORTED)
    if seen is None or seen[0] != (upload_key, upload.file_id):
        with st.spinner("Reading the workbook…"), db.uow() as uow:
            preview = diff_import(uow, view.id, upload.getvalue())
        st.session_state[IMPORTED] = seen = ((upload_key, upload.file_id), preview)
    _import_preview(db, me, view, seen[1])


def _import_preview(db: Database, me: Actor, view: ScenarioView, preview: ImportPreview) -> None:
    """The workbook's differences and problems; apply only on confirmation."""
    if preview.problems:
        n = len(preview.problems)
        what = "this problem is" if n == 1 else f"these {n} problems are"
        st.error(f"Nothing can be applied until {what} corrected in the workbook:\n\n"
                 + "\n".join(f"- {p}" for p in preview.problems))
    if not preview.differences:
        if not preview.problems:
            widgets.empty_state("The workbook changes nothing in this scenario.")
        return
    n = len(preview.differences)
    st.markdown(f"**The workbook changes {n} PPA{'s' if n != 1 else ''}:**")
    differences = as_float(preview.table(), "old_amount", "new_amount")
    st.dataframe(differences, hide_index=True, width="stretch", column_config={
        "row": st.column_config.NumberColumn("Row", format="%d"), "ppa_id": None,
        "code": "Code", "title": "PPA", "old_amount": widgets.money("Amount now"),
        "new_amount": widgets.money("Amount in the workbook"),
        "old_justification": "Justification now",
        "new_justification": "Justification in the workbook"})
    if not preview.can_apply:
        return

    def confirm() -> None:
        def action(uow: UnitOfWork) -> str:
            n = apply_import(uow, view.id, me, preview)
            return f"Imported {n} changed row{'s' if n != 1 else ''} from the workbook."

        if sw.attempt(db, action, "import"):
            st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
            st.session_state.pop(IMPORTED, None)

    count = len(preview.differences)
    st.button("Apply this change" if count == 1 else f"Apply these {count} changes", type="primary",
              key="sb_import_apply", on_click=confirm)
