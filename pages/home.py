"""Home: the key figures of needs and the fiscal year's budget."""

import altair as alt
import streamlit as st

from obcms_core.domain.enums import ApprovalStatus, NeedStatus
from obcms_core.domain.money import format_php
from obcms_core.ui_support import as_float, enum_labels
from workbench import queries, session, widgets

session.require("home")
url = session.database_url()

years = queries.fiscal_years(url)
head, pick = st.columns([4, 1], vertical_alignment="bottom")
head.title("Home")
fiscal_year = pick.selectbox("Fiscal year", years, key="home_fy") if years else None
fig = queries.home_figures(url, fiscal_year)
st.caption(
    "Community needs across Regions IX–XII and the PPA budget for "
    + (f"fiscal year {fig.fiscal_year}." if fig.fiscal_year else "the latest fiscal year.")
)

# Two by two, so that amounts in the billions show in full (₱60,150,000,000.00).
c1, c2 = st.columns(2)
c3, c4 = st.columns(2)
c1.metric("Community needs", f"{fig.total_needs:,}", border=True,
          help="Every recorded need, whatever its status.")
c2.metric("Unfunded needs", f"{fig.unfunded_needs:,}", border=True,
          help="Validated or prioritized needs that no PPA funds yet.")
c3.metric("Cost of unfunded needs", format_php(fig.unfunded_cost), border=True,
          help="Estimated cost of the unfunded needs.")
c4.metric(f"FY {fig.fiscal_year or '—'} budget", format_php(fig.fy_budget), border=True,
          help="All the fiscal year's PPA allocations added up, whatever their approval status.")

if fig.total_needs == 0 and fig.budget_by_moa.empty:
    widgets.empty_state(
        "No needs or PPAs yet. An analyst can import them, or run "
        "`python -m obcms_core seed-demo` to load the demonstration data."
    )
    st.stop()

chart_col, table_col = st.columns([3, 2], gap="large")
with chart_col:
    st.subheader(f"FY {fig.fiscal_year} budget by MOA (top 15)")
    top = as_float(fig.budget_by_moa.head(15), "budget")
    if top.empty:
        widgets.empty_state("No PPA of this fiscal year has an allocation yet.")
    else:
        billions = "datum.value >= 1e9 ? format(datum.value / 1e9, ',.1f') + ' B'"
        chart = (
            alt.Chart(top)
            .mark_bar(color="#1F6F5C", cornerRadiusEnd=3)
            .encode(
                x=alt.X("budget:Q", title="Allocation (₱)", axis=alt.Axis(
                    labelExpr=f"{billions} : format(datum.value / 1e6, ',.0f') + ' M'")),
                y=alt.Y("moa:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
                tooltip=[alt.Tooltip("moa:N", title="MOA"),
                         alt.Tooltip("budget:Q", title="Allocation (₱)", format=",.2f")],
            )
            .properties(height=alt.Step(24))
        )
        st.altair_chart(chart, width="stretch")
with table_col:
    st.subheader("PPAs by approval status")
    by_approval = fig.ppas_by_approval.assign(
        approval_status=enum_labels(fig.ppas_by_approval["approval_status"], ApprovalStatus))
    st.dataframe(by_approval, hide_index=True, width="stretch", column_config={
        "approval_status": "Approval status", "ppas": widgets.count("PPAs")})
    st.subheader("Needs by status")
    by_status = fig.needs_by_status.assign(
        status=enum_labels(fig.needs_by_status["status"], NeedStatus))
    st.dataframe(by_status, hide_index=True, width="stretch", column_config={
        "status": "Status", "needs": widgets.count("Needs")})
