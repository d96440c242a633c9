"""Audit log (administrators and executives): who changed what, when, and from where."""

import streamlit as st

from obcms_core.ui_support import manila_time
from workbench import queries, session, widgets

session.require("audit_log")
url = session.database_url()

st.title("Audit log")
st.caption("The latest 200 changes, newest first, with the values before and after.")
entities, people = queries.audit_filter_options(url)
f1, f2, _ = st.columns([1, 1, 2])
entity = f1.selectbox("Record", [None, *entities], key="audit_entity",
                      format_func=widgets.or_all("All records"))
username = f2.selectbox("Changed by", [None, *people], key="audit_user",
                        format_func=widgets.or_all("Everyone"))
entries = queries.audit_entries(url, entity, username)
if entries.empty:
    widgets.empty_state(
        "No change matches these filters." if (entity or username) else
        "Nothing has been changed yet. Moves of PPAs and new users will appear here."
    )
    st.stop()
st.dataframe(
    entries.assign(at=manila_time(entries["at"])),
    hide_index=True, width="stretch",
    column_config={
        "at": st.column_config.DatetimeColumn("When (PHT)", format="YYYY-MM-DD HH:mm:ss"),
        "username": "By", "source": "From", "action": "Action", "entity": "Record",
        "entity_id": "Record id",
        "before": st.column_config.TextColumn("Before", width="medium"),
        "after": st.column_config.TextColumn("After", width="large"),
    },
)
