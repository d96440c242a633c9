"""Signing in with streamlit-authenticator: one authenticator per browser session, its cookie."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy.exc import SQLAlchemyError
from streamlit.delta_generator import DeltaGenerator
from streamlit_authenticator.utilities import LoginError

from obcms_core.config import get_settings
from obcms_core.services.database import Database
from obcms_core.services.users import authenticator_credentials
from workbench.session import DB_FAILED, current_role, halt

log = logging.getLogger(__name__)

AUTH_KEY = "wb_authenticator"
COOKIE_PENDING = "wb_cookie_pending"
REFUSED = "Unknown username or wrong password."


def authenticator(db: Database) -> stauth.Authenticate:
    """This browser session's authenticator, made the first time the session needs one."""
    auth = st.session_state.get(AUTH_KEY)
    if auth is None:
        settings = get_settings()
        # Read fresh for each browser session, never shared: the library writes into this
        # dict (login flags, failed attempts), so one shared copy would leak between users.
        with db.uow() as uow:
            credentials = authenticator_credentials(uow)
        auth = st.session_state[AUTH_KEY] = stauth.Authenticate(
            credentials,
            cookie_name=settings.cookie_name,
            cookie_key=settings.cookie_key.get_secret_value(),
            cookie_expiry_days=settings.cookie_expiry_days,
            auto_hash=False,
        )
    return auth


def _has_cookie() -> bool:
    return isinstance(st.context.cookies.get(get_settings().cookie_name), str)


@dataclass(frozen=True)
class SignIn:
    """The session's sign-in state, and the one place where the cookie components render."""

    db: Database
    slot: DeltaGenerator

    @classmethod
    def start(cls, db: Database) -> SignIn:
        """Sign the browser back in from its cookie; finish setting the cookie after a sign-in."""
        # The library's cookie components (zero-height frames) render here on some runs and
        # not on others; a slot present on every run keeps the page's elements in place.
        signin = cls(db, st.container())
        signed_in = st.session_state.get("authentication_status")
        with signin.slot:
            try:
                if not signed_in and _has_cookie():
                    authenticator(db).login(location="unrendered", key="auth_cookie")
                elif signed_in and st.session_state.pop(COOKIE_PENDING, False):
                    # Set again on this complete run: the sign-in run was cut short by a rerun.
                    authenticator(db).cookie_controller.set_cookie()
            except LoginError:  # the cookie names an account that no longer exists
                log.info("Ignored a sign-in cookie for an unknown account")
            except SQLAlchemyError:
                log.exception("Reading the accounts failed")
                halt(DB_FAILED)
        return signin

    def sidebar(self) -> None:
        """Who is signed in, and the sign-out button, at the top of the sidebar."""
        if current_role() is None:
            return
        box = st.sidebar.container()
        with self.slot:  # where the cookie-deleting component renders
            authenticator(self.db).logout("Sign out", location="sidebar", key="auth_logout")
        role = current_role()
        if role is not None:  # still signed in: sign-out was not pressed on this run
            box.markdown(f"**{st.session_state.get('name') or st.session_state['username']}**")
            box.caption(f"{role.label} · `{st.session_state['username']}`")


def login_form(db: Database) -> None:
    """The sign-in form; a refusal says so, a success reruns into the user's own pages."""
    # Anonymous visitors get an authenticator only here: its first render reruns the page
    # once, which must not pull a visitor back from the page they just chose.
    authenticator(db).login(
        location="main",
        key="auth_login",
        fields={"Form name": "Sign in", "Username": "Username", "Password": "Password",
                "Login": "Sign in"},
    )
    status = st.session_state.get("authentication_status")
    if status:
        st.session_state[COOKIE_PENDING] = True
        st.rerun()
    elif status is False:
        st.error(REFUSED)
