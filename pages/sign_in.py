"""Sign in (shown to anonymous visitors only)."""

import streamlit as st

from obcms_core.config import get_settings
from workbench import auth, session

st.title("OBCMS Planning & Budgeting Workbench")
st.caption(
    "For the Office for Other Bangsamoro Communities: OOBC staff, MOA focal persons, community "
    "members and partners sign in here. Anyone may browse community needs without an account."
)
left, _ = st.columns([2, 3])
with left:
    auth.login_form(session.database())
    if get_settings().is_development:
        st.caption(
            "Trying the demonstration? The demo accounts (for example `budget` with password "
            "`budget-demo-2025`) are listed in the user guide, docs/getting-started.md."
        )
