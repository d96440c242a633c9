"""Vote: anyone browses a cycle's projects; signed-in people fill in, change and review a ballot."""

import streamlit as st

from obcms_core.domain.money import format_php
from obcms_core.domain.pb.cycle import Phase
from obcms_core.services.pb import voter_key_for_user
from workbench import pb_ballot, session, widgets
from workbench import pb_queries as pq
from workbench import pb_views as v

session.require("pb_vote")
url = session.database_url()
db = session.database(url)
lang = v.language_switch("pbv")
t = v.translator(lang)

st.title(t("vote.title"))
st.caption(t("vote.intro"))
v.show_flash("vote")
summaries = pq.cycles(url)
if not summaries:
    widgets.empty_state(t("vote.no_cycles"))
    st.stop()
cycle = v.load_cycle(url, v.cycle_picker(summaries, t, "pbv_cycle", lang), t)
v.window_message(cycle, t)
if cycle.description:
    st.write(cycle.description)
st.markdown(t("vote.envelope", envelope=format_php(cycle.envelope), n=len(cycle.projects)))
if not cycle.projects:
    widgets.empty_state(t("vote.no_projects"))
    st.stop()
with st.expander(t("vote.map_title"), expanded=True, icon=":material/map:"):
    v.projects_map(cycle, t)

user = pq.signed_in_user(url)
if user is not None and cycle.phase is Phase.OPEN:
    pb_ballot.ballot(db, url, cycle, user, t)
else:
    if user is None:
        st.info(t("common.sign_in_to_vote"), icon=":material/login:")
        st.page_link("pages/sign_in.py", label=t("common.sign_in"), icon=":material/login:")
    st.subheader(t("vote.projects"))
    st.caption(v.ballot_rules(cycle, t))
    for project in cycle.projects:
        v.project_card(project, t)
if user is not None:
    v.history(pq.ballot_history(url, cycle.id, voter_key_for_user(user.id)), cycle, t)
