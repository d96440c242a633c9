"""PPA approvals: a PPA's approval history, its next steps, and moving it one step on."""

import streamlit as st

from obcms_core.domain.enums import ApprovalStatus, Role
from obcms_core.domain.errors import DomainError
from obcms_core.services import ppas
from obcms_core.ui_support import manila_time, php_or_dash
from workbench import queries, session, widgets

DONE, REFUSED = "wf_done", "wf_refused"

role = session.require("ppa_workflow")
url = session.database_url()
db = session.database(url)
me = session.actor(db)


def move(ppa_id: int, code: str, seen: str) -> None:
    """Runs when "Move PPA" is pressed, even if the PPA's new status no longer shows the form."""
    if st.session_state.get("wf_target") is None:
        st.session_state[REFUSED] = "Choose the step to take, then press Move PPA."
        return
    try:
        with db.uow() as uow:
            moved = ppas.move_ppa(uow, ppa_id, seen, st.session_state["wf_target"], me,
                                  note=st.session_state["wf_note"].strip() or None)
            uow.commit()
    except DomainError as exc:
        st.session_state[REFUSED] = str(exc)
    else:
        queries.after_write()
        st.session_state[DONE] = f"{code} moved to {moved.label}."
        st.session_state["wf_note"] = ""


st.title("PPA approvals")
st.caption(
    "Draft → technical review → budget review → stakeholder consultation → executive approval "
    "→ approved → enacted. Each step is taken by the role responsible for it and is recorded."
)
if done := st.session_state.pop(DONE, None):
    st.success(done)
if refused := st.session_state.pop(REFUSED, None):
    st.error(refused)

years = queries.fiscal_years(url)
f1, f2, f3 = st.columns([1, 1, 2])
fiscal_year = f1.selectbox("Fiscal year", [None, *years], index=1 if years else 0,
                           key="wf_fy", format_func=widgets.or_all("All years"))
status = f2.selectbox("Approval status", [None, *(s.value for s in ApprovalStatus)],
                      key="wf_status",
                      format_func=widgets.or_all("All statuses", lambda v: ApprovalStatus(v).label))
search = f3.text_input("Search code or title", key="wf_search")
# MOA focal persons work on their own MOA's PPAs only.
own_moa = me.organization_id if role is Role.MOA_FOCAL else None
picked = queries.workflow_choices(url, fiscal_year, own_moa, status, search.strip())
choices = {c.id: c for c in picked}
if not choices:
    widgets.empty_state("No PPA matches these filters. Choose “All” or clear the search.")
    st.stop()

ppa_id = st.selectbox(
    "PPA", list(choices), key="wf_ppa",
    format_func=lambda i: f"{choices[i].code} — {choices[i].title} ({choices[i].moa})",
)
with db.uow() as uow:
    card = ppas.ppa_card(uow, ppa_id)
    history = ppas.ppa_history(uow, ppa_id)

with st.container(border=True):
    facts = [("Approval status", card.approval_status.label), ("Allocation",
             php_or_dash(card.allocation)), ("Implementing MOA", card.moa),
             ("Fiscal year", str(card.fiscal_year))]
    for column, (label, value) in zip(st.columns(4), facts, strict=True):
        column.caption(label)
        column.markdown(f"**{value}**")

options = ppas.step_options(card.approval_status, role)
mine = [o.target.value for o in options if o.permitted]
st.subheader("Next step")
if not options:
    widgets.empty_state(f"A PPA that is {card.approval_status.label.lower()} has no further steps.")
elif not mine:
    widgets.empty_state("Nothing for your role to do at this stage.")
else:
    with st.form("wf_move_form", border=True):
        st.radio("Move this PPA to", mine, key="wf_target", horizontal=True, index=None,
                 format_func=lambda v: ApprovalStatus(v).label)
        st.text_area("Note for the record", key="wf_note", max_chars=1000,
                     placeholder="Why this step: findings, conditions, reference numbers")
        st.form_submit_button("Move PPA", type="primary", key="wf_move", on_click=move,
                              args=(ppa_id, card.code, card.approval_status.value))
for option in options:
    if not option.permitted:
        who = ", ".join(r.label for r in option.roles)
        st.caption(f"{option.target.label}: taken by {who}.")

st.subheader("History")
if history.empty:
    st.caption("No steps recorded yet: the PPA is where it was created or imported.")
else:
    st.dataframe(
        history.assign(changed_at=manila_time(history["changed_at"])),
        hide_index=True, width="stretch",
        column_config={
            "changed_at": st.column_config.DatetimeColumn("When (PHT)", format="YYYY-MM-DD HH:mm"),
            "from_status": "From", "to_status": "To", "changed_by": "By", "note": "Note",
        },
    )
