"""Community needs summary: people, needs, funding and services per area, region → community."""

from collections.abc import Callable

import streamlit as st

from obcms_core.domain.money import format_php
from obcms_core.services.dashboards import needs_summary as ns
from obcms_core.services.dashboards.xlsx import CSV_MIME, XLSX_MIME
from obcms_core.ui_support import as_float
from workbench import evidence_queries as eq
from workbench import session, widgets

# Drill-down selectboxes, top down. Below the region, a box's key names the area it lists
# (ns_province_<region id>), so choosing another region starts its provinces afresh.
PICKS = {"region": "ns_region", "province": "ns_province", "municipality": "ns_municipality"}


def waiting_for(level: str) -> Callable[[object], str]:
    """The text of a drill-down box that waits for the level above it."""
    return lambda _: f"Choose a {level.lower()} first"


session.require("needs_summary")
url = session.database_url()

st.title("Community needs summary")
st.caption(
    "OBC communities' people, needs, funding and services, area by area. Choose a region, then "
    "a province, then a city or municipality: the tables list the areas inside your choice."
)

regions = eq.area_summary(url, "region", None)
if regions.empty:
    widgets.empty_state(
        "No OBC communities are recorded yet. Analysts import communities and their needs; "
        "`python -m obcms_core seed-demo` loads demonstration data.")
    st.stop()

level, parent, path = "region", None, []
summary = regions
columns = st.columns(3)
above: str | None = None  # the level still to choose, once a level is left at "All"
for (pick, key), column, child in zip(PICKS.items(), columns, ns.LEVELS[1:], strict=True):
    label = ns.LEVEL_NAMES[pick]
    if above is not None:
        column.selectbox(label, [None], key=f"{key}_wait", disabled=True,
                         format_func=waiting_for(above))
        continue
    names = {int(i): name for i, name in zip(summary["area_id"], summary["area"], strict=True)}
    chosen = column.selectbox(
        label, [None, *names], key=key if parent is None else f"{key}_{parent}",
        format_func=widgets.or_all(f"All — list each {label.lower()}", names.__getitem__))
    if chosen not in names:  # "All", or an area no longer listed
        above = label
        continue
    level, parent = child, int(chosen)
    path.append(names[chosen])
    summary = eq.area_summary(url, level, parent)

st.markdown("**Area:** " + " › ".join(["Regions IX–XII", *path]))
child_name = ns.LEVEL_NAMES[level].lower()
if summary.empty:
    widgets.empty_state(f"No {child_name} in {path[-1]} has an OBC community on record. "
                        "Choose another area above.")
    st.stop()

totals = ns.area_totals(summary)
share = totals["funded_share"]
m1, m2, m3 = st.columns(3)
m4, m5 = st.columns([2, 1])
m1.metric("OBC population", f"{totals['obc_population']:,}", border=True,
          help=f"In {totals['communities']:,} OBC communities.")
m2.metric("Needs", f"{totals['needs']:,}", border=True,
          help=f"{totals['open_needs']:,} still open (not completed). Rejected needs are left out.")
m3.metric("Funded share", "—" if share is None else f"{share:.1%}", border=True,
          help="Part of the open needs' estimated cost that linked PPAs cover.")
m4.metric("Unfunded cost of open needs", format_php(totals["unfunded_cost"]), border=True,
          help="Estimated cost of the open needs that no PPA covers.")
m5.metric("Services received", f"{totals['services_received']:,}", border=True,
          help="Approved service applications (approved, in progress or completed).")

money = ("open_cost", "funded_cost", "unfunded_cost", "unfunded_per_person")
view = as_float(summary, *money).assign(population=summary["population"].astype("Float64"))
# The area names stay in sight (pinned) while the figures scroll sideways on a narrow screen.
# The column is as wide as the longest name needs, up to 215 px: a table unpins columns that
# take more than 60 % of its width, and a phone's table is about 360 px wide.
longest = int(view["area"].str.len().max())
area_column = st.column_config.TextColumn(ns.LEVEL_NAMES[level], pinned=True,
                                          width=min(215, max(120, 24 + 7 * longest)))
st.subheader(f"By {child_name}")
st.dataframe(
    view, hide_index=True, width="stretch", placeholder="—",
    column_order=["area", "communities", "obc_population", "needs", "open_needs", "open_cost",
                  "funded_share", "unfunded_cost", "votes", "services_received",
                  "service_beneficiaries"],
    column_config={
        "area": area_column,
        "communities": widgets.count("Communities"),
        "obc_population": widgets.count("OBC population"),
        "needs": widgets.count("Needs", help="Recorded needs, rejected ones left out."),
        "open_needs": widgets.count("Open", help="Needs not yet completed."),
        "open_cost": widgets.money("Cost of open needs"),
        "funded_share": st.column_config.ProgressColumn(
            "Funded share", format="percent", min_value=0, max_value=1,
            help="Part of the open needs' cost that linked PPAs cover."),
        "unfunded_cost": widgets.money("Unfunded cost"),
        "votes": widgets.count(
            "Votes", help="Participatory budgeting votes for projects placed in the area."),
        "services_received": widgets.count("Services received"),
        "service_beneficiaries": widgets.count("People served"),
    },
)
st.caption(
    "Votes: participatory budgeting votes for projects placed in the area, one per project a "
    "ballot marks, over every cycle whose voting has opened (open and closed)."
    + ("" if totals["votes"] else " No vote has been cast for a project in these areas yet."))

st.subheader("Per capita comparison")
st.dataframe(
    view.sort_values("unfunded_per_person", ascending=False, na_position="last"),
    hide_index=True, width="stretch", placeholder="—",
    column_order=["area", "population", "obc_population", "obc_share_of_population",
                  "needs_per_1000", "unfunded_per_person", "services_per_1000"],
    column_config={
        "area": area_column,
        "population": st.column_config.NumberColumn("Population", format="%,d",
                                                    help="2024 census population."),
        "obc_population": widgets.count("OBC population"),
        "obc_share_of_population": st.column_config.NumberColumn(
            "OBC share of population", format="percent"),
        "needs_per_1000": st.column_config.NumberColumn("Needs per 1,000 OBC people",
                                                        format="%.2f"),
        "unfunded_per_person": widgets.money("Unfunded cost per OBC person"),
        "services_per_1000": st.column_config.NumberColumn("Services per 1,000 OBC people",
                                                           format="%.2f"),
    },
)
st.caption("Highest unfunded cost per OBC person first. Areas without an OBC population "
           "estimate show —.")

st.subheader("Needs by status and by category")
for by, tab in zip(("status", "category"), st.tabs(["By status", "By category"]), strict=True):
    breakdown = eq.needs_breakdown(url, level, parent, by)
    tab.dataframe(breakdown.drop(columns="area_id"), hide_index=True, width="stretch",
                  column_config={"area": area_column})

st.markdown("**Download this summary**")
d1, d2, _ = st.columns([1, 1, 4])
slug = "-".join(p.lower().replace(" ", "-") for p in path) or "regions"
d1.download_button("Download xlsx", data=lambda: ns.summary_xlsx(summary, path, level),
                   file_name=f"needs-summary-{slug}.xlsx", mime=XLSX_MIME, key="ns_xlsx",
                   on_click="ignore", icon=":material/download:")
d2.download_button("Download csv", data=lambda: ns.summary_csv(summary),
                   file_name=f"needs-summary-{slug}.csv", mime=CSV_MIME, key="ns_csv",
                   on_click="ignore", icon=":material/download:")
