"""PPA register: programs, projects and activities by fiscal year, MOA and approval status."""

import streamlit as st

from obcms_core.domain.enums import ApprovalStatus
from obcms_core.domain.money import format_php
from obcms_core.ui_support import as_float, showing
from workbench import queries, session, widgets

PER_PAGE = 50
PAGE_KEY = "register_page"

session.require("ppa_register")
url = session.database_url()

st.title("PPA register")
st.caption("Every PPA with its ceiling, allocation and OBC share. Totals cover all matching PPAs.")

years = queries.fiscal_years(url)
moas = dict(queries.implementing_moas(url))
f1, f2, f3, f4 = st.columns([1, 2, 1, 2])
reset = {"on_change": widgets.reset_page, "args": (PAGE_KEY,)}
fiscal_year = f1.selectbox("Fiscal year", [None, *years], index=1 if years else 0,
                           key="register_fy", format_func=widgets.or_all("All years"), **reset)
moa = f2.selectbox("Implementing MOA", [None, *moas], key="register_moa",
                   format_func=widgets.or_all("All MOAs", moas.__getitem__), **reset)
status = f3.selectbox("Approval status", [None, *(s.value for s in ApprovalStatus)],
                      key="register_status", **reset,
                      format_func=widgets.or_all("All statuses", lambda v: ApprovalStatus(v).label))
search = f4.text_input("Search code or title", key="register_search", **reset)

result = widgets.paged(
    PAGE_KEY, PER_PAGE,
    lambda offset: queries.ppa_register(url, fiscal_year, moa, status, search.strip(),
                                        PER_PAGE, offset),
    lambda page: page.totals.ppas,
)
totals = result.totals
m1, m2 = st.columns(2)  # two by two: totals in the billions show in full
m3, m4 = st.columns(2)
m1.metric("PPAs", f"{totals.ppas:,}", border=True)
m2.metric("Budget ceiling", format_php(totals.ceiling), border=True)
m3.metric("Allocation", format_php(totals.allocation), border=True)
m4.metric("OBC share", format_php(totals.obc_share), border=True,
          help="The part of the allocations that reaches Bangsamoro communities.")

if totals.ppas == 0:
    widgets.empty_state(
        "No PPA matches these filters. Choose another fiscal year or “All” in a filter."
        if (fiscal_year or moa or status or search) else
        "No PPAs yet. Load the GAAB baseline with `python -m obcms_core load-reference`."
    )
    st.stop()

st.caption(showing(int(st.session_state.get(PAGE_KEY, 1)), PER_PAGE, totals.ppas, "PPAs"))
st.dataframe(
    as_float(result.rows, "budget_ceiling", "budget_allocation", "obc_allocation"),
    hide_index=True,
    width="stretch",
    height="content",
    placeholder="—",
    column_order=["code", "title", "moa", "fiscal_year", "approval_status", "appropriation_class",
                  "budget_ceiling", "budget_allocation", "obc_allocation"],
    column_config={
        "code": "Code",
        "title": st.column_config.TextColumn("PPA", width="large"),
        "moa": "MOA",
        "fiscal_year": st.column_config.NumberColumn("FY", format="%d"),
        "approval_status": "Approval status",
        "appropriation_class": "Class",
        "budget_ceiling": widgets.money("Ceiling"),
        "budget_allocation": widgets.money("Allocation"),
        "obc_allocation": widgets.money("OBC share"),
    },
)
widgets.pager(PAGE_KEY, totals.ppas, PER_PAGE)
