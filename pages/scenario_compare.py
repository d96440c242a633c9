"""Compare scenarios: two to four scenarios of a fiscal year side by side."""

import altair as alt
import pandas as pd
import streamlit as st

from obcms_core.domain.enums import ScenarioStatus
from obcms_core.domain.errors import DomainError
from obcms_core.domain.money import format_php
from workbench import queries, session, widgets
from workbench import scenario_widgets as sw

# Teal first (the workbench's colour), then hues told apart by most colour-blind readers.
PALETTE = ["#1F6F5C", "#D9822B", "#6C4FA3", "#3B7DD8"]


session.require("scenario_compare")
url = session.database_url()

st.title("Compare scenarios")
st.caption("Totals, impact and where the money goes, side by side, for two to four scenarios "
           "of the same fiscal year.")
cards = queries.scenario_list(url, None)
if cards.empty:
    widgets.empty_state("No scenario yet. Budget officers create them on the Scenarios page.")
    st.stop()
chosen, in_year = sw.pick_for_comparison(cards)
if len(chosen) < 2:
    widgets.empty_state("Choose at least two scenarios of this fiscal year"
                        + (": it has only one so far." if in_year < 2 else "."))
    st.stop()
try:
    result = queries.scenario_comparison(url, tuple(chosen))
except DomainError as exc:
    st.error(str(exc))
    st.stop()

summary = result.summary.set_index("scenario")
rows = {
    "Status": summary["status"].map(lambda s: ScenarioStatus(s).label),
    "Envelope": summary["envelope"].map(format_php),
    "Allocated": summary["total"].map(format_php),
    "Constraints broken": summary["violations"].map("{:,}".format),
}
for key, (label, _help, show, _change) in sw.FIGURES.items():
    rows[label] = summary[key].map(lambda v, show=show: "—" if pd.isna(v) else show(v))
st.subheader("Totals and impact")
st.dataframe(pd.DataFrame(rows).T.rename_axis("Figure").reset_index(), hide_index=True,
             width="stretch", column_config={"Figure": st.column_config.TextColumn(pinned=True)})
order = list(summary.index)
colours = alt.Scale(domain=order, range=PALETTE[: len(order)])
legend = alt.Legend(orient="bottom", columns=1, labelLimit=360, title=None)
people, needs = st.columns(2)
for column, key in ((people, "population_served"), (needs, "needs_addressed")):
    label = sw.FIGURES[key][0]
    column.altair_chart(
        alt.Chart(summary.reset_index()).mark_bar().encode(
            x=alt.X(f"{key}:Q", title=label), y=alt.Y("scenario:N", sort=order, axis=None),
            color=alt.Color("scenario:N", scale=colours, legend=legend),
            tooltip=[alt.Tooltip("scenario:N", title="Scenario"),
                     alt.Tooltip(f"{key}:Q", title=label, format=",.1f")],
        ).properties(height=alt.Step(22), title=label),
        width="stretch",
    )

st.subheader("Where the money goes")
dim = st.radio("By", ["sector", "moa", "region"], key="cmp_dim", horizontal=True,
               format_func={"sector": "Sector", "moa": "MOA", "region": "Region"}.get)
table = result.by_dimension[dim].rename(index=sw.labeller(dim))
long = table.rename_axis("group").reset_index().melt("group", var_name="scenario",
                                                     value_name="amount")
millions = "format(datum.value / 1e6, ',.0f') + ' M'"
chart = alt.Chart(long).mark_bar().encode(
    y=alt.Y("group:N", title=None, axis=alt.Axis(labelLimit=160)),
    yOffset=alt.YOffset("scenario:N", sort=order),
    x=alt.X("amount:Q", title="Allocation (₱)", axis=alt.Axis(labelExpr=millions)),
    color=alt.Color("scenario:N", scale=colours, legend=legend),
    tooltip=[alt.Tooltip("group:N", title=sw.DIMENSIONS.get(dim, "Region")),
             alt.Tooltip("scenario:N", title="Scenario"),
             alt.Tooltip("amount:Q", title="₱", format=",.2f")],
).properties(height=alt.Step(12))
st.altair_chart(chart, width="stretch")
base = table.columns[0]
st.caption(f"Changes are against the first scenario chosen, “{base}”.")
changes = {f"Change: {c}": table[c] - table[base] for c in table.columns[1:]}
st.dataframe(table.assign(**changes).rename_axis(sw.DIMENSIONS.get(dim, "Region")),
             width="stretch", column_config={**{c: widgets.money(c) for c in table.columns},
                                             **{c: sw.change(c) for c in changes}})

st.subheader("PPAs that differ most")
top = result.top_differences
if top.empty:
    widgets.empty_state("The chosen scenarios give every PPA the same amount.")
else:
    st.dataframe(top, hide_index=True, width="stretch",
                 column_order=["code", "title", *table.columns, "spread"],
                 column_config={"code": "Code", "title": st.column_config.TextColumn("PPA"),
                                "spread": widgets.money("Largest difference"),
                                **{c: widgets.money(c) for c in table.columns}})
