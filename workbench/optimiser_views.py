"""The optimiser page's result panels: solver figures, explanations, evidence flags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from obcms_core.domain.allocation import ObjectiveWeights
from obcms_core.services.scenarios.analysis import ScenarioView
from obcms_core.ui_support import as_float
from workbench import queries, widgets
from workbench import scenario_widgets as sw

# solver status -> (word, what it means for the officer)
STATUS_WORDS = {
    "optimal": ("Optimal", "The best allocation under these weights and rules, proven within "
                "the gap shown."),
    "feasible": ("Feasible", "An allocation that meets every constraint; the solver stopped "
                 "before proving it the best (the gap says how far it could be)."),
    "infeasible": ("Infeasible", "No allocation meets every constraint: raise the envelope or "
                   "relax a ceiling, floor, GAD share or must-fund list."),
    "time_limit": ("Out of time", "The time ran out before any allocation was found: allow "
                   "more time or try the greedy estimate."),
    "not_found": ("Not found", "The quick estimate could not meet every constraint: try HiGHS."),
}
NOTHING = "adds nothing"
SHOWN = 50  # left-out PPAs listed at once
WEIGHTS = {  # key -> (label, default, help)
    "needs": ("Needs addressed per peso", 1.0, "Priority-weighted needs the PPAs address."),
    "population": ("People served", 0.0, "Affected population of the needs addressed."),
    "urgency": ("Urgency", 0.0, "How urgent the needs addressed are."),
    "balance": ("Regional balance", 0.0, "Spread the money across regions by population."),
    "votes": ("Community votes (participatory budgeting)", 0.0,
              "Favour PPAs whose needs communities voted for in participatory budgeting: a "
              "PPA's votes add up, over the needs it addresses, each need's vote score (1 = "
              "the most supported need of the year's cycles) times the PPA's share of the "
              "need. At 0 the votes are shown but do not steer the result."),
}


def votes_count(view: ScenarioView) -> bool:
    """True when some PPA of the scenario addresses a need the community voted for."""
    return view.facts.has_votes and bool(view.problem.votes.any())


def votes_note(view: ScenarioView) -> str | None:
    """Where the community votes come from, or why the votes weight cannot be used."""
    year, fy = view.facts.votes_year, view.fiscal_year
    if year is None:
        return (f"No participatory-budgeting votes for FY {fy} or FY {fy - 1}, so the community "
                "votes weight stays at 0. It opens once a PB cycle of the year has ballots.")
    if not votes_count(view):
        return (f"The FY {year} participatory-budgeting votes went to needs that no FY {fy} PPA "
                "addresses, so the community votes weight would change nothing: link the PPAs "
                "to the needs they serve.")
    if year != fy:
        return (f"Community votes come from the FY {year} participatory-budgeting cycles: "
                f"FY {fy} has no votes yet.")
    return None


def weight_sliders(view: ScenarioView) -> None:
    """One slider per objective weight; the votes slider is off when votes would do nothing."""
    usable = votes_count(view)
    if not usable:
        st.session_state.pop("opt_w_votes", None)  # an earlier scenario's weight does not apply
    for column, (key, (label, default, help_text)) in zip(
            sw.grid(len(WEIGHTS), per_row=3), WEIGHTS.items(), strict=False):
        column.slider(label, 0.0, 1.0, default, 0.05, key=f"opt_w_{key}", help=help_text,
                      disabled=key == "votes" and not usable)
    note = votes_note(view)
    if note:
        st.caption(note)


def chosen_weights(view: ScenarioView) -> ObjectiveWeights:
    """The weights the sliders hold (votes count only when some PPA has votes)."""
    state = st.session_state
    weights = {k: float(state.get(f"opt_w_{k}", default)) for k, (_l, default, _h) in
               WEIGHTS.items()}
    if not votes_count(view):
        weights["votes"] = 0.0
    return ObjectiveWeights(**weights)


def _number(value: Any, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


def run_summary(run: Mapping[str, Any]) -> None:
    """Status, objective, bound, gap and time of one run, and what the status means."""
    word, meaning = STATUS_WORDS.get(run["status"], (run["status"], ""))
    st.subheader(f"Run {run['id']}: {word.lower()}")
    cells = st.columns(5)
    cells[0].metric("Status", word, border=True)
    cells[1].metric("Objective", _number(run["objective"], "{:,.3f}"), border=True,
                    help="The score of the allocation found (higher is better).")
    cells[2].metric("LP bound", _number(run["bound"], "{:,.3f}"), border=True,
                    help="No allocation can score above this (the relaxed problem's optimum).")
    cells[3].metric("Gap", _number(run["gap"], "{:.2%}"), border=True,
                    help="How far the allocation could be from the best possible.")
    cells[4].metric("Time", f"{run['seconds']:,.2f} s", border=True,
                    help=f"Solver: {run['solver']}.")
    (st.success if run["status"] in ("optimal", "feasible") else st.warning)(meaning)
    for message in run["result"].get("messages", []):
        st.info(message)


def explanations(result: Mapping[str, Any], titles: pd.DataFrame) -> None:
    """Binding constraints, marginal values, before/after impact and why PPAs were left out."""
    st.subheader("Constraints that bind")
    binding = result.get("binding") or []
    if binding:
        st.markdown("\n".join(f"- {b}" for b in binding))
    else:
        st.caption("None: the allocation is limited only by the PPAs' requests and the weights.")

    st.subheader("What ₱1 M more would reach")
    marginal = result.get("marginal") or []
    useful = [m for m in marginal if NOTHING not in m]
    if useful:
        st.markdown("\n".join(f"- {m}" for m in useful))
    else:
        st.caption("One more million would add nothing anywhere: every PPA worth funding is "
                   "funded, excluded, or held back by a constraint." if marginal else
                   "Not available for this run (the greedy estimate does not compute it).")
    idle = [m for m in marginal if NOTHING in m]
    if idle and useful:
        with st.expander(f"Where ₱1 M more would add nothing ({len(idle)})"):
            st.markdown("\n".join(f"- {m}" for m in idle))

    st.subheader("Impact before and after")
    st.dataframe(sw.impact_table(result["impact_before"], result["impact_after"]),
                 hide_index=True, width="stretch",
                 column_config={"figure": "Figure", "before": "Scenario now",
                                "after": "Optimised", "change": "Change"})

    st.subheader("Left out, and why")
    reasons = result.get("left_out") or {}
    if not reasons:
        st.caption("Every PPA gets some funding.")
        return
    left_out = titles[titles["code"].isin(list(reasons))].assign(
        reason=lambda f: f["code"].map(reasons))
    search = st.text_input("Search the PPAs left out", key="opt_left_search",
                           placeholder="Code, title, MOA or words of the reason")
    if search.strip():
        text = left_out[["code", "title", "moa", "reason"]].agg(" ".join, axis=1)
        left_out = left_out[text.str.contains(search.strip(), case=False, regex=False)]
    st.caption(f"{len(left_out):,} of {len(reasons):,} PPAs left out"
               + (f"; the first {SHOWN} are shown: search to narrow." if len(left_out) > SHOWN
                  else "."))
    # A static table wraps the long reasons, so each reads in full on a laptop or a phone.
    st.table(left_out.head(SHOWN).rename(columns={
        "code": "Code", "title": "PPA", "moa": "MOA", "reason": "Why it was left out"}),
        hide_index=True)


def evidence_flags(url: str, fiscal_year: int) -> None:
    """Costly PPAs, overlapping PPAs and each sector's track record, beside the result."""
    st.subheader("Evidence flags")
    flags = queries.scenario_flags(url, fiscal_year)
    costly, overlap, history = st.tabs(
        ["Costly per person", "Possible consolidation", "Track record by sector"])
    with costly:
        st.caption("PPAs whose request per person served is over three times their sector's "
                   "median this year.")
        frame = flags["inefficient"]
        if frame.empty:
            widgets.empty_state("No PPA stands out as costly for the people it serves.")
        else:
            st.dataframe(
                frame.assign(sector=frame["sector"].map(sw.labeller("sector"))),
                hide_index=True, width="stretch", column_config={
                    "code": "Code", "title": "PPA", "sector": "Sector",
                    "cost_per_beneficiary": widgets.money("Cost per person"),
                    "sector_median": widgets.money("Sector median"),
                    "ratio": st.column_config.NumberColumn("× median", format="%.1f")})
    with overlap:
        st.caption("PPAs of different MOAs funding the same needs in one municipality.")
        frame = flags["consolidation"]
        if frame.empty:
            widgets.empty_state("No two MOAs fund the same needs in one place.")
        else:
            st.dataframe(frame, hide_index=True, width="stretch", column_config={
                "ppa_a": "PPA", "moa_a": "MOA", "ppa_b": "And PPA", "moa_b": "Of MOA",
                "shared_needs": widgets.count("Shared needs"), "municipality": "Municipality",
                "province": "Province"})
    with history:
        st.caption("Earlier fiscal years: how much of what was allotted was obligated and paid, "
                   "and the people served per million paid.")
        frame = flags["history"]
        if frame.empty:
            widgets.empty_state("No funding flows are recorded for earlier years.")
        else:
            frame = as_float(frame, "allotments", "obligations", "disbursements")
            st.dataframe(
                frame.assign(sector=frame["sector"].map(sw.labeller("sector"))),
                hide_index=True, width="stretch", column_config={
                    "sector": "Sector", "years": widgets.count("Years"),
                    "allotments": widgets.money("Allotted"),
                    "obligations": widgets.money("Obligated"),
                    "disbursements": widgets.money("Paid"),
                    "obligation_rate": st.column_config.NumberColumn("Obligated / allotted",
                                                                     format="percent"),
                    "disbursement_rate": st.column_config.NumberColumn("Paid / obligated",
                                                                       format="percent"),
                    "people_per_million": st.column_config.NumberColumn(
                        "People per ₱1 M paid", format="%,.1f")})
