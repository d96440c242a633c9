"""Scenarios: a fiscal year's budget scenarios, and copying the baseline or a scenario."""

import streamlit as st

from obcms_core.domain.errors import DomainError
from obcms_core.services.scenarios.store import EDITORS, create_scenario
from obcms_core.ui_support import as_float, manila_time
from workbench import queries, session, widgets
from workbench import scenario_widgets as sw

BUILDER = "pages/scenario_builder.py"
BASES = {"baseline": "The baseline", "scenario": "A scenario", "optimiser": "An optimiser run"}

role = session.require("scenarios")
url = session.database_url()
db = session.database(url)

st.title("Scenarios")
st.caption("“What if” budgets for a fiscal year: draft → under review → approved → archived. "
           "Each starts as a copy of the baseline (the PPAs' current allocations) or of "
           "another scenario.")
sw.show_flash()
years = queries.fiscal_years(url)
if not years:
    widgets.empty_state("No PPAs yet, so there is nothing to budget. Load the GAAB baseline with "
                        "`python -m obcms_core load-reference`.")
    st.stop()
current = st.session_state.get(sw.CURRENT)
cards = queries.scenario_list(url, None)
mine = cards.loc[cards["id"] == current, "fiscal_year"] if current is not None else []
fiscal_year = st.columns([1, 3])[0].selectbox("Fiscal year", years, key="sc_list_fy",
                           index=years.index(int(mine.iloc[0])) if len(mine) else 0)
listed = queries.scenario_list(url, fiscal_year)

if listed.empty:
    widgets.empty_state(
        f"No scenario for FY {fiscal_year} yet. Create one below: copy the baseline, then "
        "adjust it in the scenario builder." if role in EDITORS else
        f"No scenario for FY {fiscal_year} yet. Budget officers create them; "
        "they will be listed here."
    )
else:
    st.dataframe(
        as_float(listed, "envelope", "allocated").assign(
            updated_at=manila_time(listed["updated_at"]), basis=listed["basis"].map(BASES)),
        hide_index=True, width="stretch",
        column_order=["name", "status", "envelope", "allocated", "basis", "author", "updated_at"],
        column_config={
            "name": st.column_config.TextColumn("Scenario", width="large"), "status": "Status",
            "envelope": widgets.money("Envelope"), "allocated": widgets.money("Allocated"),
            "basis": "Copied from", "author": "Author",
            "updated_at": st.column_config.DatetimeColumn("Changed (PHT)",
                                                          format="YYYY-MM-DD HH:mm"),
        },
    )
    names = {int(r.id): r.name for r in listed.itertuples()}
    pick, go = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick.selectbox("Scenario to open", list(names), format_func=names.get,
                            key="sc_open_pick",
                            index=list(names).index(current) if current in names else 0)
    if go.button("Open in the builder", key="sc_open", type="primary", width="stretch"):
        st.session_state[sw.CURRENT] = chosen
        st.switch_page(BUILDER)

if role not in EDITORS:
    st.stop()
st.subheader("New scenario")
bases = {None: f"The FY {fiscal_year} baseline (current allocations)",
         **{int(r.id): f"Scenario “{r.name}”" for r in listed.itertuples()}}
with st.form("sc_create_form"):
    a, b = st.columns(2)
    name = a.text_input("Name", key="sc_new_name", max_chars=120,
                        placeholder="e.g. Health first, 10 % more for water")
    based_on = b.selectbox("Copy of", list(bases), key="sc_new_basis", format_func=bases.get)
    description = st.text_area("Description", key="sc_new_description", max_chars=2000,
                               placeholder="What this scenario tries, and for whom")
    envelope = a.text_input("Envelope (₱)", key="sc_new_envelope",
                            placeholder="Blank: the total of what you copy",
                            help="The most the scenario may allocate, e.g. 3,500,000,000.00.")
    if st.form_submit_button("Create the scenario", type="primary", key="sc_create"):
        try:
            with db.uow() as uow:
                new_id = create_scenario(
                    uow, session.actor(db), name=name, fiscal_year=fiscal_year,
                    envelope=sw.pesos(envelope, "Envelope"), based_on=based_on,
                    description=description.strip())
                uow.commit()
        except DomainError as exc:
            st.error(str(exc))
        else:
            queries.after_write()
            st.session_state[sw.CURRENT] = new_id
            sw.flash(f"Created “{name.strip()}”. Adjust it below; every change can be undone.")
            st.switch_page(BUILDER)
