"""MOA focal persons: the directory by MOA, MOAs without a primary, and edits by those allowed."""

from datetime import date

import streamlit as st

from obcms_core.domain.enums import FocalRole, Role
from obcms_core.domain.errors import DomainError
from obcms_core.services.dashboards import focal, focal_edit
from obcms_core.services.dashboards.xlsx import CSV_MIME, XLSX_MIME
from workbench import evidence_queries as eq
from workbench import queries, session, widgets

FLASH = "fr_flash"
ROUND = "fr_round"  # counts saved edits: the edit widgets' keys change, so they start afresh
EARLIEST = date(2000, 1, 1)
ROLES = [r.value for r in FocalRole]


def role_label(value: str) -> str:
    return FocalRole(value).label


def saved(message: str, keep: int | None = None) -> None:
    """After a write: fresh figures, the message, new edit widgets (still showing `keep`)."""
    queries.after_write()
    st.session_state[FLASH] = message
    st.session_state[ROUND] = round_no + 1
    if keep is not None:
        st.session_state[f"fr_edit_pick_{round_no + 1}"] = keep
    st.rerun()


def entry_fields(prefix: str, values: focal_edit.FocalEntry | None) -> focal_edit.FocalEntry:
    """The inputs of one appointment (inside a form), filled with `values` when correcting.

    Fields go in pairs, one row per pair, so that on a phone (where columns stack) they still
    read in order: name and role, designation, contacts, dates.
    """
    a, b = st.columns(2)
    name = a.text_input("Full name", value=values.full_name if values else "",
                        key=f"{prefix}_name")
    role = b.selectbox("Role", ROLES, key=f"{prefix}_role", format_func=role_label,
                       index=ROLES.index(FocalRole(values.role).value) if values else 0)
    a, b = st.columns(2)
    designation = a.text_input("Designation", value=(values.designation or "") if values
                               else "", key=f"{prefix}_designation",
                               placeholder="e.g. Planning Officer IV")
    appointed = b.date_input("Appointed on", value=values.appointed_on if values else today,
                             min_value=EARLIEST, key=f"{prefix}_appointed")
    a, b = st.columns(2)
    email = a.text_input("E-mail", value=(values.email or "") if values else "",
                         key=f"{prefix}_email", placeholder="name@ministry.gov.ph")
    phone = b.text_input("Phone", value=(values.phone or "") if values else "",
                         key=f"{prefix}_phone", placeholder="+63 917 123 4567",
                         help="7–15 digits; spaces, '-', '(', ')' and a leading '+' are fine.")
    ended = None
    if values is not None:
        ended = st.columns(2)[0].date_input(
            "Ended on (leave empty while in office)", value=values.ended_on,
            min_value=EARLIEST, key=f"{prefix}_ended")
    return focal_edit.FocalEntry(full_name=name, role=role, appointed_on=appointed,
                            designation=designation, email=email, phone=phone, ended_on=ended)


session.require("focal_registry")
url = session.database_url()
db = session.database(url)
me = session.actor(db)
today = eq.today()
round_no = int(st.session_state.setdefault(ROUND, 0))

st.title("MOA focal persons")
st.caption(
    "Who speaks for each MOA on OBC matters: primary, alternate and technical focal persons, "
    "their contacts and appointment dates. MOAs without a primary in office are flagged."
)
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)

gaps = eq.focal_gaps(url, today)
if gaps.empty:
    st.success("Every MOA has a primary focal person in office.", icon=":material/check:")
else:
    st.warning(("1 MOA has" if len(gaps) == 1 else f"{len(gaps):,} MOAs have")
               + " no primary focal person in office: "
               + ", ".join(gaps["moa"]) + ". Appoint one below, or ask the MOA to designate one.",
               icon=":material/person_off:")
    with st.expander("MOAs without a primary focal person"):
        st.dataframe(gaps, hide_index=True, width="stretch", placeholder="—",
                     column_order=["moa", "moa_name", "last_primary_ended", "other_active"],
                     column_config={
                         "moa": "MOA", "moa_name": "Name",
                         "last_primary_ended": st.column_config.DateColumn(
                             "Last primary ended", format="YYYY-MM-DD"),
                         "other_active": widgets.count(
                             "Other focal persons in office", help="Alternate or technical."),
                     })

moas = dict(eq.moa_choices(url))
f1, f2, f3, f4 = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
search = f1.text_input("Search name, MOA, e-mail or designation", key="fr_search",
                       placeholder="e.g. MOH, Datu, planning")
moa = f2.selectbox("MOA", [None, *moas], key="fr_moa",
                   format_func=widgets.or_all("All MOAs", moas.__getitem__))
moa = moa if moa in moas else None
role = f3.selectbox("Role", [None, *ROLES], key="fr_role",
                    format_func=widgets.or_all("All roles", role_label))
active_only = f4.toggle("In office only", key="fr_active")
directory = eq.focal_directory(url, search.strip(), moa, role, active_only, today)

if directory.empty:
    widgets.empty_state(
        "No focal person matches these filters. Clear the search or choose “All”."
        if (search.strip() or moa or role or active_only) else
        "No focal persons are recorded yet. Administrators and MOA focal persons add them below.")
else:
    st.caption(f"{len(directory):,} entries, {int(directory['active'].sum()):,} in office on "
               f"{today:%d %B %Y}.")
    st.dataframe(
        directory, hide_index=True, width="stretch", placeholder="—",
        column_order=["moa", "role", "full_name", "active", "designation", "email", "phone",
                      "appointed_on", "ended_on"],
        column_config={
            # MOA and name stay in sight while the contacts scroll sideways on a phone
            "moa": st.column_config.TextColumn("MOA", pinned=True),
            "full_name": st.column_config.TextColumn("Name", pinned=True),
            "role": "Role", "designation": "Designation",
            "email": "E-mail", "phone": "Phone",
            "appointed_on": st.column_config.DateColumn("Appointed", format="YYYY-MM-DD"),
            "ended_on": st.column_config.DateColumn("Ended", format="YYYY-MM-DD"),
            "active": st.column_config.CheckboxColumn("In office"),
        },
    )
    lines = [f"Search: {search.strip() or 'none'}",
             f"MOA: {moas[moa] if moa else 'all'}",
             f"Role: {role_label(role) if role else 'all'}",
             f"In office on {today:%Y-%m-%d} only: {'yes' if active_only else 'no'}"]
    d1, d2, _ = st.columns([1, 1, 4])
    d1.download_button("Download xlsx", data=lambda: focal.directory_xlsx(directory, lines),
                       file_name=f"moa-focal-persons-{today:%Y%m%d}.xlsx", mime=XLSX_MIME,
                       key="fr_xlsx", on_click="ignore", icon=":material/download:")
    d2.download_button("Download csv", data=lambda: focal.directory_csv(directory),
                       file_name=f"moa-focal-persons-{today:%Y%m%d}.csv", mime=CSV_MIME,
                       key="fr_csv", on_click="ignore", icon=":material/download:")

with db.uow() as uow:
    mine = dict(focal_edit.editable_moas(uow, me))
if not mine:
    if me.role is Role.MOA_FOCAL:
        st.info("Your account is not linked to a MOA, so you cannot edit entries. Ask an "
                "administrator to link it.")
    st.stop()

st.subheader("Update the registry")
st.caption("You may edit every MOA's focal persons." if me.role is Role.ADMIN else
           f"You may edit the focal persons of {', '.join(mine.values())} only.")
editable = eq.focal_directory(url, "", None, None, False, today)
editable = editable[editable["organization_id"].isin(list(mine))]
labels = {int(r.id): f"{r.moa} · {r.role} · {r.full_name} (from {r.appointed_on:%Y-%m-%d})"
          for r in editable.itertuples()}
add_tab, fix_tab, end_tab = st.tabs(["Add an appointment", "Correct an entry",
                                     "End an appointment"])

with add_tab, st.form(f"fr_add_form_{round_no}"):
    org = st.selectbox("MOA", list(mine), key="fr_add_moa", format_func=mine.__getitem__)
    new = entry_fields(f"fr_add_{round_no}", None)
    hand_over = st.checkbox(
        "If this is a new primary, end the current primary's appointment the day before",
        key=f"fr_add_handover_{round_no}",
        help="Without this, a second primary for the same period is refused.")
    if st.form_submit_button("Add appointment", type="primary", key="fr_add_submit"):
        try:
            with db.uow() as uow:
                focal_edit.appoint_focal_person(uow, me, int(org), new, hand_over=hand_over)
                uow.commit()
        except DomainError as exc:
            st.error(str(exc))
        else:
            saved(f"Added {new.full_name.strip()} as {role_label(str(new.role)).lower()} "
                  f"focal person of {mine[int(org)]}.")

with fix_tab:
    if not labels:
        widgets.empty_state("No entries of your MOA yet: add one in the first tab.")
    else:
        pick = st.selectbox("Entry to correct", list(labels), key=f"fr_edit_pick_{round_no}",
                            format_func=labels.__getitem__)
        pick = pick if pick in labels else next(iter(labels))
        with db.uow() as uow:
            current = focal_edit.focal_entry(uow, pick)[1]
        with st.form(f"fr_edit_form_{round_no}_{pick}"):
            changed = entry_fields(f"fr_edit_{round_no}_{pick}", current)
            if st.form_submit_button("Save changes", type="primary", key="fr_edit_submit"):
                try:
                    with db.uow() as uow:
                        done = focal_edit.update_focal_person(uow, me, pick, changed)
                        uow.commit()
                except DomainError as exc:
                    st.error(str(exc))
                else:
                    if done:
                        saved(f"Saved the changes to {changed.full_name.strip()}'s entry.",
                              keep=pick)
                    st.info("Nothing changed: the entry already had these values.")

with end_tab:
    open_ids = [i for i in labels
                if editable.loc[editable["id"] == i, "ended_on"].isna().all()]
    if not open_ids:
        widgets.empty_state("No appointment of your MOA is open.")
    else:
        who = st.selectbox("Appointment to end", open_ids, key=f"fr_end_pick_{round_no}",
                           format_func=labels.__getitem__)
        who = who if who in open_ids else open_ids[0]
        last_day = st.date_input("Last day in office", value=today, min_value=EARLIEST,
                                 key=f"fr_end_date_{round_no}")
        if st.button("End appointment", key="fr_end_submit"):
            try:
                with db.uow() as uow:
                    focal_edit.end_appointment(uow, me, who, last_day)
                    uow.commit()
            except DomainError as exc:
                st.error(str(exc))
            else:
                saved(f"Ended the appointment: {labels[who]}, last day {last_day:%d %B %Y}.")
