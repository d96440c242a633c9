"""Gap analysis: validated or prioritized needs no PPA funds yet, where they are, what they cost."""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from obcms_core.domain.enums import NeedSector, NeedStatus, Urgency
from obcms_core.domain.errors import DomainError
from obcms_core.domain.money import format_php
from obcms_core.services.dashboards.filters import DashboardFilters
from obcms_core.services.dashboards.gap_actions import can_act, forward_need, link_need_to_ppa
from obcms_core.services.dashboards.gaps import IN_SCOPE
from obcms_core.services.dashboards.xlsx import CSV_MIME, XLSX_MIME
from obcms_core.ui_support import as_float
from workbench import dashboard_charts as charts
from workbench import dashboard_queries as dq
from workbench import queries, session, widgets

PER_PAGE = 25
PAGE_KEY = "gap_page"
DONE, REFUSED = "gap_done", "gap_refused"

role = session.require("gap_analysis")
url = session.database_url()
db = session.database(url)
me = session.actor(db) if can_act(role) else None


def reset(*keys: str) -> None:
    """A filter changed: forget the filters that depend on it and go back to page 1."""
    for key in (*keys, PAGE_KEY):
        st.session_state.pop(key, None)


def keep_valid(key: str, options: list[object]) -> None:
    """Drop a choice the narrower lists no longer offer (its region or sector changed)."""
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)


def pick(column: DeltaGenerator, label: str, key: str, options: Sequence[Any], every: str,
         names: Callable[[Any], str] = str, dependants: tuple[str, ...] = ()) -> Any:
    """A filter list whose first choice, None, means "all"."""
    keep_valid(key, [None, *options])
    return column.selectbox(label, [None, *options], key=key, on_change=reset, args=dependants,
                            format_func=widgets.or_all(every, names))


st.title("Gap analysis")
st.caption(
    "Validated or prioritized community needs that no PPA funds yet: how many, who they affect, "
    "what they would cost and where. A need counts as funded once a PPA (not a rejected one) "
    "of the chosen fiscal year or an earlier one is linked to it."
)

years = queries.fiscal_years(url)
region_names = dict(dq.regions(url))
with st.container(border=True):
    # Wider lists for the long names (regions, "All cities and municipalities").
    row1, row2 = st.columns([0.8, 1.2, 1.1, 1.4]), st.columns(5)
    year_options: list[int | None] = [*years] or [None]
    fiscal_year: int | None = row1[0].selectbox(
        "Fiscal year", year_options, key="gap_fy", on_change=reset,
        format_func=widgets.or_all("All years"),
        help="PPAs of this year or earlier count as funding; needs recorded after it are left out.")
    region = pick(row1[1], "Region", "gap_region", list(region_names), "All regions",
                  lambda code: region_names[code].removeprefix("Region "),
                  ("gap_province", "gap_municipality"))
    province_names = dict(dq.provinces(url, region))
    province = pick(row1[2], "Province", "gap_province", list(province_names), "All provinces",
                    province_names.__getitem__, ("gap_municipality",))
    town_names = dict(dq.municipalities(url, region, province))
    town = pick(row1[3], "City / municipality", "gap_municipality", list(town_names),
                "All cities and municipalities", town_names.__getitem__)
    sector = pick(row2[0], "Sector", "gap_sector", dq.sectors(url), "All sectors",
                  lambda v: NeedSector(v).label, ("gap_category",))
    category_names = dict(dq.categories(url, sector))
    category = pick(row2[1], "Category", "gap_category", list(category_names), "All categories",
                    category_names.__getitem__)
    urgency = pick(row2[2], "Urgency", "gap_urgency", [u.value for u in Urgency], "All urgencies",
                   lambda v: Urgency(v).label)
    status = pick(row2[3], "Status", "gap_status", [s.value for s in IN_SCOPE],
                  "Both statuses", lambda v: NeedStatus(v).label)
    min_score = row2[4].number_input(
        "Minimum priority score", min_value=0.0, max_value=999.0, value=0.0, step=0.5,
        key="gap_min_score", on_change=reset, help="Only needs scoring at least this; 0 shows all.")

try:
    chosen = DashboardFilters(
        region_code=region, province_id=province, municipality_id=town, sector=sector,
        category_id=category, urgency=urgency, status=status, fiscal_year=fiscal_year,
        min_priority=Decimal(str(min_score)) if min_score else None,
    )
except DomainError as exc:
    st.error(str(exc))
    st.stop()

fig = dq.gap_figures(url, chosen)
s = fig.summary
year_words = f"FY {fiscal_year} or earlier" if fiscal_year else "any fiscal year"
year_cycles = f"FY {fiscal_year}" if fiscal_year else "every year's"
c1, c2 = st.columns(2)
c3, c4 = st.columns(2)
c1.metric("Unfunded needs", f"{s.unfunded_needs:,}", border=True,
          help=f"Of the {s.needs_in_scope:,} validated or prioritized needs these filters select, "
               f"those that no PPA of {year_words} funds.")
c2.metric("People affected", f"{s.affected_population:,}", border=True,
          help="People affected by the unfunded needs, as recorded with each need.")
c3.metric("Estimated cost", format_php(s.unfunded_cost), border=True,
          help="Estimated cost of the unfunded needs"
               + (f"; {s.uncosted_needs:,} of them have no estimate yet and add nothing."
                  if s.uncosted_needs else "."))
c4.metric("Share of needs funded", "—" if s.funded_share is None else f"{s.funded_share:.1%}",
          border=True, help=f"{s.funded_needs:,} of the {s.needs_in_scope:,} validated or "
                            "prioritized needs these filters select have a funding PPA.")


def flash() -> None:
    if done := st.session_state.pop(DONE, None):
        st.success(done)
    if refused := st.session_state.pop(REFUSED, None):
        st.error(refused)


def show_charts() -> None:
    st.subheader("Unfunded cost by region and sector")
    st.altair_chart(charts.region_sector(fig.by_region_sector), width="stretch",
                    alt="Bar chart: unfunded cost per region, split by need sector.")
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Urgency mix")
        st.altair_chart(charts.urgency(fig.by_urgency), width="stretch",
                        alt="Bar chart: number of unfunded needs per urgency.")
    with right:
        st.subheader("Unfunded cost per OBC resident")
        if fig.per_resident.empty:
            widgets.empty_state("No unfunded need here has a cost estimate yet.")
        else:
            st.altair_chart(charts.per_resident(fig.per_resident), width="stretch",
                            alt="Bar chart: top cities and municipalities by unfunded cost "
                                "per OBC resident.")
            st.caption("Top 10: unfunded cost ÷ the OBC population of all the place's "
                       "communities.")


def show_table() -> pd.DataFrame:
    st.subheader("Unfunded needs, highest priority first")
    tag = f"FY{fiscal_year}" if fiscal_year else "all-years"
    downloads = st.container(horizontal=True)
    downloads.download_button(
        "Download xlsx", data=lambda: dq.unfunded_download(url, chosen, "xlsx"),
        file_name=f"unfunded-needs-{tag}.xlsx", mime=XLSX_MIME, key="gap_dl_xlsx",
        on_click="ignore", icon=":material/download:",
        help="Every need these filters select, as a readable Excel sheet.")
    downloads.download_button(
        "Download csv", data=lambda: dq.unfunded_download(url, chosen, "csv"),
        file_name=f"unfunded-needs-{tag}.csv", mime=CSV_MIME, key="gap_dl_csv",
        on_click="ignore", icon=":material/download:",
        help="The same rows as plain CSV, for other tools.")
    rows = widgets.paged(PAGE_KEY, PER_PAGE,
                         lambda offset: dq.unfunded_page(url, chosen, PER_PAGE, offset),
                         lambda _rows: s.unfunded_needs)
    table = as_float(rows, "estimated_cost", "priority_score")
    st.dataframe(
        table.assign(place=table["barangay"] + ", " + table["municipality"],
                     province=table["province"] + " (" + table["region"] + ")"),
        hide_index=True, width="stretch", height="content", placeholder="—",
        # What a budget officer weighs first (cost, votes, people, urgency) before the places.
        column_order=["priority_score", "need_id", "title", "estimated_cost", "votes",
                      "affected_population", "urgency", "community", "place", "province",
                      "category", "status", "forwarded_to"],
        column_config={
            "priority_score": st.column_config.NumberColumn(
                "Priority", format="%.2f", help="Higher means more urgent, severe and feasible."),
            "need_id": st.column_config.NumberColumn("ID", format="%d"),
            "title": st.column_config.TextColumn("Need", width="large"),
            "community": "Community",
            "place": "Barangay, city / municipality",
            "province": "Province (region)",
            "category": "Category", "urgency": "Urgency", "status": "Status",
            "affected_population": widgets.count("People"),
            "estimated_cost": st.column_config.NumberColumn(
                "Estimated cost", format=widgets.PESO_FORMAT, width=130),
            "votes": widgets.count("Votes", f"Ballots that chose the need in {year_cycles} "
                                   "participatory budgeting; empty when it was on no ballot."),
            "forwarded_to": st.column_config.TextColumn(
                "Forwarded to", help="The MOA the need was sent to, if any."),
        },
    )
    widgets.pager(PAGE_KEY, s.unfunded_needs, PER_PAGE)
    return rows


def forward(need_id: int) -> None:
    moa = st.session_state.get("gap_forward_moa")
    if moa is None or me is None:
        st.session_state[REFUSED] = "Choose the MOA to send the need to, then press Forward to MOA."
        return
    try:
        with db.uow() as uow:
            name = forward_need(uow, need_id, moa, me)
            uow.commit()
    except DomainError as exc:
        st.session_state[REFUSED] = str(exc)
    else:
        dq.after_write()
        st.session_state[DONE] = f"Need #{need_id} forwarded to {name}."
        st.session_state.pop("gap_forward_moa", None)


def link(need_id: int, year: int) -> None:
    ppa = st.session_state.get("gap_link_ppa")
    if ppa is None or me is None:
        st.session_state[REFUSED] = "Choose the PPA that funds the need, then press Link to PPA."
        return
    share = Decimal(int(st.session_state.get("gap_link_share", 100))) / 100
    try:
        with db.uow() as uow:
            code = link_need_to_ppa(uow, need_id, ppa, me, fiscal_year=year, share=share)
            uow.commit()
    except DomainError as exc:
        st.session_state[REFUSED] = str(exc)
    else:
        dq.after_write()
        st.session_state[DONE] = f"Need #{need_id} linked to {code}: it now counts as funded."
        st.session_state.pop("gap_link_ppa", None)


def show_actions(rows: pd.DataFrame) -> None:
    st.subheader("Act on a need")
    flash()
    if me is None:
        st.caption("Planners, budget officers and administrators forward these needs to MOAs "
                   "and link them to PPAs.")
        return
    titles = {int(i): str(t) for i, t in zip(rows["need_id"], rows["title"], strict=True)}
    keep_valid("gap_act_need", list(titles))
    need_id = st.selectbox("Need (from the table page above)", list(titles), key="gap_act_need",
                           format_func=lambda i: f"#{i} — {titles[i]}")
    left, right = st.columns(2, gap="large")
    with left.form("gap_forward_form"):
        st.markdown("**Forward to a MOA**")
        moa_names = dict(dq.moas(url))
        st.selectbox("MOA", list(moa_names), index=None, key="gap_forward_moa",
                     format_func=moa_names.__getitem__, placeholder="Choose a MOA")
        st.form_submit_button("Forward to MOA", key="gap_forward", on_click=forward,
                              args=(need_id,))
    with right:
        if fiscal_year is None:
            st.caption("Choose a fiscal year above to link needs to that year's PPAs.")
            return
        ppa_names = dict(dq.link_choices(url, fiscal_year, need_id))
        if not ppa_names:
            widgets.empty_state(f"FY {fiscal_year} has no PPA to link to yet.")
            return
        with st.form("gap_link_form"):
            st.markdown(f"**Link to a PPA of FY {fiscal_year}**")
            st.selectbox("PPA (those covering the need's region first)", list(ppa_names),
                         index=None, key="gap_link_ppa", format_func=ppa_names.__getitem__,
                         placeholder="Choose a PPA")
            st.number_input("Share of the need it covers (%)", min_value=1, max_value=100,
                            value=100, step=5, key="gap_link_share")
            st.form_submit_button("Link to PPA", key="gap_link", on_click=link,
                                  args=(need_id, fiscal_year))


if s.needs_in_scope == 0:
    widgets.empty_state(
        "No validated or prioritized need matches these filters. Choose “All” in a filter, "
        "lower the minimum priority score or pick a later fiscal year." if chosen.narrows_needs
        else "No validated or prioritized needs yet. Needs appear here once they are validated; "
        "analysts import them, or run `python -m obcms_core seed-demo` for demonstration data."
    )
elif s.unfunded_needs == 0:
    flash()
    st.success(f"Every one of the {s.needs_in_scope:,} validated or prioritized needs these "
               f"filters select has a funding PPA of {year_words}. No gap here.")
else:
    show_charts()
    show_actions(show_table())

st.subheader("Top community priorities")
voted = dq.community_priorities(url, chosen, 10)
if voted.ballots == 0:
    widgets.empty_state(f"No community votes yet in {year_cycles} participatory budgeting: this "
                        "list appears once a cycle has votes. It will show the needs community "
                        "members voted for most.")
elif voted.table.empty:
    widgets.empty_state(f"No need in these places or categories got a vote in {year_cycles} "
                        f"participatory budgeting ({voted.ballots:,} ballots in all). Choose "
                        "“All” in the place, sector or category filters to see the most voted "
                        "needs.")
else:
    st.caption(f"The needs community members chose most on {year_cycles} participatory-budgeting "
               f"ballots ({voted.ballots:,} ballots), in the places, sectors and categories "
               "chosen above. Urgency, status and priority score do not apply: votes stand "
               "whatever the office's triage.")
    st.dataframe(
        voted.table, hide_index=True, width="stretch",
        column_order=["votes", "need_id", "title", "community", "municipality"],
        column_config={
            "votes": widgets.count("Votes", "Ballots that chose the need."),
            "title": st.column_config.TextColumn("Need", width=340),
            "community": "Community", "municipality": "City / municipality",
            "need_id": st.column_config.NumberColumn("ID", format="%d"),
        },
    )
