"""OBCMS Planning & Budgeting Workbench: page set-up, sign-in, and the pages each role may open."""

import streamlit as st

from workbench import auth, navigation, session

st.set_page_config(
    page_title="OBCMS Workbench", page_icon=":material/account_balance:", layout="wide"
)

db = session.open_or_explain()  # a broken or empty database: one sentence, nothing else
signin = auth.SignIn.start(db)  # one authenticator per browser session, back in from its cookie
signin.sidebar()
# Every page of the role stays listed: no "View more" fold hiding the budget pages.
page = st.navigation(navigation.menu(session.current_role()), expanded=True)
session.run_page(page)
