"""Optimiser: the best allocation under a scenario's envelope and rules, explained."""

from typing import Any, cast

import streamlit as st

from obcms_core.domain.errors import DomainError
from obcms_core.services.scenarios.optimise import OptimiserSettings, apply_run, run_optimiser
from workbench import optimiser_views as ov
from workbench import queries, session, widgets
from workbench import scenario_widgets as sw

SOLVERS = {"highs": "HiGHS (exact, default)", "cbc": "CBC (exact)",
           "greedy": "Greedy (quick estimate)"}

session.require("optimiser")
url = session.database_url()
db = session.database(url)
me = session.actor(db)

st.title("Optimiser")
st.caption("Finds the allocation that scores best on what you value, within the scenario's "
           "envelope and constraint settings, and explains what it left out and why.")
sw.show_flash()
scenario_id = sw.pick_scenario(url, "opt_pick")
if scenario_id is None:
    widgets.empty_state("No scenario yet. Create one on the Scenarios page (copy the baseline), "
                        "then optimise it here.")
    st.stop()
try:
    card = queries.scenario_card(url, scenario_id)
    view = queries.scenario_view(url, scenario_id)
except DomainError as exc:
    st.error(str(exc))
    st.stop()
sw.about(card)
RUN = f"opt_run_{scenario_id}"  # the latest run of this scenario, in this session

with st.form("opt_form"):
    st.markdown("**What counts** (each weight from 0 to 1; only the ratios matter)")
    ov.weight_sliders(view)
    a, b, c = st.columns([2, 1, 1], vertical_alignment="bottom")
    a.radio("Solver", list(SOLVERS), key="opt_solver", format_func=SOLVERS.get, horizontal=True)
    b.number_input("Time limit (s)", 1, 600, 10, key="opt_time")
    c.checkbox("Keep locked amounts", True, key="opt_locks")
    pressed = st.form_submit_button("Run the optimiser", type="primary", key="opt_run")

if pressed:
    state = st.session_state
    solver = state["opt_solver"]
    with st.status(f"Optimising with {SOLVERS[solver]}…", expanded=True) as status:
        st.write("Reading the scenario, its PPAs, needs and regional coverage…")
        st.write(f"Solving (at most {state['opt_time']} s), then explaining the result…")
        try:
            settings = OptimiserSettings(
                weights=ov.chosen_weights(view),
                solver=solver, time_limit=float(state["opt_time"]),
                honour_locks=bool(state["opt_locks"]))
            with db.uow() as uow:
                st.session_state[RUN] = run_optimiser(uow, scenario_id, me, settings)
                uow.commit()
        except (DomainError, ValueError) as exc:
            status.update(label="The optimiser could not run", state="error")
            st.error(str(exc))
        else:
            queries.after_write()
            status.update(label="Optimisation finished", state="complete", expanded=False)

if RUN not in st.session_state:
    widgets.empty_state("Set the weights and press **Run the optimiser**.")
    st.stop()
run = cast(dict[str, Any], queries.optimiser_run(url, st.session_state[RUN]))
ov.run_summary(run)
result = run["result"]
if "amounts" not in result:
    st.stop()
ov.explanations(result, view.table[["code", "title", "moa"]])

st.subheader("Apply to a new scenario")
with st.form("opt_apply_form"):
    name = st.text_input("Name of the new draft", key=f"opt_name_{run['id']}", max_chars=120,
                         value=f"{card['name']} — optimised (run {run['id']})"[:120])
    if st.form_submit_button("Apply to a new scenario", type="primary", key="opt_apply"):
        try:
            with db.uow() as uow:
                new_id = apply_run(uow, run["id"], me, name)
                uow.commit()
        except DomainError as exc:
            st.error(str(exc))
        else:
            queries.after_write()
            st.session_state[sw.CURRENT] = new_id
            sw.flash(f"Created “{name.strip()}” from optimiser run {run['id']}.")
            st.switch_page("pages/scenario_builder.py")

ov.evidence_flags(url, int(run["fiscal_year"]))
