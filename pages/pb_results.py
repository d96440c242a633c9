"""PB results: the live tally while voting is open, and every counting rule's outcome with its
fairness figures, side by side."""

import streamlit as st

from obcms_core.domain.errors import DomainError
from obcms_core.domain.pb.cycle import Phase
from workbench import pb_outcomes as outcomes
from workbench import pb_queries as pq
from workbench import pb_views as v
from workbench import session, widgets

session.require("pb_results")
url = session.database_url()
lang = v.language_switch("pbr")
t = v.translator(lang)

st.title(t("results.title"))
st.caption(t("results.intro"))
summaries = pq.cycles(url)
if not summaries:
    widgets.empty_state(t("vote.no_cycles"))
    st.stop()
cycle = v.load_cycle(url, v.cycle_picker(summaries, t, "pbr_cycle", lang), t)
if cycle.phase is Phase.UPCOMING:
    widgets.empty_state(t("results.upcoming", opens=v.when(cycle.opens_at, t)))
    st.stop()
if cycle.phase is Phase.OPEN:
    st.info(t("results.preview", closes=v.when(cycle.closes_at, t)), icon=":material/update:")
    outcomes.live_tally(url, cycle, t)
else:
    st.success(t("results.final", closes=v.when(cycle.closes_at, t)), icon=":material/verified:")
if cycle.ballots == 0:
    widgets.empty_state(t("results.no_ballots"))
    st.stop()

try:
    with st.spinner(t("results.counting")):
        results = pq.results(url, cycle.id)
except DomainError as exc:  # e.g. an imported election the rules cannot count
    st.error(str(exc))
    st.stop()
outcomes.outcome_columns(cycle, results, t)
outcomes.project_table(cycle, results, t)
outcomes.downloads(cycle, results, lang, t)
outcomes.fairness(results, t)
outcomes.regions(cycle, results, t)
outcomes.stakeholders(cycle, results, t)
outcomes.why_not_funded(cycle, results, t)
