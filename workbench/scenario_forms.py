"""The scenario builder's editing tools: the allocation editor, bulk changes, undo, settings."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.access import Actor
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import format_php
from obcms_core.services.database import Database
from obcms_core.services.scenarios.analysis import ScenarioView
from obcms_core.services.scenarios.editing import (
    CellEdit,
    Selection,
    adjust,
    apply_edits,
    undo_last,
)
from obcms_core.services.scenarios.rules import ScenarioRules
from obcms_core.services.scenarios.store import update_settings
from obcms_core.services.scenarios.workbook import rules_in_words
from workbench import scenario_widgets as sw
from workbench import widgets

EDITOR_KEY = "sb_editor_key"  # the current editor's widget key (tests seed their edits there)
# The editable cells come early, so they show without scrolling sideways on a laptop.
COLUMNS = ["code", "title", "request", "amount", "locked", "justification", "votes", "moa",
           "sector", "region"]


def revision(view: ScenarioView) -> str:
    """A fingerprint of the allocations: widgets keyed by it start afresh after any change."""
    cells = view.table[["id", "amount", "justification", "locked"]]
    digest = pd.util.hash_pandas_object(cells, index=False).to_numpy().tobytes()
    return hashlib.sha1(digest).hexdigest()[:10]


def allocation_frame(view: ScenarioView) -> pd.DataFrame:
    """The allocation table as the pages show it (sector and region in words)."""
    frame = view.table[COLUMNS].copy()
    if not view.facts.has_votes:
        frame["votes"] = None  # blank, not 0: no PB cycle of the year has votes to count
    frame["sector"] = frame["sector"].map(sw.labeller("sector"))
    frame["region"] = frame["region"].map(sw.labeller("region"))
    return frame


# Fixed widths (pixels): the editable amount sits in the same place on every screen.
WIDTHS = {"code": 180, "title": 240, "request": 150, "amount": 150, "locked": 80,
          "justification": 240}


def votes_help(view: ScenarioView) -> str:
    """What the Votes column holds, and which fiscal year's PB cycles it comes from."""
    year = view.facts.votes_year
    if year is None:
        return (f"No participatory-budgeting votes for FY {view.fiscal_year} or "
                f"FY {view.fiscal_year - 1}: the column stays blank.")
    source = f"FY {year}" + ("" if year == view.fiscal_year else
                             f" (FY {view.fiscal_year} has none yet)")
    return ("Community votes: for each need the PPA addresses, the need's vote score in the "
            f"{source} participatory-budgeting cycles (1 = the most supported need) times the "
            "PPA's share of the need, added up. Read-only.")


def column_config(editable: bool, votes: str = "") -> dict[str, Any]:
    """How each allocation column reads: pesos as ₱1,234.00, the code pinned at the left."""
    w = WIDTHS
    return {
        "votes": st.column_config.NumberColumn("Votes", format="%.2f", width=80,
                                               help=votes or None),
        "code": st.column_config.TextColumn("Code", pinned=True, width=w["code"]),
        "title": st.column_config.TextColumn("PPA", width=w["title"]),
        "moa": "MOA", "sector": "Sector", "region": "Main region",
        "request": st.column_config.NumberColumn(
            "Request", format=widgets.PESO_FORMAT, width=w["request"],
            help="The PPA's budget ceiling: the most it can get."),
        "amount": st.column_config.NumberColumn(
            "Amount (₱)", format=widgets.PESO_FORMAT, min_value=0, step=0.01, required=True,
            width=w["amount"], help="Between ₱0.00 and the PPA's request." if editable else None),
        "locked": st.column_config.CheckboxColumn(
            "Locked", width=w["locked"],
            help="A locked amount stays as it is in bulk changes and the optimiser."),
        "justification": st.column_config.TextColumn("Justification", width=w["justification"],
                                                     max_chars=2000),
    }


def _cell_edits(view: ScenarioView, delta: dict[str, Any]) -> dict[int, CellEdit]:
    """The editor's changed cells, by PPA id (rows are in the view's order)."""
    edits: dict[int, CellEdit] = {}
    for position, change in (delta.get("edited_rows") or {}).items():
        row = view.table.iloc[int(position)]
        if "amount" in change and change["amount"] is None:
            raise ValidationFailed(f"{row['code']}: type an amount (₱0.00 leaves it out).")
        edits[int(row["id"])] = CellEdit(amount=change.get("amount"),
                                         justification=change.get("justification"),
                                         locked=change.get("locked"))
    return edits


def allocation_editor(db: Database, me: Actor, view: ScenarioView) -> None:
    """The allocations as an editable table; Save applies every changed cell as one change."""
    key = f"sb_editor_{view.id}_{revision(view)}"
    st.session_state[EDITOR_KEY] = key

    def save() -> None:
        def action(uow: UnitOfWork) -> str:
            edits = _cell_edits(view, st.session_state.get(key) or {})
            if not edits:
                raise ValidationFailed("Nothing to save: change an amount, note or lock first.")
            changed = apply_edits(uow, view.id, me, edits)
            return (f"Saved: {changed} allocation{'s' if changed != 1 else ''} changed."
                    if changed else "Saved the justifications and locks.")

        sw.attempt(db, action, "editor")

    sw.show_flash("editor")
    sw.glance(view)
    st.caption("Change amounts, justifications or locks, then press **Save changes**: "
               "everything is saved together, checked against each PPA's request.")
    with st.form("sb_editor_form", border=False):
        st.data_editor(allocation_frame(view), key=key, hide_index=True, width="stretch",
                       height=min(38 + 35 * len(view.table), 560),
                       disabled=[c for c in COLUMNS if c not in ("amount", "justification",
                                                                 "locked")],
                       column_config=column_config(editable=True, votes=votes_help(view)))
        st.form_submit_button("Save changes", type="primary", key="sb_save", on_click=save,
                              icon=":material/save:")


def allocation_table(view: ScenarioView) -> None:
    """The allocations, read-only."""
    st.dataframe(allocation_frame(view), hide_index=True, width="stretch",
                 height=min(38 + 35 * len(view.table), 560),
                 column_config=column_config(editable=False, votes=votes_help(view)))


def adjust_form(db: Database, me: Actor, view: ScenarioView) -> None:
    """Raise or cut a selection of PPAs by a percentage or an amount each; undo the last change."""
    table, k = view.table, f"sb_adj_{view.id}_"
    choices = {dim: [None, *sorted(table[dim].unique())] for dim in sw.DIMENSIONS}

    def run() -> None:
        state = st.session_state
        codes = set(state[k + "ppas"])
        selection = Selection(
            ppa_ids=tuple(int(i) for i in table.loc[table["code"].isin(codes), "id"]),
            **{dim: state[k + dim] for dim in sw.DIMENSIONS},
        )
        value = float(state[k + "value"] or 0)
        percent = value if state[k + "how"] == "percent" else None

        def action(uow: UnitOfWork) -> str:
            n = adjust(uow, view.id, me, selection, percent=percent,
                       amount=None if percent is not None else value)
            how = f"{value:+g} %" if percent is not None else f"{format_php(value)} each"
            return (f"Adjusted {n} PPA{'s' if n != 1 else ''} by {how}. "
                    "Locked PPAs stay as they were.")

        sw.attempt(db, action, "adjust")

    sw.show_flash("adjust")
    sw.glance(view)

    with st.form("sb_adjust_form"):
        st.markdown("**Which PPAs** — every filter you set must match; none set means all PPAs.")
        cols = st.columns(4)
        for column, (dim, label) in zip(cols, sw.DIMENSIONS.items(), strict=True):
            column.selectbox(label, choices[dim], key=k + dim, format_func=sw.labeller(dim))
        st.multiselect("Only these PPAs (optional)", list(table["code"]), key=k + "ppas",
                       placeholder="Any PPA matching the filters")
        a, b = st.columns([2, 1])
        a.radio("Change", ["percent", "amount"], key=k + "how", horizontal=True,
                format_func={"percent": "By a percentage",
                             "amount": "By an amount per PPA (₱)"}.__getitem__)
        b.number_input("By", key=k + "value", value=0.0, step=1.0, format="%.2f",
                       help="Negative cuts. Amounts stay between ₱0.00 and each PPA's request.")
        st.form_submit_button("Apply to the selection", type="primary", key="sb_adjust",
                              on_click=run)

    def undo() -> None:
        sw.attempt(db, lambda uow: f"Undone: {undo_last(uow, view.id, me)}.", "adjust")

    st.button("Undo the last change", key="sb_undo", on_click=undo, icon=":material/undo:",
              help="Reverses the latest saved change of amounts (edits, bulk changes, "
                   "rebalancing, imports), one at a time.")


def _optional(value: float | None) -> float | None:
    return None if value in (None, 0) else float(value)


def _typed(amount: object) -> str:
    return "" if amount is None else format_php(amount)


PESO_HINT = "Pesos, e.g. 250,000,000.00; blank means none."


def settings_form(db: Database, me: Actor, view: ScenarioView) -> None:
    """The envelope and constraint settings of a draft."""
    rules, k, table = view.rules, f"sb_set_{view.id}_", view.table
    sources, sectors = sorted(table["source"].unique()), sorted(table["sector"].unique())
    regions = list(view.facts.regions["code"])
    groups = (("source", sources, rules.source_ceilings), ("sector", sectors,
                                                           rules.sector_ceilings),
              ("percap", regions, rules.region_floor_per_capita))

    def save() -> None:
        state = st.session_state

        def amounts(prefix: str, dim: str, names: list[str]) -> dict[str, float]:
            found = {n: sw.pesos(state[f"{k}{prefix}_{n}"], sw.group_label(dim, n))
                     for n in names}
            return {n: float(v) for n, v in found.items() if v is not None}

        def action(uow: UnitOfWork) -> str:
            shares = {r: _optional(state[f"{k}floor_{r}"]) for r in regions}
            new = ScenarioRules(
                source_ceilings=amounts("source", "source", sources),
                sector_ceilings=amounts("sector", "sector", sectors),
                capacity_multiple=_optional(state[k + "capacity"]),
                region_floor_shares={r: v / 100 for r, v in shares.items() if v is not None},
                region_floor_per_capita=amounts("percap", "region", regions),
                gad_share=float(state[k + "gad"]) / 100,
                must_fund=list(state[k + "fund"]), must_exclude=list(state[k + "exclude"]),
                min_viable_share=float(state[k + "viable"]) / 100,
            )
            envelope = sw.pesos(state[k + "envelope"], "Envelope")
            if envelope is None:
                raise ValidationFailed("Type the envelope in pesos.")
            update_settings(uow, view.id, me, envelope=envelope, rules=new)
            return "Saved the envelope and constraint settings."

        sw.attempt(db, action, "settings")

    sw.show_flash("settings")

    with st.form("sb_settings_form"):
        a, b, c, d = st.columns(4)
        a.text_input("Envelope (₱)", key=k + "envelope", value=_typed(view.envelope))
        b.number_input("GAD share of each MOA (%)", key=k + "gad", value=rules.gad_share * 100,
                       min_value=0.0, max_value=99.0, step=1.0)
        c.number_input("Minimum viable funding (%)", key=k + "viable", min_value=1.0,
                       max_value=100.0, value=rules.min_viable_share * 100, step=5.0,
                       help="A partly funded PPA gets at least this share of its request.")
        d.number_input("MOA capacity (× last year's paid)", key=k + "capacity",
                       value=rules.capacity_multiple, min_value=0.0, step=0.1,
                       help="Each MOA gets at most this multiple of what it disbursed last "
                            "year. Blank: no absorptive-capacity limit.")
        titles = {"source": "Ceilings by funding source", "sector": "Ceilings by sector",
                  "percap": "Regional floors: pesos per OBC resident"}
        for prefix, names, stored in groups:
            st.markdown(f"**{titles[prefix]}**", help=PESO_HINT)
            dim = "region" if prefix == "percap" else prefix
            for column, name in zip(sw.grid(len(names)), names, strict=False):
                column.text_input(sw.group_label(dim, name), key=f"{k}{prefix}_{name}",
                                  value=_typed(stored.get(name)),
                                  placeholder="No floor" if dim == "region" else "No limit")
        st.markdown("**Regional floors: share of the envelope (%)**")
        for column, name in zip(sw.grid(len(regions)), regions, strict=False):
            share = rules.region_floor_shares.get(name)
            column.number_input(sw.group_label("region", name), key=f"{k}floor_{name}",
                                value=None if share is None else share * 100, min_value=0.0,
                                max_value=100.0, step=1.0, placeholder="No floor")
        e, f = st.columns(2)
        e.multiselect("Must fund in full", list(table["code"]), default=rules.must_fund,
                      key=k + "fund", placeholder="No PPA")
        f.multiselect("Must leave out", list(table["code"]), default=rules.must_exclude,
                      key=k + "exclude", placeholder="No PPA")
        st.form_submit_button("Save the settings", type="primary", key="sb_settings",
                              on_click=save)


def settings_in_words(view: ScenarioView) -> None:
    """The constraint settings as sentences (for those who may not change them)."""
    st.markdown(f"- Envelope: {format_php(view.envelope)}.\n"
                + "\n".join(f"- {line}" for line in rules_in_words(view.rules)))
