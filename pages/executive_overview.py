"""Executive overview: the fiscal year's budget and its execution, unfunded needs, policies."""

from datetime import date
from decimal import Decimal
from typing import Any

import streamlit as st

from obcms_core.domain.money import format_php
from obcms_core.services.dashboards.executive import reference_date, signed_php
from obcms_core.ui_support import as_float
from workbench import dashboard_charts as charts
from workbench import dashboard_queries as dq
from workbench import queries, session, widgets

session.require("executive_overview")
url = session.database_url()

years = queries.fiscal_years(url)
head, choose = st.columns([4, 1], vertical_alignment="bottom")
head.title("Executive overview")
if not years:
    widgets.empty_state(
        "No PPAs yet, so there is no budget to summarise. Load the GAAB baseline with "
        "`python -m obcms_core load-reference`, or the demonstration data with "
        "`python -m obcms_core seed-demo`."
    )
    st.stop()
default = dq.default_fiscal_year(url)
fiscal_year = choose.selectbox("Fiscal year", years, key="exec_fy",
                               index=years.index(default) if default in years else 0)
today = date.today()
figs = dq.executive_figures(url, fiscal_year, today)
now, before = figs.overview.current, figs.overview.previous
on_day = reference_date(fiscal_year, today)
st.caption(
    f"FY {fiscal_year}: the budget, how much of it is obligated and paid out, the community needs "
    "no PPA funds yet, and the policy recommendations running late"
    + (f", each beside FY {before.fiscal_year}." if before else
       f". FY {fiscal_year - 1} has no PPAs, so there is nothing to compare with.")
)


def delta(figure: str, pesos: bool = False, *, more_is_worse: bool = False) -> dict[str, Any]:
    """st.metric arguments for the change against the previous fiscal year."""
    change = figs.overview.change(figure)
    if change is None:
        return {}
    text = signed_php(Decimal(change)) if pesos else f"{change:+,}" if change else "0"
    if change == 0:
        return {"delta": text, "delta_color": "off", "delta_arrow": "off",
                "delta_description": f"same as FY {fiscal_year - 1}"}
    return {"delta": text, "delta_color": "inverse" if more_is_worse else "normal",
            "delta_description": f"vs FY {fiscal_year - 1}"}


def rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1%}"


# Two by two, so that amounts in the billions show in full (₱60,150,000,000.00).
c1, c2 = st.columns(2)
c3, c4 = st.columns(2)
c5, c6 = st.columns(2)
c1.metric(f"FY {fiscal_year} budget", format_php(now.allocation), border=True,
          help="Budget allocations of the year's PPAs, leaving out rejected PPAs.",
          **delta("allocation", pesos=True))
c2.metric("Obligations", format_php(now.obligation), border=True,
          help=f"{rate(now.obligation_rate)} of the allotments released "
               f"({format_php(now.allotment)}).", **delta("obligation", pesos=True))
c3.metric("Disbursements", format_php(now.disbursement), border=True,
          help=f"{rate(now.disbursement_rate)} of the obligations.",
          **delta("disbursement", pesos=True))
c4.metric("Policies off track", f"{now.policies_off_track:,}", border=True,
          help=f"Open policy recommendations with a milestone overdue on {on_day:%d %B %Y}.",
          **delta("policies_off_track", more_is_worse=True))
c5.metric("Unfunded needs", f"{now.unfunded_needs:,}", border=True,
          help=f"Validated or prioritized needs that no PPA of FY {fiscal_year} or earlier funds.",
          **delta("unfunded_needs", more_is_worse=True))
c6.metric("Cost of unfunded needs", format_php(now.unfunded_cost), border=True,
          help="Estimated cost of those needs (needs without an estimate add nothing).",
          **delta("unfunded_cost", pesos=True, more_is_worse=True))
st.page_link("pages/gap_analysis.py", label="See where the unfunded needs are: gap analysis",
             icon=":material/troubleshoot:")

if now.ppas == 0:
    widgets.empty_state(f"FY {fiscal_year} has no PPA that is not rejected, so no budget to show. "
                        "Choose another fiscal year.")
    st.stop()

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Allocation and execution")
    stages = {"Allocation": now.allocation, "Allotments": now.allotment,
              "Obligations": now.obligation, "Disbursements": now.disbursement}
    st.altair_chart(charts.execution_stages({k: float(v) for k, v in stages.items()}),
                    width="stretch", alt=f"Bar chart: FY {fiscal_year} allocation, allotments, "
                    "obligations and disbursements.")
    if now.allotment == 0:
        st.caption("No allotment has been released for this year yet.")
with right:
    st.subheader("By fiscal year")
    st.altair_chart(charts.execution_trend(figs.by_year), width="stretch",
                    alt="Line chart: allocation, obligations and disbursements per fiscal year.")

st.subheader(f"FY {fiscal_year} execution by MOA")
by_moa = as_float(figs.by_moa, "allocation", "allotment", "obligation", "disbursement",
                  "obligation_rate", "disbursement_rate")
st.dataframe(
    by_moa.assign(obligation_rate=by_moa["obligation_rate"] * 100,
                  disbursement_rate=by_moa["disbursement_rate"] * 100),
    hide_index=True, width="stretch", placeholder="—",
    column_config={
        "moa": "MOA", "ppas": widgets.count("PPAs"),
        "allocation": widgets.money("Allocation"), "allotment": widgets.money("Allotments"),
        "obligation": widgets.money("Obligations"),
        "disbursement": widgets.money("Disbursements"),
        "obligation_rate": st.column_config.NumberColumn(
            "Obligated", format="%.1f%%", help="Obligations ÷ allotments."),
        "disbursement_rate": st.column_config.NumberColumn(
            "Disbursed", format="%.1f%%", help="Disbursements ÷ obligations."),
    },
)

st.subheader("Policies off track")
if figs.off_track.empty:
    st.success(f"No open policy recommendation had an overdue milestone on {on_day:%d %B %Y}.")
else:
    st.caption(f"Open policy recommendations with at least one milestone overdue on "
               f"{on_day:%d %B %Y}, the longest overdue first.")
    st.dataframe(
        figs.off_track, hide_index=True, width="stretch",
        column_order=["reference_number", "title", "overdue_milestones", "oldest_target",
                      "status", "priority"],
        column_config={
            "reference_number": "Reference", "title": st.column_config.TextColumn(
                "Policy recommendation", width=330),
            "status": "Status", "priority": "Priority",
            "overdue_milestones": widgets.count("Overdue", "Milestones overdue."),
            "oldest_target": st.column_config.DateColumn("Oldest target date",
                                                         format="YYYY-MM-DD"),
        },
    )
