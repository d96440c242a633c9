"""PB cycles: open, change, import, export and delete participatory budgeting cycles, and send
the milestone e-mails (planners, budget officers and administrators)."""

import streamlit as st

from workbench import pb_cycle_views as panels
from workbench import pb_queries as pq
from workbench import pb_views as v
from workbench import session, widgets

TABS = ("Cycle", "Change settings", "New cycle", "Import a .pb file", "Milestone e-mails")

role = session.require("pb_cycles")
url = session.database_url()
db = session.database(url)
me = session.actor(db)

st.title("Participatory budgeting cycles")
st.caption("A cycle puts community projects to a vote: an envelope in pesos, a voting window, a "
           "ballot format and a counting rule. Once voting opens, whatever changes the count is "
           "frozen.")
v.show_flash(panels.PAGE)
summaries = pq.cycles(url)
if summaries:
    panels.cycle_table(summaries)
else:
    widgets.empty_state("No cycle yet. Open one under “New cycle” (projects come from community "
                        "needs) or import a pabulib .pb file.")

tabs = st.tabs(list(TABS), key="pbc_tab", on_change="rerun")
for name, tab in zip(TABS, tabs, strict=True):
    with tab:
        if not tab.open:
            continue
        if name in TABS[:2] and not summaries:
            st.caption("There is no cycle to show yet.")
        elif name == "Cycle":
            panels.details(db, url, panels.chosen(url, summaries), me)
        elif name == "Change settings":
            panels.change(db, url, panels.chosen(url, summaries), me)
        elif name == "New cycle":
            panels.create(db, url, me)
        elif name == "Import a .pb file":
            panels.import_file(db, me)
        else:
            panels.emails(db, role)
