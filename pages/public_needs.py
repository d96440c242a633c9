"""Community needs: what any visitor may browse (no personal data), with filters and pages."""

import streamlit as st

from obcms_core.domain.enums import NeedStatus
from obcms_core.services.needs_public import PUBLIC_STATUSES
from obcms_core.ui_support import as_float, showing
from workbench import queries, session, widgets

PER_PAGE = 25
PAGE_KEY = "needs_page"

session.require("public_needs")
url = session.database_url()

st.title("Community needs")
st.caption(
    "Needs gathered from Bangsamoro communities in Regions IX–XII, highest priority first. "
    "Filter them, then page through the list."
)

regions = dict(queries.regions(url))
f1, f2, f3, f4 = st.columns([1, 1, 1, 2])
reset = {"on_change": widgets.reset_page, "args": (PAGE_KEY,)}
region = f1.selectbox("Region", [None, *regions], key="needs_region",
                      format_func=widgets.or_all("All regions", regions.__getitem__), **reset)
category = f2.selectbox("Category", [None, *queries.need_categories(url)], key="needs_category",
                        format_func=widgets.or_all("All categories"), **reset)
status = f3.selectbox("Status", [None, *(s.value for s in PUBLIC_STATUSES)], key="needs_status",
                      format_func=widgets.or_all("All statuses", lambda v: NeedStatus(v).label),
                      **reset)
search = f4.text_input("Search title or municipality", key="needs_search",
                       placeholder="e.g. water, Pagadian", **reset)

result = widgets.paged(
    PAGE_KEY, PER_PAGE,
    lambda offset: queries.browse_needs(url, region, category, status, search.strip(),
                                        PER_PAGE, offset),
    lambda page: page.total,
)
page_no = int(st.session_state.get(PAGE_KEY, 1))
if result.total == 0:
    widgets.empty_state(
        "No need matches these filters. Clear the search or choose “All” in a filter."
        if (region or category or status or search) else
        "No community needs have been recorded yet. Analysts add them by import."
    )
    st.stop()

st.caption(showing(page_no, PER_PAGE, result.total, "needs"))
rows = as_float(result.rows, "estimated_cost", "priority_score")
st.dataframe(
    rows.assign(place=rows["barangay"] + ", " + rows["municipality"],
                province=rows["province"] + " (" + rows["region"] + ")"),
    hide_index=True,
    width="stretch",
    height="content",  # the whole page of 25 rows, no scrolling inside the table
    placeholder="—",
    column_order=["title", "place", "province", "category", "status", "urgency",
                  "estimated_cost", "affected_population", "priority_score"],
    column_config={
        "title": st.column_config.TextColumn("Need", width="large"),
        "place": st.column_config.TextColumn("Barangay, city / municipality"),
        "province": st.column_config.TextColumn("Province (region)"),
        "category": "Category",
        "status": "Status",
        "urgency": "Urgency",
        "affected_population": widgets.count("People", help="People affected by the need."),
        "estimated_cost": widgets.money("Estimated cost"),
        "priority_score": st.column_config.NumberColumn(
            "Priority", format="%.2f", help="Higher means more urgent, severe and feasible."),
    },
)
widgets.pager(PAGE_KEY, result.total, PER_PAGE)
