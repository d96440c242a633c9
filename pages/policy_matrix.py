"""Policy–budget matrix: each policy recommendation against the PPAs and money that carry it out."""

import altair as alt
import pandas as pd
import streamlit as st

from obcms_core.domain.enums import PolicyCategory, PolicyStatus
from obcms_core.domain.money import format_php
from obcms_core.services.dashboards import policy_matrix as pm
from obcms_core.services.dashboards.xlsx import CSV_MIME, XLSX_MIME
from obcms_core.ui_support import as_float
from workbench import evidence_queries as eq
from workbench import queries, session, widgets

# heat-map value -> (column, legend title, legend labels (Vega expression), caption words)
PESO_MILLIONS = "'₱' + format(datum.value / 1e6, ',.0f') + 'M'"
MEASURES = {
    "OBC share (₱)": ("obc_share", "OBC share", PESO_MILLIONS,
                      "the OBC share of the implementing PPAs (₱M: millions of pesos)"),
    "Allocation (₱)": ("allocation", "Allocation", PESO_MILLIONS,
                       "the allocation of the implementing PPAs (₱M: millions of pesos)"),
    "Implementing PPAs": ("ppas", "PPAs", "format(datum.value, ',d')",
                          "the number of implementing PPAs"),
}


def two_lines(label: str) -> str:
    """A long name split in two near its middle ('|' marks the break) for a narrow axis."""
    words = label.split()
    if len(label) <= 14 or len(words) < 2:
        return label
    cut = min(range(1, len(words)),
              key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:cut]) + "|" + " ".join(words[cut:])


def heatmap(data: pd.DataFrame, column: str, title: str, labels: str) -> alt.Chart:
    """Policy category × PPA sector, coloured by `column`; readable from 400 px wide up.

    Category names wrap onto lines and sector names slant, so that the cells keep their width
    on a phone; the legend sits below the map for the same reason.
    """
    rows = data.assign(row=data["category"].map(two_lines))
    return alt.Chart(rows).mark_rect(stroke="white").encode(
        x=alt.X("sector:N", title="PPA sector",
                axis=alt.Axis(labelAngle=-40, labelAlign="right", labelOverlap=False)),
        y=alt.Y("row:N", title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=130)),
        # the lightest quarter of the scheme is left out, so a small value is still visible
        color=alt.Color(
            f"{column}:Q", title=title,
            scale=alt.Scale(scheme=alt.SchemeParams("greens", extent=[0.25, 1])),
            legend=alt.Legend(orient="bottom", labelExpr=labels, gradientLength=180,
                              titleOrient="left", labelOverlap=True)),
        tooltip=[alt.Tooltip("category:N", title="Policy category"),
                 alt.Tooltip("sector:N", title="PPA sector"),
                 alt.Tooltip("ppas:Q", title="PPAs", format=",d"),
                 alt.Tooltip("allocation:Q", title="Allocation (₱)", format=",.2f"),
                 alt.Tooltip("obc_share:Q", title="OBC share (₱)", format=",.2f")],
    ).properties(height=alt.Step(46), title=alt.TitleParams(
        "Policy category (rows) × PPA sector (columns)", anchor="start", fontSize=13))


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
        # money and progress first: category, status and region are also the filters above
        column_order=["reference_number", "title", "funding", "estimated_cost", "obc_share",
                      "allocation", "ppas", "milestones", "late", "category", "status",
                      "region"],
        column_config={
            "reference_number": st.column_config.TextColumn("Reference", pinned=True),
            "title": st.column_config.TextColumn("Recommendation", width=260),
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
        column, title, labels, words = MEASURES[measure]
        st.altair_chart(heatmap(as_float(cells, "allocation", "obc_share"), column, title,
                                labels), width="stretch")
        st.caption(f"Colour: {words} in each cell, darker is more; white: none. A PPA that "
                   "implements several recommendations of one category counts once there. "
                   "Tap or hover over a cell for its figures.")

with late_tab:
    late = eq.overdue_milestones(url, category, status, region, today)
    if late.empty:
        st.success("No milestone of these recommendations is overdue.")
    else:
        st.dataframe(late, hide_index=True, width="stretch", placeholder="—", column_order=[
            "reference_number", "sequence", "milestone", "target_date", "days_overdue", "status",
            "progress", "responsible_party", "policy"], column_config={
            "reference_number": st.column_config.TextColumn("Reference", pinned=True),
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
