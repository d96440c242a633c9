"""Policy–budget matrix: each policy recommendation against the PPAs and money that carry it out."""

import altair as alt
import streamlit as st

from obcms_core.domain.enums import PolicyCategory, PolicyStatus
from obcms_core.domain.money import format_php
from obcms_core.services.dashboards import policy_matrix as pm
from obcms_core.services.dashboards.xlsx import CSV_MIME, XLSX_MIME
from obcms_core.ui_support import as_float
from workbench import evidence_queries as eq
from workbench import queries, session, widgets

MEASURES = {  # heat-map value -> (column, legend title, number format)
    "OBC share (₱)": ("obc_share", "OBC share (₱)", ",.2f"),
    "Allocation (₱)": ("allocation", "Allocation (₱)", ",.2f"),
    "Implementing PPAs": ("ppas", "PPAs", ",d"),
}

session.require("policy_matrix")
url = session.database_url()
today = eq.today()

st.title("Policy–budget matrix")
st.caption(
    "Every policy recommendation against the PPAs that implement it: their allocation and OBC "
    "share, whether that funds the recommendation, and how far its milestones have got."
)

regions = dict(queries.regions(url))
f1, f2, f3 = st.columns(3)
category = f1.selectbox("Policy category", [None, *(c.value for c in PolicyCategory)],
                        key="pm_category",
                        format_func=widgets.or_all("All categories",
                                                   lambda v: PolicyCategory(v).label))
status = f2.selectbox("Status", [None, *(s.value for s in PolicyStatus)], key="pm_status",
                      format_func=widgets.or_all("All statuses", lambda v: PolicyStatus(v).label))
region = f3.selectbox("Region", [None, *regions], key="pm_region",
                      format_func=widgets.or_all("All regions (national included)",
                                                 regions.__getitem__),
                      help="A region shows the recommendations for that region; national ones "
                           "appear only under all regions.")
filters = pm.PolicyFilters(category, status, region)

matrix = eq.policy_matrix(url, category, status, region, today)
if matrix.empty:
    widgets.empty_state(
        "No policy recommendation matches these filters. Choose “All” in a filter to see more."
        if (category or status or region) else
        "No policy recommendations yet. Planners record them with their milestones; "
        "`python -m obcms_core seed-demo` loads demonstration data."
    )
    st.stop()

summary = pm.matrix_summary(matrix)
m1, m2, m3, m4 = st.columns(4)
m1.metric("Recommendations", f"{summary.policies:,}", border=True)
m2.metric("Funded", f"{summary.funded:,}", border=True,
          help="The OBC share of the implementing PPAs covers the estimated cost (or, without "
               "an estimated cost, at least one implementing PPA has an OBC share).")
m3.metric("Partly funded", f"{summary.partly_funded:,}", border=True,
          help="Some OBC share, but less than the estimated cost.")
m4.metric("Unfunded", f"{summary.unfunded:,}", border=True,
          help="No implementing PPA with an OBC share.")
m5, m6, m7 = st.columns([3, 4, 4])
m5.metric("With overdue milestones", f"{summary.with_overdue:,}", border=True,
          help=f"A milestone whose target date passed before {today:%d %B %Y} without being "
               "completed (cancelled milestones left out).")
m6.metric("Allocation of implementing PPAs", format_php(summary.allocation), border=True,
          help="Each recommendation's PPAs added up; a PPA serving two listed recommendations "
               "counts twice. Rejected PPAs are left out.")
m7.metric("OBC share", format_php(summary.obc_share), border=True)

matrix_tab, heat_tab, late_tab = st.tabs(["Matrix", "Category × sector", "Overdue milestones"])
with matrix_tab:
    view = as_float(matrix, "estimated_cost", "allocation", "obc_share")
    view = view.assign(
        milestones=view["milestones_done"].astype(str) + " of " + view["milestones_total"]
        .astype(str),
        late=view["overdue"].map(lambda n: f"⚠ {n} overdue" if n else ""),
    )
    st.dataframe(
        view, hide_index=True, width="stretch", placeholder="—",
        column_order=["reference_number", "title", "category", "status", "region",
                      "estimated_cost", "ppas", "allocation", "obc_share", "funding",
                      "milestones", "late"],
        column_config={
            "reference_number": "Reference",
            "title": st.column_config.TextColumn("Recommendation", width="medium"),
            "category": "Category", "status": "Status", "region": "Region",
            "estimated_cost": widgets.money("Estimated cost"),
            "ppas": widgets.count("PPAs", help="Implementing PPAs (rejected ones left out)."),
            "allocation": widgets.money("Allocation"),
            "obc_share": widgets.money("OBC share"),
            "funding": "Funding",
            "milestones": st.column_config.TextColumn(
                "Milestones done", help="Completed of all milestones, cancelled ones left out."),
            "late": "Overdue",
        },
    )

with heat_tab:
    cells = eq.policy_heatmap(url, category, status, region)
    if cells.empty:
        widgets.empty_state(
            "No implementing PPA is linked to these recommendations yet, so there is nothing "
            "to map. Planners link PPAs to the recommendations they carry out.")
    else:
        measure = st.radio("Value shown", list(MEASURES), horizontal=True, key="pm_measure")
        column, title, fmt = MEASURES[measure]
        data = as_float(cells, "allocation", "obc_share")
        heat = alt.Chart(data).mark_rect(stroke="white").encode(
            x=alt.X("sector:N", title="PPA sector", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("category:N", title="Policy category", axis=alt.Axis(labelLimit=220)),
            color=alt.Color(f"{column}:Q", title=title, scale=alt.Scale(scheme="greens")),
            tooltip=[alt.Tooltip("category:N", title="Policy category"),
                     alt.Tooltip("sector:N", title="PPA sector"),
                     alt.Tooltip("ppas:Q", title="PPAs", format=",d"),
                     alt.Tooltip("allocation:Q", title="Allocation (₱)", format=",.2f"),
                     alt.Tooltip("obc_share:Q", title="OBC share (₱)", format=",.2f")],
        )
        st.altair_chart(heat.properties(height=alt.Step(44)), width="stretch")
        st.caption(f"Colour: {measure.lower()} of the implementing PPAs in each cell. A PPA "
                   "that implements several recommendations of one category counts once there.")

with late_tab:
    late = eq.overdue_milestones(url, category, status, region, today)
    if late.empty:
        st.success("No milestone of these recommendations is overdue.")
    else:
        st.dataframe(late, hide_index=True, width="stretch", placeholder="—", column_order=[
            "reference_number", "sequence", "milestone", "target_date", "days_overdue", "status",
            "progress", "responsible_party", "policy"], column_config={
            "reference_number": "Reference",
            "policy": st.column_config.TextColumn("Recommendation", width="large"),
            "sequence": widgets.count("Step"), "milestone": "Milestone",
            "target_date": st.column_config.DateColumn("Target date", format="YYYY-MM-DD"),
            "status": "Status",
            "progress": st.column_config.NumberColumn("Progress", format="%d%%"),
            "responsible_party": "Responsible", "days_overdue": widgets.count("Days overdue"),
        })

st.markdown("**Download the matrix** (the rows above, with these filters)")
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button("Download xlsx", data=lambda: pm.matrix_xlsx(matrix, filters, today),
                   file_name=f"policy-budget-matrix-{today:%Y%m%d}.xlsx", mime=XLSX_MIME,
                   key="pm_xlsx", on_click="ignore", icon=":material/download:")
d2.download_button("Download csv", data=lambda: pm.matrix_csv(matrix),
                   file_name=f"policy-budget-matrix-{today:%Y%m%d}.csv", mime=CSV_MIME,
                   key="pm_csv", on_click="ignore", icon=":material/download:")
