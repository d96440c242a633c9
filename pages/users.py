"""Users (administrators): who has an account, and adding one."""

import streamlit as st

from obcms_core.domain.enums import ChangeSource, Role
from obcms_core.domain.errors import DomainError
from obcms_core.services.users import MIN_PASSWORD, create_user
from obcms_core.ui_support import manila_time
from workbench import queries, session, widgets

FLASH = "users_flash"

session.require("users")
url = session.database_url()
db = session.database(url)

st.title("Users")
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)

people = queries.users(url)
st.caption(f"{len(people):,} accounts. Passwords are stored only as bcrypt hashes.")
st.dataframe(
    people.assign(created_at=manila_time(people["created_at"])),
    hide_index=True, width="stretch",
    column_config={
        "username": "Username", "full_name": "Full name", "email": "E-mail", "role": "Role",
        "organization": "Organisation",
        "active": st.column_config.CheckboxColumn("Active"),
        "demo": st.column_config.CheckboxColumn("Demo", help="Created by the demo data seeder."),
        "created_at": st.column_config.DatetimeColumn("Created (PHT)", format="YYYY-MM-DD"),
    },
)

st.subheader("Add a user")
orgs = dict(queries.organizations(url))
with st.form("users_create_form", clear_on_submit=False):
    a, b = st.columns(2)
    username = a.text_input("Username", key="users_new_username",
                            help="3–40 characters: lower-case letters, digits, '.', '_' or '-'.")
    full_name = b.text_input("Full name", key="users_new_full_name")
    email = a.text_input("E-mail", key="users_new_email")
    role = b.selectbox("Role", [r.value for r in Role], key="users_new_role", index=None,
                       placeholder="Choose a role", format_func=lambda v: Role(v).label)
    org = a.selectbox("Organisation", [None, *orgs], key="users_new_org",
                      format_func=widgets.or_all("None", lambda k: f"{k} — {orgs[k]}"),
                      help="Required for a MOA focal person.")
    password = b.text_input("Password", type="password", key="users_new_password",
                            help=f"At least {MIN_PASSWORD} characters.")
    repeat = b.text_input("Repeat the password", type="password", key="users_new_repeat")
    if st.form_submit_button("Add user", type="primary", key="users_add"):
        if role is None:
            st.error("Choose the new user's role.")
        elif password != repeat:
            st.error("The two passwords differ: type the same password twice.")
        else:
            try:
                with db.uow() as uow:
                    info = create_user(
                        uow, username=username, full_name=full_name, email=email,
                        password=password, role=role, organization_acronym=org,
                        actor=st.session_state["username"], source=ChangeSource.UI,
                    )
                    uow.commit()
            except DomainError as exc:
                st.error(str(exc))
            else:
                queries.after_write()
                st.session_state[FLASH] = (
                    f"Added {info.username} ({info.role.label}). They can sign in now."
                )
                st.rerun()
