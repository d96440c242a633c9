"""Scenario builder: one scenario's allocations, constraint check and impact, edited live."""

import streamlit as st

from obcms_core.domain.errors import DomainError
from obcms_core.services.scenarios.store import EDITORS
from workbench import queries, session, widgets
from workbench import scenario_forms as forms
from workbench import scenario_tools as tools
from workbench import scenario_widgets as sw

TABS_EDIT, TABS_READ = "sb_tab_edit", "sb_tab_read"

role = session.require("scenario_builder")
url = session.database_url()
db = session.database(url)
me = session.actor(db)

st.title("Scenario builder")
sw.show_flash()
scenario_id = sw.pick_scenario(url, "sb_pick")
if scenario_id is None:
    widgets.empty_state(
        "No scenario yet. Open **Scenarios** and create one: copy the fiscal year's baseline "
        "(its current allocations) or another scenario." if role in EDITORS else
        "No scenario yet. Budget officers create them; they will appear here to read."
    )
    st.stop()
try:
    card = queries.scenario_card(url, scenario_id)
    view = queries.scenario_view(url, scenario_id)
except DomainError as exc:
    st.error(str(exc))
    st.stop()

sw.about(card)
sw.status_buttons(db, me, card)
editable = sw.can_edit(role, str(card["status"]))
if role in EDITORS and not editable:
    st.info(f"This scenario is {sw.S(str(card['status'])).label.lower()}: only drafts can be "
            "edited. Copy it on the Scenarios page to make a new draft.", icon=":material/lock:")

sw.money_metrics(float(view.envelope), float(view.allocated))
st.subheader("Constraint check")
sw.violations(view.violations())
st.subheader("Impact")
votes_year = view.facts.votes_year
st.caption(f"Changes are against the FY {view.fiscal_year} baseline (the PPAs' current "
           "allocations). Needs, people and community votes count in proportion to each PPA's "
           "funded share."
           + (f" Community votes come from the FY {votes_year} participatory-budgeting cycles "
              f"(FY {view.fiscal_year} has none yet)."
              if votes_year not in (None, view.fiscal_year) else ""))
sw.impact_metrics(view.impact(), view.impact(view.table["baseline"].to_numpy(dtype=float)))

others = queries.scenario_list(url, view.fiscal_year)
others = {int(r.id): r.name for r in others.itertuples() if int(r.id) != view.id}
# Each tab remembers itself across the reruns that saving causes; only the open one is drawn.
if editable:
    tools_shown = {
        "Allocations": lambda: forms.allocation_editor(db, me, view),
        "Adjust and undo": lambda: forms.adjust_form(db, me, view),
        "Rebalance": lambda: tools.rebalance_panel(db, me, view),
        "Constraint settings": lambda: forms.settings_form(db, me, view),
        "Export and import": lambda: tools.export_import(db, me, view, others, True),
    }
else:
    tools_shown = {
        "Allocations": lambda: forms.allocation_table(view),
        "Constraint settings": lambda: forms.settings_in_words(view),
        "Export": lambda: tools.export_import(db, me, view, others, False),
    }
tabs = st.tabs(list(tools_shown), key=TABS_EDIT if editable else TABS_READ, on_change="rerun")
for tab, draw in zip(tabs, tools_shown.values(), strict=True):
    with tab:
        if tab.open:
            draw()
st.session_state.pop(sw.FLASH, None)  # a message for a tool no longer shown is not kept
